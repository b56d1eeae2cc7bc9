import { describe, expect, it } from 'vitest';
import { directConversationId } from '../../../protocol/wire/identity';
import { PlainClient, V1Client } from './helpers/clients';
import { testHost } from './helpers/host';
import { newIdentity, V2Client } from './helpers/v2-client';

async function person(port: number, name: string) {
  const identity = newIdentity();
  const { client, welcome } = await V2Client.join(port, name, { identity: identity.identity });
  return { client, welcome, ...identity };
}

/** Creates a channel and waits for its creator's catchup of it; resolves with its id. */
async function createChannel(client: V2Client, name: string, id = `create-${name}`) {
  client.send({ type: 'create_channel', id, name });
  const { conv } = await client.next('ack', undefined, (ack) => ack.id === id);
  await client.nextIn('catchup', conv);
  return conv;
}

describe('create_channel', () => {
  it('acks with the new channel at seq 1, tells everyone, and catches the creator up', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    const { client: oldTimer } = await V1Client.join(host.port, 'old-timer');
    alice.client.send({ type: 'create_channel', id: 'new', name: 'Dev', topic: 'all things dev' });
    const ack = await alice.client.next('ack');
    expect(ack).toMatchObject({ id: 'new', seq: 1 });
    expect(ack.conv).toMatch(/^c_[A-Za-z0-9_-]{16}$/);
    const channel = { id: ack.conv, kind: 'channel', name: 'Dev', topic: 'all things dev' };
    expect(await alice.client.nextIn('conversation', ack.conv)).toMatchObject({
      ...channel,
      member: true,
      creator: alice.peerId,
      lastSeq: 1,
    });
    const catchup = await alice.client.nextIn('catchup', ack.conv);
    expect(catchup.messages).toEqual([
      expect.objectContaining({
        seq: 1,
        id: 'new',
        kind: 'system',
        event: 'channel_created',
        from: alice.welcome.self,
        by: alice.welcome.self,
        name: 'Dev',
        topic: 'all things dev',
      }),
    ]);
    expect(await bob.client.nextIn('conversation', ack.conv)).toMatchObject({
      ...channel,
      member: false,
    });
    // Only members get a channel's entries; parley.v1 never hears of channels.
    await bob.client.sync();
    expect(bob.client.received('catchup').map((frame) => frame.conv)).toEqual(['general']);
    expect(bob.client.received('message')).toEqual([]);
    oldTimer.send({ type: 'ping' });
    await oldTimer.next('pong');
    expect(oldTimer.invalid).toEqual([]);
    expect(oldTimer.frames.all.map((frame) => frame.type)).toEqual(['welcome', 'pong']);
  });

  it('refuses a taken name (case-insensitively, general too), a bad one, and answers a retry', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const dev = await createChannel(alice.client, 'dev', 'first');
    for (const name of ['DEV', 'General']) {
      alice.client.send({ type: 'create_channel', id: `again-${name}`, name });
      expect(await alice.client.next('error')).toMatchObject({
        code: 'channel_exists',
        ref: `again-${name}`,
      });
    }
    alice.client.send({ type: 'create_channel', id: 'bad', name: ' \t ' });
    expect(await alice.client.next('error')).toMatchObject({ code: 'bad_name', ref: 'bad' });
    alice.client.send({ type: 'create_channel', id: 'first', name: 'another' });
    expect(await alice.client.next('ack')).toEqual({ type: 'ack', id: 'first', conv: dev, seq: 1 });
    const { welcome } = await V2Client.join(host.port, 'bob');
    expect(welcome.conversations.map((conversation) => conversation.name)).toEqual([
      'general',
      'dev',
    ]);
  });
});

describe('the number of channels', () => {
  it('is bounded by maxChannels, so every welcome stays within reach', async () => {
    const host = await testHost({ maxChannels: 2 });
    const alice = await person(host.port, 'alice');
    await createChannel(alice.client, 'one');
    await createChannel(alice.client, 'two');
    alice.client.send({ type: 'create_channel', id: 'three', name: 'three' });
    expect(await alice.client.next('error')).toMatchObject({ code: 'not_allowed', ref: 'three' });
  });
});

