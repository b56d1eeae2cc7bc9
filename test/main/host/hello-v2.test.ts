import { describe, expect, it } from 'vitest';
import { directConversationId } from '../../../protocol/wire/identity';
import { SUBPROTOCOL_V2 } from '../../../protocol/wire/limits';
import { PlainClient, V1Client } from './helpers/clients';
import { testHost } from './helpers/host';
import { request } from './helpers/http';
import { gatedStore } from './helpers/stores';
import { newIdentity, V2Client } from './helpers/v2-client';
import { until } from '../../support/wait';

const EPHEMERAL_ID = /^p_[A-Za-z0-9_-]{12}$/;
const IDENTITY_ID = /^u_[A-Za-z0-9_-]{22}$/;

describe('the parley.v2 subprotocol', () => {
  it('is chosen when offered, and /api/info says the host speaks protocols 1 and 2', async () => {
    const host = await testHost();
    const client = await V2Client.connect(host.port);
    expect(client.socket.protocol).toBe(SUBPROTOCOL_V2);
    const info = JSON.parse((await request(host.port, '/api/info')).body) as object;
    expect(info).toMatchObject({ protocol: 2, protocols: [1, 2] });
  });
});

describe('identity', () => {
  it('makes the peer id from the identity, the same on every connection and after a reconnect', async () => {
    const host = await testHost();
    const alice = newIdentity();
    const { client, welcome } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    expect(welcome.self).toEqual({ id: alice.peerId, name: 'alice' });
    expect(welcome.self.id).toMatch(IDENTITY_ID);
    client.close();
    await until(() => host.peers().length === 0, 2000, 'alice to leave');
    const { welcome: again } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    expect(again.self.id).toBe(alice.peerId);
    expect(again.token).not.toBe(welcome.token);
  });

  it('gives a client without an identity a random ephemeral peer, shown as such to others', async () => {
    const host = await testHost();
    const { welcome } = await V2Client.join(host.port, 'guest');
    expect(welcome.self).toMatchObject({ name: 'guest', ephemeral: true });
    expect(welcome.self.id).toMatch(EPHEMERAL_ID);
    const { welcome: other } = await V2Client.join(host.port, 'other');
    expect(other.peers).toContainEqual(welcome.self);
    // parley.v1 knows no ephemeral flag: peers are {id, name} there.
    const { welcome: v1 } = await V1Client.join(host.port, 'vee');
    expect(v1.peers).toContainEqual({ id: welcome.self.id, name: 'guest' });
  });

  it('makes several connections of one identity one peer: one joined, and left with the last', async () => {
    const host = await testHost();
    const events: string[] = [];
    host.on('joined', (peer) => events.push(`joined ${peer.name}`));
    host.on('left', (peer) => events.push(`left ${peer.name}`));
    const { client: watcher } = await V2Client.join(host.port, 'watcher');
    const { client: oldTimer } = await V1Client.join(host.port, 'old-timer');
    const alice = newIdentity();
    const { client: first } = await V2Client.join(host.port, 'alice', { identity: alice.identity });
    const { client: second, welcome } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    expect(welcome.peerCount).toBe(3);
    expect(welcome.peers.filter((peer) => peer.id === alice.peerId)).toHaveLength(1);
    expect(host.peers().map((peer) => peer.name)).toEqual(['watcher', 'old-timer', 'alice']);

    first.close();
    // Whatever the host would have said about the first close, it said before these pongs.
    await Promise.all([first.waitClosed(), watcher.sync(), second.sync()]);
    await watcher.sync();
    expect(watcher.received('left')).toEqual([]);
    second.close();
    expect((await watcher.next('left')).peer).toEqual({ id: alice.peerId, name: 'alice' });
    expect((await oldTimer.next('left')).peer).toEqual({ id: alice.peerId, name: 'alice' });
    expect(watcher.received('joined').map((frame) => frame.peer.name)).toEqual([
      'old-timer',
      'alice',
    ]);
    expect(oldTimer.received('joined').map((frame) => frame.peer.name)).toEqual(['alice']);
    expect(events).toEqual(['joined watcher', 'joined old-timer', 'joined alice', 'left alice']);
  });
});

