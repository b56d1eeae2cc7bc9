import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  InvalidInviteError,
  buildInvite,
  formatAddress,
  guestUrl,
  infoUrl,
  parseInvite,
  socketUrl,
  type Invite,
} from '../../../protocol/client/invite';
import { fingerprintToBase64Url, normalizeFingerprint } from '../../../protocol/client/fingerprint';

const HEX = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const CANONICAL = HEX.toUpperCase().match(/../g)!.join(':');
const COMPACT = fingerprintToBase64Url(CANONICAL);
const ROOM = '3f1c9a4e-7b2d-4c1e-9f3a-2d5b6c7e8f90';

function parsed(text: string): Invite {
  const result = parseInvite(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error.message}`);
  return result.invite;
}

function errorCode(text: string): string {
  const result = parseInvite(text);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  expect(result.error.message.length).toBeGreaterThan(10);
  return result.error.code;
}

describe('buildInvite', () => {
  it('writes host, port, compact fingerprint and room id', () => {
    expect(COMPACT).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(
      buildInvite({ host: '192.168.1.20', port: 7420, fingerprint: CANONICAL, roomId: ROOM }),
    ).toBe(`parley://192.168.1.20:7420/?fp=${COMPACT}&room=${ROOM}`);
    expect(buildInvite({ host: 'h.lan', port: 1, fingerprint: HEX })).toBe(
      `parley://h.lan:1/?fp=${COMPACT}`,
    );
  });

  it('leaves out what is not known yet (no TLS, no room id)', () => {
    expect(buildInvite({ host: 'Studio.local', port: 7420 })).toBe('parley://studio.local:7420/');
    expect(buildInvite({ host: '10.0.0.5', port: 80, roomId: 'r1' })).toBe(
      'parley://10.0.0.5:80/?room=r1',
    );
  });

  it('puts IPv6 addresses in brackets', () => {
    expect(buildInvite({ host: 'fd00::2', port: 7420 })).toBe('parley://[fd00::2]:7420/');
    expect(buildInvite({ host: '[::1]', port: 1 })).toBe('parley://[::1]:1/');
    expect(buildInvite({ host: 'FD00:0:0::0:2', port: 2 })).toBe('parley://[fd00::2]:2/');
  });

  it('refuses values that could not make a working invite, with a code', () => {
    const cases: [Parameters<typeof buildInvite>[0], string][] = [
      [{ host: '', port: 7420 }, 'bad_host'],
      [{ host: 'bad host', port: 7420 }, 'bad_host'],
      [{ host: 'evil.com/path', port: 7420 }, 'bad_host'],
      [{ host: 'h', port: 0 }, 'bad_port'],
      [{ host: 'h', port: 65536 }, 'bad_port'],
      [{ host: 'h', port: 74.5 }, 'bad_port'],
      [{ host: 'h', port: 7420, fingerprint: 'abc' }, 'bad_fingerprint'],
      [{ host: 'h', port: 7420, roomId: 'a b' }, 'bad_room'],
      [{ host: 'h', port: 7420, roomId: '' }, 'bad_room'],
    ];
    for (const [input, code] of cases) {
      let thrown: unknown;
      try {
        buildInvite(input);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(input)).toBeInstanceOf(InvalidInviteError);
      expect((thrown as InvalidInviteError).code).toBe(code);
    }
  });
});

