import { describe, expect, it } from 'vitest';
import type { Peer } from '../../../protocol/wire/frames';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';
import { until } from '../../support/wait';

const PEER_ID = /^p_[A-Za-z0-9_-]{12}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Posts `count` messages and waits until the last one is acknowledged (acks come in order). */
async function postMessages(client: V1Client, count: number, prefix = 'm'): Promise<void> {
  for (let index = 1; index <= count; index++) client.say(`${prefix}-${index}`, `text ${index}`);
  await client.next('ack', undefined, (ack) => ack.id === `${prefix}-${count}`);
}

describe('hello and welcome', () => {
  it('welcomes a fresh client with its peer, a token, the room and everyone present', async () => {
    const host = await testHost({ roomName: 'Kitchen' });
    const { welcome: first } = await V1Client.join(host.port, 'alice');
    const { welcome } = await V1Client.join(host.port, '  Bob  ');
    expect(welcome).toMatchObject({
      type: 'welcome',
      protocol: 1,
      room: { id: host.room.id, name: 'Kitchen' },
      self: { name: 'Bob' },
      history: [],
      lastSeq: 0,
      gap: false,
    });
    expect(welcome.self.id).toMatch(PEER_ID);
    expect(welcome.token).toMatch(TOKEN);
    expect(welcome.peers).toEqual([first.self, welcome.self]);
    expect(welcome.self.id).not.toBe(first.self.id);
    expect(welcome.token).not.toBe(first.token);
  });

  it('tells the others who joined and left, never the peer itself, and emits host events', async () => {
    const host = await testHost();
    const events: string[] = [];
    host.on('joined', (peer) => events.push(`joined ${peer.name}`));
    host.on('left', (peer) => events.push(`left ${peer.name}`));
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob, welcome } = await V1Client.join(host.port, 'bob');
    expect((await alice.next('joined')).peer).toEqual(welcome.self);
    expect(host.peers().map((peer) => peer.name)).toEqual(['alice', 'bob']);
    bob.close();
    expect((await alice.next('left')).peer).toEqual(welcome.self);
    expect(bob.received('joined')).toEqual([]);
    expect(host.peers().map((peer) => peer.name)).toEqual(['alice']);
    expect(events).toEqual(['joined alice', 'joined bob', 'left bob']);
  });

  it('refuses a name another live session holds, case-insensitively, with 4009', async () => {
    const host = await testHost();
    await V1Client.join(host.port, 'Alice');
    const late = await V1Client.connect(host.port);
    late.send({ type: 'hello', name: 'aLICE' });
    expect(await late.next('error')).toMatchObject({ code: 'name_taken' });
    expect((await late.waitClosed()).code).toBe(4009);
  });

  it('frees a name when its session leaves', async () => {
    const host = await testHost();
    const { client: first } = await V1Client.join(host.port, 'alice');
    first.close();
    await until(() => host.peers().length === 0, 2000, 'alice to leave');
    const { welcome } = await V1Client.join(host.port, 'ALICE');
    expect(welcome.self.name).toBe('ALICE');
  });

  it('answers a bad name with bad_name and accepts another hello on the same socket', async () => {
    const host = await testHost();
    const client = await V1Client.connect(host.port);
    for (const name of ['   ', 'x'.repeat(33), 'tab\there', 'line\u2028sep']) {
      client.send({ type: 'hello', name });
      expect(await client.next('error')).toMatchObject({ code: 'bad_name' });
    }
    client.send({ type: 'hello', name: '𝄞'.repeat(32) });
    expect((await client.next('welcome')).self.name).toBe('𝄞'.repeat(32));
  });

  it('refuses a second hello after the welcome with bad_message and stays connected', async () => {
    const host = await testHost();
    const { client } = await V1Client.join(host.port, 'alice');
    client.send({ type: 'hello', name: 'again' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_message' });
    client.send({ type: 'ping' });
    await client.next('pong');
  });
});

describe('password rooms', () => {
  it('closes with auth_failed and 4003 on a wrong or missing password', async () => {
    const host = await testHost({ password: 'sesame' });
    for (const password of ['wrong', undefined, '']) {
      const client = await V1Client.connect(host.port);
      client.send({ type: 'hello', name: 'eve', ...(password === undefined ? {} : { password }) });
      expect(await client.next('error')).toMatchObject({ code: 'auth_failed' });
      expect((await client.waitClosed()).code).toBe(4003);
    }
    const { welcome } = await V1Client.join(host.port, 'alice', { password: 'sesame' });
    expect(welcome.self.name).toBe('alice');
  });

  it('asks for the password on a resume too', async () => {
    const host = await testHost({ password: 'sesame' });
    const { client, welcome } = await V1Client.join(host.port, 'alice', { password: 'sesame' });
    client.close();
    const again = await V1Client.connect(host.port);
    again.send({ type: 'hello', name: 'alice', resume: { token: welcome.token, lastSeq: 0 } });
    expect(await again.next('error')).toMatchObject({ code: 'auth_failed' });
    expect((await again.waitClosed()).code).toBe(4003);
  });
});

describe('history in the welcome', () => {
  it('gives a fresh client the newest historyOnJoin messages, oldest first', async () => {
    const host = await testHost({ limits: { historyOnJoin: 3 } });
    const { client: alice } = await V1Client.join(host.port, 'alice');
    await postMessages(alice, 5);
    const { welcome } = await V1Client.join(host.port, 'bob');
    expect(welcome.history.map((message) => message.seq)).toEqual([3, 4, 5]);
    expect(welcome.history[0]).toMatchObject({
      id: 'm-3',
      text: 'text 3',
      from: { name: 'alice' },
    });
    expect(welcome.lastSeq).toBe(5);
    expect(welcome.gap).toBe(false);
  });
});

describe('resume', () => {
  it('gives back the same peer and the messages after lastSeq, ignoring the new name', async () => {
    const host = await testHost();
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob, welcome: first } = await V1Client.join(host.port, 'bob');
    await postMessages(alice, 2, 'early');
    await bob.next('message', undefined, (message) => message.seq === 2);
    bob.close();
    await alice.next('left');
    await postMessages(alice, 3, 'late');

    const { client: again, welcome } = await V1Client.join(host.port, 'someone else', {
      resume: { token: first.token, lastSeq: 2 },
    });
    expect(welcome.self).toEqual(first.self);
    expect(welcome.token).toBe(first.token);
    expect(welcome.history.map((message) => message.seq)).toEqual([3, 4, 5]);
    expect(welcome).toMatchObject({ lastSeq: 5, gap: false });
    expect((await alice.next('joined')).peer).toEqual(first.self);
    expect(again.invalid).toEqual([]);
  });

  it('sends the newest historyOnResume messages and gap: true when more were missed', async () => {
    const host = await testHost({ limits: { historyOnResume: 2 } });
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: bob, welcome: first } = await V1Client.join(host.port, 'bob');
    bob.close();
    await alice.next('left');
    await postMessages(alice, 5);
    const { welcome } = await V1Client.join(host.port, 'bob', {
      resume: { token: first.token, lastSeq: 1 },
    });
    expect(welcome.history.map((message) => message.seq)).toEqual([4, 5]);
    expect(welcome.gap).toBe(true);
  });

  it('takes over a live session: the old socket gets replaced and 4010, the others see nothing', async () => {
    const host = await testHost();
    const { client: alice } = await V1Client.join(host.port, 'alice');
    const { client: oldBob, welcome: first } = await V1Client.join(host.port, 'bob');
    await alice.next('joined');
    const { client: newBob, welcome } = await V1Client.join(host.port, 'bob', {
      resume: { token: first.token, lastSeq: 0 },
    });
    expect(await oldBob.next('error')).toMatchObject({ code: 'replaced' });
    expect((await oldBob.waitClosed()).code).toBe(4010);
    expect(welcome.self).toEqual(first.self);
    expect(welcome.peers.map((peer: Peer) => peer.name)).toEqual(['alice', 'bob']);
    expect(host.peers()).toHaveLength(2);

    // The new socket is live: a message reaches it, and alice heard of no leave or join.
    alice.say('after', 'still here?');
    expect((await newBob.next('message')).text).toBe('still here?');
    expect(alice.received('left')).toEqual([]);
    expect(alice.received('joined')).toHaveLength(1);
  });

  it('refuses a resume whose name someone else took meanwhile with 4009', async () => {
    const host = await testHost();
    const { client: bob, welcome: first } = await V1Client.join(host.port, 'bob');
    bob.close();
    await until(() => host.peers().length === 0, 2000, 'bob to leave');
    await V1Client.join(host.port, 'BOB');
    const again = await V1Client.connect(host.port);
    again.send({ type: 'hello', name: 'bob', resume: { token: first.token, lastSeq: 0 } });
    expect(await again.next('error')).toMatchObject({ code: 'name_taken' });
    expect((await again.waitClosed()).code).toBe(4009);
  });

  it('treats an unknown token as a fresh hello', async () => {
    const host = await testHost();
    const { welcome } = await V1Client.join(host.port, 'carol', {
      resume: { token: 'not-a-token-anyone-was-given', lastSeq: 7 },
    });
    expect(welcome.self.name).toBe('carol');
    expect(welcome.self.id).toMatch(PEER_ID);
    expect(welcome.token).not.toBe('not-a-token-anyone-was-given');
  });
});