describe('join and leave', () => {
  it('logs each change, shows the joiner the channel and its entries, and stops them on leave', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    const dev = await createChannel(alice.client, 'dev');
    alice.client.say('before', dev, 'before bob');
    await alice.client.nextIn('ack', dev);

    await bob.client.nextIn('conversation', dev); // the channel was created
    bob.client.send({ type: 'join', conv: dev });
    expect(await bob.client.nextIn('conversation', dev)).toMatchObject({
      member: true,
      lastSeq: 3,
    });
    const catchup = await bob.client.nextIn('catchup', dev);
    expect(catchup.messages.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(catchup.messages[2]).toMatchObject({
      kind: 'system',
      event: 'joined_channel',
      by: bob.welcome.self,
    });
    const seq = (n: number) => (entry: { seq: number }) => entry.seq === n;
    expect(await alice.client.nextIn('message', dev, seq(3))).toMatchObject({
      event: 'joined_channel',
    });

    alice.client.say('after', dev, 'with bob');
    expect(await bob.client.nextIn('message', dev)).toMatchObject({ seq: 4, text: 'with bob' });
    // Joining again changes nothing and is answered all the same.
    bob.client.send({ type: 'join', conv: dev });
    expect(await bob.client.nextIn('conversation', dev)).toMatchObject({
      member: true,
      lastSeq: 4,
    });

    bob.client.send({ type: 'leave', conv: dev });
    expect(await bob.client.nextIn('message', dev)).toMatchObject({
      seq: 5,
      event: 'left_channel',
    });
    expect(await bob.client.nextIn('conversation', dev)).toMatchObject({ member: false });
    expect(await alice.client.nextIn('message', dev, seq(5))).toMatchObject({
      event: 'left_channel',
    });
    alice.client.say('gone', dev, 'without bob');
    await alice.client.nextIn('message', dev, (entry) => entry.seq === 6);
    await bob.client.sync();
    expect(bob.client.receivedIn(dev).filter((frame) => frame.type === 'message')).toHaveLength(2);
    bob.client.send({ type: 'leave', conv: dev });
    expect(await bob.client.nextIn('conversation', dev)).toMatchObject({
      member: false,
      lastSeq: 6,
    });
  });

  it('refuses posts from non-members with not_member, but lets them read the history', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const carol = await person(host.port, 'carol');
    const dev = await createChannel(alice.client, 'dev');
    for (let index = 0; index < 5; index++) alice.client.say(`m${index}`, dev, `dev ${index}`);
    alice.client.say('g', 'general', 'for everyone');
    await alice.client.nextIn('ack', 'general');
    carol.client.say('nope', dev, 'let me in');
    expect(await carol.client.next('error')).toMatchObject({ code: 'not_member', ref: 'nope' });
    carol.client.send({ type: 'history', conv: dev, before: 100, limit: 3 });
    const page = await carol.client.nextIn('history', dev);
    expect(page.messages.map((entry) => entry.seq)).toEqual([4, 5, 6]);
    expect(page.more).toBe(true);
    expect(carol.client.received('message').map((entry) => entry.conv)).toEqual(['general']);
  });

  it('refuses leaving general, and joining or leaving a direct conversation', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    const carol = await person(host.port, 'carol');
    alice.client.send({ type: 'leave', conv: 'general' });
    expect(await alice.client.next('error')).toMatchObject({ code: 'not_allowed' });
    alice.client.send({ type: 'join', conv: 'general' });
    expect(await alice.client.nextIn('conversation', 'general')).toMatchObject({ member: true });
    alice.client.send({ type: 'open_direct', peer: bob.peerId });
    const direct = directConversationId(alice.peerId, bob.peerId);
    await alice.client.nextIn('catchup', direct);
    for (const type of ['join', 'leave']) {
      alice.client.send({ type, conv: direct });
      expect(await alice.client.next('error')).toMatchObject({ code: 'not_allowed' });
      carol.client.send({ type, conv: direct });
      expect(await carol.client.next('error')).toMatchObject({ code: 'no_such_conversation' });
    }
    carol.client.send({ type: 'join', conv: 'c_nothing' });
    expect(await carol.client.next('error')).toMatchObject({ code: 'no_such_conversation' });
  });
});

