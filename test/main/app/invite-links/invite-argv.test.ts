import { describe, expect, it } from 'vitest';
import {
  inviteFromArgv,
  inviteFromUrl,
  protocolClientArguments,
} from '../../../../main/app/invite-links/invite-argv';

const FP = 'A'.repeat(43);

describe('inviteFromUrl', () => {
  it('takes a parley:// invite and gives it back in canonical form', () => {
    expect(inviteFromUrl('parley://192.168.1.20:7420/?room=kitchen')).toBe(
      'parley://192.168.1.20:7420/?room=kitchen',
    );
    expect(inviteFromUrl(`  PARLEY://Studio.local:7420?fp=${FP}&room=r1 `)).toBe(
      `parley://studio.local:7420/?fp=${FP}&room=r1`,
    );
    expect(inviteFromUrl('parley://[FD00::7]:7420/')).toBe('parley://[fd00::7]:7420/');
  });

  it('refuses anything that is not a valid parley:// invite', () => {
    for (const url of [
      'https://192.168.1.20:7420/',
      '192.168.1.20:7420',
      'parley://',
      'parley://user:pass@host:7420/',
      'parley://host:99999/',
      'parley://host:7420/some/path',
      'parley://host:7420/?fp=short',
      'javascript:alert(1)',
      42,
      undefined,
    ]) {
      expect(inviteFromUrl(url), String(url)).toBeUndefined();
    }
  });
});

describe('inviteFromArgv', () => {
  it('finds the invite among the switches Chromium and the OS add', () => {
    const argv = [
      '/opt/Parley/parley',
      '--no-sandbox',
      '--allow-file-access-from-files',
      '--original-process-start-time=13350000000000000',
      'parley://10.0.0.7:7420/?room=lab',
    ];
    expect(inviteFromArgv(argv)).toBe('parley://10.0.0.7:7420/?room=lab');
  });

  it('ignores an invite hidden inside a switch, and a command line without one', () => {
    expect(inviteFromArgv(['parley', '--open=parley://10.0.0.7:7420/'])).toBeUndefined();
    expect(inviteFromArgv(['/usr/bin/electron', '.'])).toBeUndefined();
    expect(inviteFromArgv([])).toBeUndefined();
  });
});

describe('protocolClientArguments', () => {
  it('registers the scheme alone for the packaged app', () => {
    expect(
      protocolClientArguments({
        defaultApp: false,
        execPath: '/opt/Parley/parley',
        argv: ['/opt/Parley/parley'],
        cwd: '/home/ada',
      }),
    ).toEqual({ scheme: 'parley' });
  });

  it('names Electron and the app folder when run as `electron .` in development', () => {
    expect(
      protocolClientArguments({
        defaultApp: true,
        execPath: '/work/parley/node_modules/electron/dist/electron',
        argv: ['/work/parley/node_modules/electron/dist/electron', '.'],
        cwd: '/work/parley',
      }),
    ).toEqual({
      scheme: 'parley',
      executable: '/work/parley/node_modules/electron/dist/electron',
      args: ['/work/parley'],
    });
  });
});