describe('names', () => {
  it('keeps a name for the identity connected with it: another identity gets name_taken (4009)', async () => {
    const host = await testHost();
    const alice = newIdentity();
    await V2Client.join(host.port, 'Alice', { identity: alice.identity });
    const mallory = await V2Client.connect(host.port);
    mallory.send({ type: 'hello', name: 'aLICE', identity: newIdentity().identity });
    expect(await mallory.next('error')).toMatchObject({ code: 'name_taken' });
    expect((await mallory.waitClosed()).code).toBe(4009);
    const guest = await V1Client.connect(host.port);
    guest.send({ type: 'hello', name: 'alice' });
    expect((await guest.waitClosed()).code).toBe(4009);
    // The same identity may of course come again with its name.
    const { welcome } = await V2Client.join(host.port, 'ALICE', { identity: alice.identity });
    expect(welcome.self).toEqual({ id: alice.peerId, name: 'ALICE' });
  });

  it('renames a connected identity that says hello with another name, for everyone', async () => {
    const host = await testHost();
    const alice = newIdentity();
    const { client: first } = await V2Client.join(host.port, 'alice', { identity: alice.identity });
    const { client: watcher } = await V2Client.join(host.port, 'watcher');
    const { client: oldTimer } = await V1Client.join(host.port, 'old-timer');
    const plain = await PlainClient.connect(host.port, '?name=plain');
    await plain.nextLine((line) => line === '* plain joined');

    const { welcome } = await V2Client.join(host.port, 'Alicia', { identity: alice.identity });
    const renamed = { id: alice.peerId, name: 'Alicia' };
    expect(welcome.self).toEqual(renamed);
    expect((await first.next('peer')).peer).toEqual(renamed);
    expect((await watcher.next('peer')).peer).toEqual(renamed);
    // parley.v1 has no rename: the old name leaves and the new one joins.
    const isAlice = (frame: { peer: { id: string } }) => frame.peer.id === alice.peerId;
    expect((await oldTimer.next('left', undefined, isAlice)).peer).toEqual({
      id: alice.peerId,
      name: 'alice',
    });
    expect((await oldTimer.next('joined', undefined, isAlice)).peer).toEqual(renamed);
    expect(await plain.nextLine((line) => line.includes('is now'))).toBe('* alice is now Alicia');
    expect(host.peers()).toContainEqual(renamed);
    // The old name is free again, the new one held.
    await V2Client.join(host.port, 'alice', { identity: newIdentity().identity });
    const late = await V2Client.connect(host.port);
    late.send({ type: 'hello', name: 'alicia' });
    expect((await late.waitClosed()).code).toBe(4009);
  });

  it('refuses a rename to a name another identity holds, on that connection only', async () => {
    const host = await testHost();
    const alice = newIdentity();
    const { client: first } = await V2Client.join(host.port, 'alice', { identity: alice.identity });
    await V2Client.join(host.port, 'bob', { identity: newIdentity().identity });
    const second = await V2Client.connect(host.port);
    second.send({ type: 'hello', name: 'Bob', identity: alice.identity });
    expect(await second.next('error')).toMatchObject({ code: 'name_taken' });
    expect((await second.waitClosed()).code).toBe(4009);
    await first.sync();
    expect(first.received('peer')).toEqual([]);
    expect(host.peers().map((peer) => peer.name)).toEqual(['alice', 'bob']);
  });

  it('answers a bad name with bad_name and lets the client say hello again', async () => {
    const host = await testHost();
    const client = await V2Client.connect(host.port);
    client.send({ type: 'hello', name: '  ', identity: newIdentity().identity });
    expect(await client.next('error')).toMatchObject({ code: 'bad_name' });
    client.send({ type: 'hello', name: 'ok' });
    expect((await client.next('welcome')).self.name).toBe('ok');
    client.send({ type: 'hello', name: 'again' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_message' });
  });

  it('refuses an identity that is not 43 to 86 base64url characters with bad_message', async () => {
    const host = await testHost();
    const client = await V2Client.connect(host.port);
    client.send({ type: 'hello', name: 'x', identity: 'too-short' });
    expect(await client.next('error')).toMatchObject({ code: 'bad_message' });
  });
});

describe('sessions', () => {
  it('takes a live session over with its token: the old socket gets replaced (4010)', async () => {
    const host = await testHost();
    const alice = newIdentity();
    const { client: first, welcome } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    const { client: watcher } = await V2Client.join(host.port, 'watcher');
    const { client: second, welcome: resumed } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
      resume: { token: welcome.token },
    });
    expect(resumed.token).toBe(welcome.token);
    expect(await first.next('error')).toMatchObject({ code: 'replaced' });
    expect((await first.waitClosed()).code).toBe(4010);
    await watcher.sync();
    expect(watcher.received('left')).toEqual([]);
    second.say('after', 'general', 'still me');
    expect((await watcher.next('message')).from).toEqual({ id: alice.peerId, name: 'alice' });
  });

  it('gives an ephemeral peer its id back with its token, and ignores a token of another identity', async () => {
    const host = await testHost();
    const { client: guest, welcome } = await V2Client.join(host.port, 'guest');
    guest.close();
    await until(() => host.peers().length === 0, 2000, 'the guest to leave');
    const { welcome: back } = await V2Client.join(host.port, 'guest', {
      resume: { token: welcome.token },
    });
    expect(back.self).toEqual(welcome.self);

    const alice = newIdentity();
    const { welcome: aliceWelcome } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    const mallory = newIdentity();
    const { welcome: stolen } = await V2Client.join(host.port, 'mallory', {
      identity: mallory.identity,
      resume: { token: aliceWelcome.token },
    });
    expect(stolen.self.id).toBe(mallory.peerId);
    expect(stolen.token).not.toBe(aliceWelcome.token);
    // A token of an identity is no way in without it, for parley.v1 either.
    const { welcome: v1 } = await V1Client.join(host.port, 'vee', {
      resume: { token: aliceWelcome.token, lastSeq: 0 },
    });
    expect(v1.self.id).not.toBe(alice.peerId);
  });

  it('asks for the password in a password room, as parley.v1 does', async () => {
    const host = await testHost({ password: 'sesame' });
    const client = await V2Client.connect(host.port);
    client.send({ type: 'hello', name: 'eve', identity: newIdentity().identity });
    expect(await client.next('error')).toMatchObject({ code: 'auth_failed' });
    expect((await client.waitClosed()).code).toBe(4003);
    const { welcome } = await V2Client.join(host.port, 'alice', { password: 'sesame' });
    expect(welcome.self.name).toBe('alice');
  });
});