describe('direct conversations', () => {
  it('are opened for both sides, the other first, and are invisible to a third', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    const carol = await person(host.port, 'carol');
    const { client: oldTimer } = await V1Client.join(host.port, 'old-timer');
    const plain = await PlainClient.connect(host.port, '?name=plain');
    const direct = directConversationId(alice.peerId, bob.peerId);

    alice.client.send({ type: 'open_direct', peer: bob.peerId });
    const members = [alice.welcome.self, bob.welcome.self].sort((a, b) => (a.id < b.id ? -1 : 1));
    const shown = { id: direct, kind: 'direct', members, lastSeq: 0, readSeq: 0 };
    expect(await bob.client.nextIn('conversation', direct)).toEqual({
      type: 'conversation',
      ...shown,
    });
    expect(await alice.client.nextIn('conversation', direct)).toEqual({
      type: 'conversation',
      ...shown,
    });
    expect(await alice.client.nextIn('catchup', direct)).toMatchObject({
      messages: [],
      gap: false,
    });
    expect(await bob.client.nextIn('catchup', direct)).toMatchObject({ messages: [], gap: false });

    alice.client.say('hi', direct, 'just us');
    expect(await bob.client.nextIn('message', direct)).toMatchObject({ seq: 1, text: 'just us' });
    bob.client.say('hey', direct, 'indeed', { replyTo: 1 });
    const reply = await alice.client.nextIn('message', direct, (entry) => entry.seq === 2);
    expect(reply).toMatchObject({ text: 'indeed', replyTo: 1 });

    // The third learns nothing, not even that it exists.
    const probes = [
      { type: 'say', id: 'c1', conv: direct, text: 'hi' },
      { type: 'history', conv: direct, before: 10, limit: 10 },
      { type: 'read', conv: direct, seq: 1 },
      { type: 'typing', conv: direct },
      { type: 'join', conv: direct },
      { type: 'set_topic', id: 'c2', conv: direct, topic: 'x' },
      { type: 'rename_channel', conv: direct, name: 'x' },
    ];
    for (const probe of probes) {
      carol.client.send(probe);
      expect(await carol.client.next('error'), probe.type).toMatchObject({
        code: 'no_such_conversation',
      });
    }
    await carol.client.sync();
    expect(carol.client.receivedIn(direct)).toEqual([]);
    oldTimer.send({ type: 'ping' });
    await oldTimer.next('pong');
    expect(oldTimer.received('message')).toEqual([]);
    plain.send('after');
    expect(await plain.nextLine((line) => line.startsWith('plain:'))).toBe('plain: after');
    expect(plain.lines.all.some((line) => line.includes('just us'))).toBe(false);

    // Opening it again answers with it; it is in both welcomes from now on.
    bob.client.send({ type: 'open_direct', peer: alice.peerId });
    expect(await bob.client.nextIn('conversation', direct)).toMatchObject({ lastSeq: 2 });
    const { welcome } = await V2Client.join(host.port, 'alice', { identity: alice.identity });
    expect(welcome.conversations.at(-1)).toMatchObject({ id: direct, kind: 'direct', lastSeq: 2 });
  });

  it('can be opened with someone offline, who finds it on coming back', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    bob.client.close();
    await alice.client.next('left');
    alice.client.send({ type: 'open_direct', peer: bob.peerId });
    const direct = directConversationId(alice.peerId, bob.peerId);
    const opened = await alice.client.nextIn('conversation', direct);
    expect(opened.members).toContainEqual({ id: bob.peerId, name: 'bob' });
    alice.client.say('note', direct, 'when you are back');
    await alice.client.nextIn('ack', direct);
    const { client: back, welcome } = await V2Client.join(host.port, 'bob', {
      identity: bob.identity,
    });
    expect(welcome.conversations.map((conversation) => conversation.id)).toContain(direct);
    expect((await back.nextIn('catchup', direct)).messages).toMatchObject([
      { text: 'when you are back' },
    ]);
  });

  it('need a lasting identity on both sides, and someone else', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const { client: guest, welcome: guestWelcome } = await V2Client.join(host.port, 'guest');
    const { welcome: oldTimer } = await V1Client.join(host.port, 'old-timer');
    for (const peer of [guestWelcome.self.id, oldTimer.self.id, newIdentity().peerId, 'u_nobody']) {
      alice.client.send({ type: 'open_direct', peer });
      expect(await alice.client.next('error'), peer).toMatchObject({ code: 'no_identity' });
    }
    guest.send({ type: 'open_direct', peer: alice.peerId });
    expect(await guest.next('error')).toMatchObject({ code: 'no_identity' });
    alice.client.send({ type: 'open_direct', peer: alice.peerId });
    expect(await alice.client.next('error')).toMatchObject({ code: 'bad_message' });
  });
});

