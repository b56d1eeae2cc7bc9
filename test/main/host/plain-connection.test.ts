import { describe, expect, it } from 'vitest';
import { PlainClient, V1Client } from './helpers/clients';
import { testHost } from './helpers/host';

describe('plain mode', () => {
  it('joins from ?name=, echoes every message as NAME: TEXT and mixes with parley.v1 peers', async () => {
    const host = await testHost();
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const bob = await PlainClient.connect(host.port, '?name=bob');
    expect(await bob.nextLine()).toBe('* bob joined');
    const joined = await alice.next('joined');
    expect(joined.peer.name).toBe('bob');

    bob.send('hello from a terminal\n');
    expect(await bob.nextLine()).toBe('bob: hello from a terminal');
    const message = await alice.next('message');
    expect(message).toMatchObject({ seq: 1, text: 'hello from a terminal', from: joined.peer });
    expect(message.id).toMatch(/\S/);

    alice.say('a1', 'hi bob');
    expect(await bob.nextLine()).toBe('alice: hi bob');
    expect(await alice.next('message')).toMatchObject({ seq: 2 });
    expect(host.peers().map((peer) => peer.name)).toEqual(['alice', 'bob']);
    expect(alice.received('ack')).toHaveLength(1);

    alice.close();
    expect(await bob.nextLine()).toBe('* alice left');
  });

  it('names nameless clients guest-1, guest-2... and tells parley.v1 peers when they leave', async () => {
    const host = await testHost();
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const first = await PlainClient.connect(host.port);
    expect(await first.nextLine()).toBe('* guest-1 joined');
    const second = await PlainClient.connect(host.port, '?name=');
    expect(await second.nextLine()).toBe('* guest-2 joined');
    expect(await first.nextLine()).toBe('* guest-2 joined');
    second.close();
    expect((await alice.next('left', undefined, (f) => f.peer.name === 'guest-2')).type).toBe(
      'left',
    );
    expect(await first.nextLine()).toBe('* guest-2 left');
  });

  it('skips a guest number whose name someone already uses', async () => {
    const host = await testHost();
    await V1Client.join(host.port, 'GUEST-1');
    const plain = await PlainClient.connect(host.port);
    expect(await plain.nextLine()).toBe('* guest-2 joined');
  });

  it('closes a bad name with its error line and 1008', async () => {
    const host = await testHost();
    for (const query of ['?name=%20%20', `?name=${'x'.repeat(33)}`, '?name=a%07b']) {
      const client = await PlainClient.connect(host.port, query);
      expect(await client.nextLine()).toMatch(/^\* error bad_name: /);
      expect((await client.waitClosed()).code).toBe(1008);
    }
    expect(host.peers()).toEqual([]);
  });

  it('closes a taken name with its line and 4009', async () => {
    const host = await testHost();
    await V1Client.join(host.port, 'Alice');
    const client = await PlainClient.connect(host.port, '?name=alice');
    expect(await client.nextLine()).toMatch(/^\* error name_taken: /);
    expect((await client.waitClosed()).code).toBe(4009);
  });

  it('needs ?password= in a password room: a wrong one gets its line and 4003', async () => {
    const host = await testHost({ password: 'sesame' });
    for (const query of ['?name=eve', '?name=eve&password=nope']) {
      const client = await PlainClient.connect(host.port, query);
      expect(await client.nextLine()).toMatch(/^\* error auth_failed: /);
      expect((await client.waitClosed()).code).toBe(4003);
    }
    const client = await PlainClient.connect(host.port, '?name=bob&password=sesame');
    expect(await client.nextLine()).toBe('* bob joined');
  });

  it('answers binary and too long frames with error lines, ignores blank ones and stays open', async () => {
    const host = await testHost({ limits: { maxTextLength: 5 } });
    const client = await PlainClient.connect(host.port, '?name=bob');
    await client.nextLine();
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.nextLine()).toMatch(/^\* error bad_message: /);
    client.send('toolong');
    expect(await client.nextLine()).toMatch(/^\* error too_long: /);
    client.send('');
    client.send('   ');
    client.send('fine');
    expect(await client.nextLine()).toBe('bob: fine');
    expect(client.lines.all).toHaveLength(4);
  });

  it('rate-limits plain senders with an error line', async () => {
    const host = await testHost({ limits: { rateBurst: 2, ratePerSecond: 0.1 } });
    const client = await PlainClient.connect(host.port, '?name=bob');
    await client.nextLine();
    for (const text of ['one', 'two', 'three']) client.send(text);
    expect(await client.nextLine((line) => line.startsWith('* error'))).toMatch(
      /^\* error rate_limited: /,
    );
    expect(await client.nextLine()).toBe('bob: one');
    expect(await client.nextLine()).toBe('bob: two');
  });

  it('refuses plain clients with 1008 when the host requires parley.v1', async () => {
    const host = await testHost({ allowPlain: false });
    const client = await PlainClient.connect(host.port, '?name=bob');
    expect((await client.waitClosed()).code).toBe(1008);
    expect(host.peers()).toEqual([]);
    const { welcome } = await V1Client.join(host.port, 'alice');
    expect(welcome.self.name).toBe('alice');
  });
});