describe('parseInvite', () => {
  it('reads a full invite: TLS because it pins a fingerprint', () => {
    expect(parsed(`parley://192.168.1.20:7420/?fp=${COMPACT}&room=${ROOM}`)).toEqual({
      host: '192.168.1.20',
      port: 7420,
      secure: true,
      fingerprint: CANONICAL,
      roomId: ROOM,
    });
  });

  it('reads an invite without fingerprint as a plain room', () => {
    expect(parsed('parley://studio.local:9000/?room=abc')).toEqual({
      host: 'studio.local',
      port: 9000,
      secure: false,
      roomId: 'abc',
    });
  });

  it('is forgiving about what people paste', () => {
    expect(parsed('  PARLEY://Studio.Local:7420  ')).toMatchObject({
      host: 'studio.local',
      port: 7420,
    });
    expect(parsed('192.168.1.20:7421')).toEqual({
      host: '192.168.1.20',
      port: 7421,
      secure: false,
    });
    expect(parsed('studio.local')).toEqual({ host: 'studio.local', port: 7420, secure: false });
    expect(parsed('[fd00::2]:7420')).toEqual({ host: 'fd00::2', port: 7420, secure: false });
    expect(parsed('http://10.0.0.5:7420/')).toEqual({
      host: '10.0.0.5',
      port: 7420,
      secure: false,
    });
    expect(parsed('https://10.0.0.5/')).toEqual({ host: '10.0.0.5', port: 443, secure: true });
    expect(parsed('http://10.0.0.5')).toEqual({ host: '10.0.0.5', port: 80, secure: false });
    expect(parsed('wss://10.0.0.5:7420/ws')).toEqual({
      host: '10.0.0.5',
      port: 7420,
      secure: true,
    });
    expect(parsed(`parley://h:1/?fp=${CANONICAL.toLowerCase()}&x=later`)).toMatchObject({
      fingerprint: CANONICAL,
      secure: true,
    });
  });

  it('says clearly what is wrong with a malformed invite', () => {
    expect(errorCode('')).toBe('empty');
    expect(errorCode('   ')).toBe('empty');
    expect(errorCode('javascript://alert(1)')).toBe('bad_scheme');
    expect(errorCode('ftp://host:21/')).toBe('bad_scheme');
    expect(errorCode('parley://:7420/')).toBe('bad_host');
    expect(errorCode('parley://bad_host:7420/')).toBe('bad_host');
    expect(errorCode('parley://1.2.3.999:7420/')).toBe('bad_host');
    expect(errorCode('parley://::1:7420/')).toBe('bad_host');
    expect(errorCode('parley://[nonsense]:7420/')).toBe('bad_host');
    expect(errorCode('parley://host:/')).toBe('bad_port');
    expect(errorCode('parley://host:0/')).toBe('bad_port');
    expect(errorCode('parley://host:70000/')).toBe('bad_port');
    expect(errorCode('parley://host:12ab/')).toBe('bad_port');
    expect(errorCode('parley://host:7420/?fp=zz')).toBe('bad_fingerprint');
    expect(errorCode('parley://host:7420/?fp=')).toBe('bad_fingerprint');
    expect(errorCode('parley://host:7420/?room=')).toBe('bad_room');
    expect(errorCode('parley://host:7420/?room=a%20b')).toBe('bad_room');
    expect(errorCode('parley://user:pw@host:7420/')).toBe('bad_invite');
    expect(errorCode('parley://host:7420/some/path')).toBe('bad_invite');
    expect(errorCode(`parley://host/${'x'.repeat(3000)}`)).toBe('bad_invite');
    expect(errorCode(42 as unknown as string)).toBe('bad_invite');
  });

  it('reads back every invite it builds', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    const host = fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.tuple(label, fc.constantFrom('local', 'lan', 'example')).map(([a, b]) => `${a}.${b}`),
    );
    fc.assert(
      fc.property(
        host,
        fc.integer({ min: 1, max: 65535 }),
        fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined }),
        fc.option(fc.stringMatching(/^[A-Za-z0-9._~-]{1,40}$/), { nil: undefined }),
        (h, port, fingerprint, roomId) => {
          const invite = parsed(
            buildInvite({
              host: h,
              port,
              ...(fingerprint !== undefined && { fingerprint }),
              ...(roomId !== undefined && { roomId }),
            }),
          );
          expect(invite.port).toBe(port);
          expect(invite.secure).toBe(fingerprint !== undefined);
          expect(invite.roomId).toBe(roomId);
          expect(invite.fingerprint).toBe(fingerprint && normalizeFingerprint(fingerprint));
          expect(parsed(buildInvite(invite))).toEqual(invite);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string({ unit: 'binary' })), (text) => {
        const result = parseInvite(text);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('URLs derived from an invite', () => {
  it('gives the guest page, socket and info URLs of a plain room', () => {
    const invite = parsed('parley://192.168.1.20:7420/');
    expect(guestUrl(invite)).toBe('http://192.168.1.20:7420/');
    expect(socketUrl(invite)).toBe('ws://192.168.1.20:7420/ws');
    expect(infoUrl(invite)).toBe('http://192.168.1.20:7420/api/info');
  });

  it('uses TLS schemes for a room with a fingerprint, brackets for IPv6', () => {
    const invite = parsed(`parley://[fd00::2]:7420/?fp=${HEX}`);
    expect(guestUrl(invite)).toBe('https://[fd00::2]:7420/');
    expect(socketUrl(invite)).toBe('wss://[fd00::2]:7420/ws');
  });

  it('gives URLs the platform URL parser agrees with', () => {
    const url = new URL(socketUrl(parsed('studio.local:7421')));
    expect([url.protocol, url.hostname, url.port, url.pathname]).toEqual([
      'ws:',
      'studio.local',
      '7421',
      '/ws',
    ]);
  });
});

describe('fingerprints in invites', () => {
  it('accepts the spellings people paste (hex, colons, base64url)', () => {
    for (const spelling of [COMPACT, HEX, CANONICAL, CANONICAL.toLowerCase()]) {
      expect(parsed(`parley://h:1/?fp=${encodeURIComponent(spelling)}`).fingerprint).toBe(
        CANONICAL,
      );
    }
  });

  it('refuses anything that is not a SHA-256 fingerprint', () => {
    for (const bad of ['abc', HEX.slice(1), `${HEX}00`, HEX.replace('a', 'g'), COMPACT.slice(1)]) {
      expect(errorCode(`parley://h:1/?fp=${bad}`), bad).toBe('bad_fingerprint');
    }
  });
});

describe('formatAddress', () => {
  it('writes host:port, bracketing IPv6', () => {
    expect(formatAddress('10.0.0.5', 7420)).toBe('10.0.0.5:7420');
    expect(formatAddress('::1', 7420)).toBe('[::1]:7420');
  });
});