describe('rename_channel', () => {
  it('lets the creator alone rename a channel; everyone is told, nothing is logged', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    const dev = await createChannel(alice.client, 'dev');
    await createChannel(alice.client, 'ops');
    bob.client.send({ type: 'join', conv: dev });
    await bob.client.nextIn('catchup', dev);
    bob.client.send({ type: 'rename_channel', conv: dev, name: 'bobs' });
    expect(await bob.client.next('error')).toMatchObject({ code: 'not_allowed' });
    alice.client.send({ type: 'rename_channel', conv: 'general', name: 'lobby' });
    expect(await alice.client.next('error')).toMatchObject({ code: 'not_allowed' });
    alice.client.send({ type: 'rename_channel', conv: dev, name: 'OPS' });
    expect(await alice.client.next('error')).toMatchObject({ code: 'channel_exists' });

    alice.client.send({ type: 'rename_channel', conv: dev, name: 'Engineering' });
    for (const client of [alice.client, bob.client]) {
      expect(
        await client.nextIn('conversation', dev, (frame) => frame.name === 'Engineering'),
      ).toMatchObject({
        lastSeq: 2,
      });
    }
    alice.client.send({ type: 'create_channel', id: 'reuse', name: 'dev' });
    expect((await alice.client.next('ack', undefined, (ack) => ack.id === 'reuse')).seq).toBe(1);
    const { welcome } = await V2Client.join(host.port, 'carol');
    expect(welcome.conversations.map((conversation) => conversation.name)).toEqual([
      'general',
      'dev',
      'Engineering',
      'ops',
    ]);
  });
});

describe('one identity on two connections', () => {
  it('sees the same entries and conversations on both', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const { client: tablet } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    const bob = await person(host.port, 'bob');
    const dev = await createChannel(bob.client, 'dev');
    alice.client.send({ type: 'join', conv: dev });
    for (const client of [alice.client, tablet]) {
      expect(
        await client.nextIn('conversation', dev, (frame) => frame.member === true),
      ).toBeTruthy();
      expect((await client.nextIn('catchup', dev)).messages).toHaveLength(2);
    }
    bob.client.send({ type: 'open_direct', peer: alice.peerId });
    const direct = directConversationId(alice.peerId, bob.peerId);
    for (const client of [alice.client, tablet]) await client.nextIn('catchup', direct);
    bob.client.say('d', direct, 'to both screens');
    bob.client.say('c', dev, 'in dev');
    tablet.say('t', dev, 'from the tablet');
    for (const client of [alice.client, tablet]) {
      await client.nextIn('message', dev, (entry) => entry.id === 't');
    }
    const seen = (client: V2Client) =>
      client.received('message').map((entry) => `${entry.conv}:${entry.seq}:${entry.id}`);
    expect(seen(alice.client)).toEqual(seen(tablet));
    // Her own join came in the catchup; the live entries are the three posts.
    expect(
      seen(alice.client)
        .map((item) => item.split(':').at(-1))
        .sort(),
    ).toEqual(['c', 'd', 't']);
    expect(seen(alice.client)).toContain(`${direct}:1:d`);
    // The ack goes to the connection that posted only.
    expect(tablet.received('ack').map((ack) => ack.id)).toEqual(['t']);
    expect(alice.client.received('ack')).toEqual([]);
  });
});
