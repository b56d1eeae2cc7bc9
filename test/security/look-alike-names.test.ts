/**
 * Look-alike names, tried from another client against a real host: with `admin` in the room,
 * nobody may join under a name that shows the same (invisible characters, direction overrides,
 * other scripts' letters, fullwidth forms), in parley.v1 or plain mode.
 */
import { describe, expect, it } from 'vitest';
import { testHost } from '../main/host/helpers/host';
import { PlainClient, V1Client } from '../main/host/helpers/clients';

const LOOK_ALIKES: [string, string, 'bad_name' | 'name_taken'][] = [
  ['a zero-width space after it', 'admin\u200b', 'bad_name'],
  ['a soft hyphen inside', 'ad\u00admin', 'bad_name'],
  ['a word joiner after it', 'admin\u2060', 'bad_name'],
  ['a right-to-left override', '\u202enimda', 'bad_name'],
  ['invisible direction marks around it', '\u200eadmin\u200f', 'bad_name'],
  ['nothing but a zero-width space', '\u200b', 'bad_name'],
  ['a lone surrogate', 'admin\ud800', 'bad_name'],
  ['a Cyrillic а', '\u0430dmin', 'name_taken'],
  ['fullwidth letters', 'ａｄｍｉｎ', 'name_taken'],
  ['capitals', 'ADMIN', 'name_taken'],
];

describe('with admin in the room', () => {
  it.each(LOOK_ALIKES)('refuses a parley.v1 hello with %s', async (_what, name, code) => {
    const host = await testHost();
    await V1Client.join(host.port, 'admin');
    const client = await V1Client.connect(host.port);
    client.send({ type: 'hello', name });
    expect(await client.next('error')).toMatchObject({ code });
    expect(host.peers().map((peer) => peer.name)).toEqual(['admin']);
  });

  it('refuses the same names in plain mode', async () => {
    const host = await testHost();
    await V1Client.join(host.port, 'admin');
    for (const [what, name, code] of LOOK_ALIKES) {
      // A lone surrogate cannot be percent-encoded as UTF-8: it would arrive as U+FFFD.
      if (/\p{Cs}/u.test(name)) continue;
      const client = await PlainClient.connect(host.port, `?name=${encodeURIComponent(name)}`);
      expect(await client.nextLine(), what).toMatch(new RegExp(`^\\* error ${code}:`));
      await client.waitClosed();
    }
    expect(host.peers().map((peer) => peer.name)).toEqual(['admin']);
  });

  it('shows a fullwidth name in its plain form, and welcomes names that only differ', async () => {
    const host = await testHost();
    await V1Client.join(host.port, 'admin');
    const { welcome } = await V1Client.join(host.port, 'ａｄａ');
    expect(welcome.self.name).toBe('ada');
    await V1Client.join(host.port, 'admins');
    await V1Client.join(host.port, '❤️ Ann');
    expect(host.peers().map((peer) => peer.name)).toEqual(['admin', 'ada', 'admins', '❤️ Ann']);
  });
});