describe('the welcome', () => {
  it('lists the conversations, then catches each one up in that order', async () => {
    const host = await testHost();
    const alice = newIdentity();
    const { client } = await V2Client.join(host.port, 'alice', { identity: alice.identity });
    client.send({ type: 'create_channel', id: 'c-zoo', name: 'zoo' });
    client.send({ type: 'create_channel', id: 'c-art', name: 'Art' });
    const zoo = (await client.next('ack', undefined, (ack) => ack.id === 'c-zoo')).conv;
    const art = (await client.next('ack', undefined, (ack) => ack.id === 'c-art')).conv;
    client.say('hi', 'general', 'hello');
    await client.next('ack', undefined, (ack) => ack.id === 'hi');

    const { client: again, welcome } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    expect(welcome).toMatchObject({ protocol: 2, room: host.room, peerCount: 1 });
    expect(welcome.conversations.map((conversation) => conversation.id)).toEqual([
      'general',
      art,
      zoo,
    ]);
    expect(welcome.conversations[1]).toMatchObject({
      kind: 'channel',
      name: 'Art',
      member: true,
      creator: alice.peerId,
      lastSeq: 1,
      readSeq: 0,
    });
    await again.nextIn('catchup', zoo);
    const catchups = again.received('catchup');
    expect(catchups.map((catchup) => catchup.conv)).toEqual(['general', art, zoo]);
    expect(catchups[0]!.messages.map((entry) => entry.id)).toEqual(['hi']);
    expect(catchups[1]!.messages).toMatchObject([
      { seq: 1, kind: 'system', event: 'channel_created' },
    ]);
  });

  it('lists at most welcomePeersMax people by name, counts them all, and pages the rest', async () => {
    const host = await testHost({ limits: { welcomePeersMax: 3 } });
    for (const name of ['dora', 'Bea', 'eve', 'cleo']) await V2Client.join(host.port, name);
    await V1Client.join(host.port, 'al');
    const { client, welcome } = await V2Client.join(host.port, 'fay');
    expect(welcome.peerCount).toBe(6);
    expect(welcome.peers.map((peer) => peer.name)).toEqual(['al', 'Bea', 'cleo']);
    client.send({ type: 'peers', after: 'CLEO', limit: 2 });
    expect(await client.next('peers')).toMatchObject({ more: true });
    expect(client.received('peers')[0]!.peers.map((peer) => peer.name)).toEqual(['dora', 'eve']);
    client.send({ type: 'peers', after: 'eve', limit: 2 });
    const last = await client.next('peers');
    expect(last.peers.map((peer) => peer.name)).toEqual(['fay']);
    expect(last.more).toBe(false);
    client.send({ type: 'peers', limit: 1000 });
    expect((await client.next('peers')).peers).toHaveLength(6);
  });
});