describe('hello timeout', () => {
  it('closes with hello_timeout and 4001 when no hello arrives in time', async () => {
    const host = await testHost({ limits: { helloTimeoutMs: 150 } });
    const client = await V1Client.connect(host.port);
    const started = Date.now();
    expect(await client.next('error')).toMatchObject({ code: 'hello_timeout' });
    expect((await client.waitClosed()).code).toBe(4001);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('closes at once when a valid frame of another type comes before hello', async () => {
    const host = await testHost();
    const client = await V1Client.connect(host.port);
    client.say('early', 'hi');
    expect(await client.next('error')).toMatchObject({ code: 'hello_timeout', ref: 'early' });
    expect((await client.waitClosed()).code).toBe(4001);
  });

  it('answers malformed frames before hello as usual and keeps the timer running', async () => {
    // Long enough for the three answers to beat it on a loaded machine.
    const host = await testHost({ limits: { helloTimeoutMs: 1000 } });
    const client = await V1Client.connect(host.port);
    client.sendRaw('{nope');
    expect(await client.next('error')).toMatchObject({ code: 'bad_json' });
    client.send({ type: 'say', id: 'x' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_message', ref: 'x' });
    client.send({ type: 'hello', name: '' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_name' });
    expect(await client.next('error')).toMatchObject({ code: 'hello_timeout' });
    expect((await client.waitClosed()).code).toBe(4001);
  });

  it('does not time out a client that said hello in time', async () => {
    // Long enough for the hello to arrive in time on a loaded machine; `other` shows it ran out.
    const host = await testHost({ limits: { helloTimeoutMs: 1000 } });
    const { client } = await V1Client.join(host.port, 'alice');
    const other = await V1Client.connect(host.port);
    await other.waitClosed();
    client.send({ type: 'ping' });
    await client.next('pong');
    expect(client.received('error')).toEqual([]);
  });
});
