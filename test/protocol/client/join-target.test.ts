/**
 * resolveJoinTarget (protocol/client/address.ts), the one reading of what people type or paste to join,
 * shared by `parley join` and the desktop app: a socket URL, TLS unless ws:// is explicit, with
 * the fingerprint to pin and the room the invite was for.
 */
import { describe, expect, it } from 'vitest';
import { resolveJoinTarget } from '../../../protocol/client/address';
import { fingerprintToBase64Url, readableFingerprint } from '../../../protocol/client/fingerprint';
import { buildInvite } from '../../../protocol/client/invite';

const FP = Array.from({ length: 32 }, (_, index) => (index * 7).toString(16).padStart(2, '0'))
  .join(':')
  .toUpperCase();

describe('resolveJoinTarget', () => {
  it('connects with TLS unless ws:// is typed', () => {
    expect(resolveJoinTarget('192.168.1.20')).toEqual({
      url: 'wss://192.168.1.20:7420/ws',
      secure: true,
    });
    expect(resolveJoinTarget('[::1]:9000').url).toBe('wss://[::1]:9000/ws');
    expect(resolveJoinTarget('wss://laptop.local:7420').url).toBe('wss://laptop.local:7420/ws');
    expect(resolveJoinTarget('ws://127.0.0.1:7420')).toEqual({
      url: 'ws://127.0.0.1:7420/ws',
      secure: false,
    });
  });

  it('reads invites and the guest page URL, with their fingerprint and room', () => {
    const invite = `parley://192.168.1.20:7421/?fp=${fingerprintToBase64Url(FP)}&room=r_abc`;
    expect(resolveJoinTarget(invite)).toEqual({
      url: 'wss://192.168.1.20:7421/ws',
      secure: true,
      fingerprint: FP,
      roomId: 'r_abc',
    });
    // An invite without a fingerprint is still encrypted, trusted on first use.
    expect(resolveJoinTarget('parley://laptop.local/')).toEqual({
      url: 'wss://laptop.local:7420/ws',
      secure: true,
    });
    expect(resolveJoinTarget('https://192.168.1.20:7420/').url).toBe('wss://192.168.1.20:7420/ws');
  });

  it('pins the short form the host shows, and keeps an invite’s full fingerprint beside it', () => {
    const short = readableFingerprint(FP).short;
    expect(resolveJoinTarget('10.0.0.2', short)).toMatchObject({
      fingerprint: FP.slice(0, 47),
      secure: true,
    });
    const invite = `parley://10.0.0.2/?fp=${fingerprintToBase64Url(FP)}`;
    expect(resolveJoinTarget(invite, short).fingerprint).toBe(FP);
  });

  it('pins an explicit fingerprint in any spelling', () => {
    const bare = FP.replaceAll(':', '').toLowerCase();
    expect(resolveJoinTarget('10.0.0.2', bare)).toMatchObject({ fingerprint: FP, secure: true });
    const invite = `parley://10.0.0.2/?fp=${fingerprintToBase64Url(FP)}`;
    expect(resolveJoinTarget(invite, FP).fingerprint).toBe(FP);
  });

  it.each([
    ['10.0.0.2', 'AB:CD', /not a SHA-256 fingerprint/],
    ['ws://10.0.0.2', FP, /needs an encrypted connection/],
    [
      `parley://10.0.0.2/?fp=${fingerprintToBase64Url(FP)}`,
      'a'.repeat(64),
      /differs from the one in the invite/,
    ],
    ['parley://10.0.0.2/?fp=nope', undefined, /not a SHA-256 fingerprint/],
    ['http://10.0.0.2', undefined, /Use ws:\/\//],
  ])('refuses %j (fingerprint %j) with a sentence', (input, fingerprint, message) => {
    expect(() => resolveJoinTarget(input, fingerprint)).toThrow(message);
  });

  it.each([
    ['  [::1]:7421 ', 'wss://[::1]:7421/ws'],
    ['192.168.1.20:7420', 'wss://192.168.1.20:7420/ws'],
    ['wss://192.168.1.20:7420/ws', 'wss://192.168.1.20:7420/ws'],
    ['parley://192.168.1.20:7420/?room=r_1', 'wss://192.168.1.20:7420/ws'],
    ['https://192.168.1.20:7420/', 'wss://192.168.1.20:7420/ws'],
  ])('reads every way of typing one room as the same socket URL: %j', (typed, url) => {
    expect(resolveJoinTarget(typed).url).toBe(url);
  });

  it('keeps the room id and the fingerprint of an invite the app built', () => {
    const invite = buildInvite({ host: '10.0.0.5', port: 7420, fingerprint: FP, roomId: 'r_9' });
    expect(resolveJoinTarget(invite)).toEqual({
      url: 'wss://10.0.0.5:7420/ws',
      secure: true,
      fingerprint: FP,
      roomId: 'r_9',
    });
  });

  it.each(['', 'ftp://host', 'parley://host:0/', 'parley://host/?fp=short', 'user@host:7420'])(
    'refuses %j with a sentence a person can act on',
    (typed) => {
      expect(() => resolveJoinTarget(typed)).toThrow(/^[A-Z"].*[.)]$/);
    },
  );
});