describe('resume with cursors', () => {
  /** alice (in general, a channel and a direct conversation) and bob, who posts while she is away. */
  async function roomWithAliceAway(limits = {}) {
    const gated = gatedStore();
    const host = await testHost({ store: gated.store, limits: { rateBurst: 100, ...limits } });
    const alice = newIdentity();
    const bob = newIdentity();
    const { client: aliceClient, welcome } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    const { client: bobClient } = await V2Client.join(host.port, 'bob', { identity: bob.identity });
    aliceClient.send({ type: 'create_channel', id: 'dev', name: 'dev' });
    const dev = (await aliceClient.next('ack')).conv;
    bobClient.send({ type: 'join', conv: dev });
    await bobClient.nextIn('catchup', dev);
    bobClient.send({ type: 'open_direct', peer: alice.peerId });
    const direct = directConversationId(alice.peerId, bob.peerId);
    await aliceClient.nextIn('catchup', direct);
    const post = async (conv: string, count: number) => {
      for (let index = 0; index < count; index++)
        bobClient.say(`${conv}-${index}-${Math.random()}`, conv, `${index}`);
      await bobClient.next(
        'ack',
        3000,
        (ack) => ack.conv === conv && ack.id.startsWith(`${conv}-${count - 1}-`),
      );
    };
    await post('general', 2);
    await post(dev, 2);
    await post(direct, 1);
    await aliceClient.nextIn('message', direct);
    const cursors = { general: 2, [dev]: 4, [direct]: 1 };
    aliceClient.close();
    await bobClient.next('left');
    await post('general', 3);
    await post(dev, 4);
    await post(direct, 2);
    return { host, gated, alice, bobClient, token: welcome.token, dev, direct, cursors, post };
  }

  it('catches each conversation up with exactly what was missed, in welcome order', async () => {
    const { host, alice, token, dev, direct, cursors } = await roomWithAliceAway();
    const { client } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
      resume: { token, cursors },
    });
    await client.nextIn('catchup', direct);
    const catchups = client.received('catchup');
    expect(catchups.map(({ conv, gap }) => `${conv} ${gap}`)).toEqual([
      'general false',
      `${dev} false`,
      `${direct} false`,
    ]);
    expect(catchups.map(({ messages }) => messages.map((entry) => entry.seq))).toEqual([
      [3, 4, 5],
      [5, 6, 7, 8],
      [2, 3],
    ]);
  });

  it('keeps the newest historyOnResume with gap, and the newest catchupOnJoin without a cursor', async () => {
    const { host, alice, token, dev, direct } = await roomWithAliceAway({
      historyOnResume: 2,
      catchupOnJoin: 3,
    });
    const { client } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
      resume: { token, cursors: { general: 2, [dev]: 4 } },
    });
    await client.nextIn('catchup', direct);
    const catchups = client.received('catchup');
    expect(catchups.map(({ messages, gap }) => [messages.map((entry) => entry.seq), gap])).toEqual([
      [[4, 5], true],
      [[7, 8], true],
      [[1, 2, 3], false],
    ]);
  });

  it('sends a conversation’s catchup before any live entry of it, each entry once', async () => {
    const { host, gated, alice, token, dev, cursors, post } = await roomWithAliceAway();
    gated.hold();
    const posting = post(dev, 2);
    await until(() => gated.store.lastSeq(dev) === 10, 2000, 'the appends in flight');
    const { client } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
      resume: { token, cursors },
    });
    gated.release();
    await posting;
    await client.nextIn('message', dev, (entry) => entry.seq === 10);
    const seen = client
      .receivedIn(dev)
      .flatMap((frame) =>
        frame.type === 'catchup'
          ? frame.messages.map((entry) => `catchup ${entry.seq}`)
          : frame.type === 'message'
            ? [`live ${frame.seq}`]
            : [],
      );
    expect(seen).toEqual([5, 6, 7, 8].map((seq) => `catchup ${seq}`).concat(['live 9', 'live 10']));
  });
});
