import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityFile, loadIdentity } from '../../../main/cli/identity-file';
import { tempDir } from './support/tls-room';

describe('the terminal client’s identity file', () => {
  it('lives in the config folder', () => {
    expect(identityFile({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/parley/identity');
    expect(identityFile({ HOME: '/home/ann' })).toBe('/home/ann/.config/parley/identity');
  });

  it('is made once, private, and read back the same', async () => {
    const file = join(await tempDir(), 'parley', 'identity');
    const made = await loadIdentity(file);
    expect(made.made).toBe(true);
    expect(made.secret).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await loadIdentity(file);
    expect(again).toEqual({ secret: made.secret, made: false });
  });

  it('is replaced when asked, or when what is there is not a secret', async () => {
    const file = join(await tempDir(), 'identity');
    const first = await loadIdentity(file);
    const fresh = await loadIdentity(file, true);
    expect(fresh.made).toBe(true);
    expect(fresh.secret).not.toEqual(first.secret);
    await writeFile(file, 'not a secret\n');
    const repaired = await loadIdentity(file);
    expect(repaired.made).toBe(true);
    expect((await readFile(file, 'utf8')).trim()).toMatch(/^[\w-]{43}$/);
  });

  it('rejects when a new one cannot be kept', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), '');
    await expect(loadIdentity(join(dir, 'file', 'identity'))).rejects.toThrow();
  });
});
