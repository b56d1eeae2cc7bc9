/**
 * Finding the browser the tests and the UI benchmark drive: an explicit path first, then the
 * usual places, and a sentence saying what to install when there is none.
 */
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ENV, CHROMIUM_MISSING, findChromium } from '../../tools/chromium';

const only =
  (...present: string[]) =>
  (file: string) =>
    present.includes(file);

describe('findChromium', () => {
  it('takes the path in PARLEY_CHROMIUM before any usual place', () => {
    const found = findChromium({
      env: { [CHROMIUM_ENV]: '/opt/my/chrome' },
      candidates: ['/usr/bin/chromium'],
      isExecutable: only('/opt/my/chrome', '/usr/bin/chromium'),
    });
    expect(found).toBe('/opt/my/chrome');
  });

  it('refuses a PARLEY_CHROMIUM that points nowhere instead of guessing another browser', () => {
    expect(() =>
      findChromium({
        env: { [CHROMIUM_ENV]: '/nope/chrome' },
        candidates: ['/usr/bin/chromium'],
        isExecutable: only('/usr/bin/chromium'),
      }),
    ).toThrow(`${CHROMIUM_ENV} is set to /nope/chrome, which is not an executable file.`);
  });

  it('takes the first usual path that exists', () => {
    const found = findChromium({
      env: {},
      candidates: ['/a/chromium', '/b/chromium-browser', '/c/google-chrome'],
      isExecutable: only('/b/chromium-browser', '/c/google-chrome'),
    });
    expect(found).toBe('/b/chromium-browser');
  });

  it('says what to install when no browser is found', () => {
    expect(() => findChromium({ env: {}, candidates: ['/a'], isExecutable: only() })).toThrow(
      CHROMIUM_MISSING,
    );
    expect(CHROMIUM_MISSING).toContain('apt-get install chromium');
    expect(CHROMIUM_MISSING).toContain(CHROMIUM_ENV);
  });

  it('finds the browser of this machine', () => {
    expect(findChromium()).toMatch(/chrom/i);
  });
});
