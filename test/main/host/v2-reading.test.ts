import { describe, expect, it } from 'vitest';
import { directConversationId } from '../../../protocol/wire/identity';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';
import { newIdentity, V2Client } from './helpers/v2-client';
import { until } from '../../support/wait';

async function person(port: number, name: string) {
  const identity = newIdentity();
  const { client, welcome } = await V2Client.join(port, name, { identity: identity.identity });
  return { client, welcome, ...identity };
}

async function postMany(client: V2Client, conv: string, count: number, prefix = 'm') {
  for (let index = 1; index <= count; index++) client.say(`${prefix}${index}`, conv, `${index}`);
  await client.next('ack', undefined, (ack) => ack.id === `${prefix}${count}`);
}

describe('read markers', () => {
  it('are kept per identity, clamped, never lowered, and echoed to its other connections', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const { client: tablet } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    await postMany(alice.client, 'general', 5);

    alice.client.send({ type: 'read', conv: 'general', seq: 3 });
    expect(await tablet.nextIn('read', 'general')).toEqual({
      type: 'read',
      conv: 'general',
      seq: 3,
    });
    alice.client.send({ type: 'read', conv: 'general', seq: 2 });
    tablet.send({ type: 'read', conv: 'general', seq: 99 });
    expect(await alice.client.nextIn('read', 'general')).toEqual({
      type: 'read',
      conv: 'general',
      seq: 5,
    });
    await tablet.sync();
    expect(tablet.received('read').map((frame) => frame.seq)).toEqual([3]);

    alice.client.close();
    tablet.close();
    await until(() => host.peers().length === 0, 2000, 'alice to leave');
    const { welcome } = await V2Client.join(host.port, 'alice', { identity: alice.identity });
    expect(welcome.conversations[0]).toMatchObject({ id: 'general', lastSeq: 5, readSeq: 5 });
  });

  it('live only as long as the peer is present for an ephemeral peer', async () => {
    const host = await testHost();
    const { client, welcome } = await V2Client.join(host.port, 'guest');
    await postMany(client, 'general', 2);
    client.send({ type: 'read', conv: 'general', seq: 2 });
    await client.sync();
    // A takeover keeps the peer present: its marker stays.
    const { client: second, welcome: takenOver } = await V2Client.join(host.port, 'guest', {
      resume: { token: welcome.token },
    });
    expect(takenOver.conversations[0]).toMatchObject({ readSeq: 2 });
    second.close();
    await until(() => host.peers().length === 0, 2000, 'the guest to leave');
    const { welcome: later } = await V2Client.join(host.port, 'guest', {
      resume: { token: welcome.token },
    });
    expect(later.self).toEqual(welcome.self);
    expect(later.conversations[0]).toMatchObject({ lastSeq: 2, readSeq: 0 });
  });

  it('are refused for a direct conversation of others, and allowed for any channel', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    const carol = await person(host.port, 'carol');
    alice.client.send({ type: 'open_direct', peer: bob.peerId });
    const direct = directConversationId(alice.peerId, bob.peerId);
    await alice.client.nextIn('catchup', direct);
    carol.client.send({ type: 'read', conv: direct, seq: 0 });
    expect(await carol.client.next('error')).toMatchObject({ code: 'no_such_conversation' });
    alice.client.send({ type: 'create_channel', id: 'c', name: 'dev' });
    const dev = (await alice.client.next('ack')).conv;
    carol.client.send({ type: 'read', conv: dev, seq: 1 });
    await carol.client.sync();
    expect(carol.client.received('error')).toHaveLength(1);
  });
});

describe('typing', () => {
  it('goes to the members of its conversation, not to the typist, and to parley.v1 for general only', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const { client: tablet } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    const bob = await person(host.port, 'bob');
    const carol = await person(host.port, 'carol');
    const { client: oldTimer } = await V1Client.join(host.port, 'old-timer');
    alice.client.send({ type: 'create_channel', id: 'c', name: 'dev' });
    const dev = (await alice.client.next('ack')).conv;
    bob.client.send({ type: 'join', conv: dev });
    await bob.client.nextIn('catchup', dev);

    alice.client.send({ type: 'typing', conv: dev });
    expect(await bob.client.nextIn('typing', dev)).toEqual({
      type: 'typing',
      conv: dev,
      peer: alice.welcome.self,
    });
    alice.client.send({ type: 'typing', conv: 'general' });
    expect(await carol.client.nextIn('typing', 'general')).toMatchObject({
      peer: alice.welcome.self,
    });
    expect((await oldTimer.next('typing')).peer).toEqual(alice.welcome.self);
    oldTimer.send({ type: 'typing' });
    const fromOldTimer = (frame: { peer: { name: string } }) => frame.peer.name === 'old-timer';
    expect(await bob.client.nextIn('typing', 'general', fromOldTimer)).toBeTruthy();
    // carol reads dev without having joined: her typing there goes nowhere.
    carol.client.send({ type: 'typing', conv: dev });
    await Promise.all([alice.client.sync(), tablet.sync(), bob.client.sync(), carol.client.sync()]);
    expect(carol.client.receivedIn(dev).filter((frame) => frame.type === 'typing')).toEqual([]);
    expect(alice.client.received('typing').map((frame) => frame.peer.name)).toEqual(['old-timer']);
    expect(tablet.received('typing').map((frame) => frame.peer.name)).toEqual(['old-timer']);
    expect(
      bob.client.received('typing').map((frame) => `${frame.conv} ${frame.peer.name}`),
    ).toEqual([`${dev} alice`, 'general alice', 'general old-timer']);
    expect(oldTimer.received('typing')).toHaveLength(1);
  });
});

describe('history', () => {
  it('pages one conversation backwards, newest first out', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    await postMany(alice.client, 'general', 7);
    alice.client.send({ type: 'history', conv: 'general', before: 6, limit: 3 });
    const page = await alice.client.nextIn('history', 'general');
    expect(page.messages.map((entry) => entry.seq)).toEqual([3, 4, 5]);
    expect(page.more).toBe(true);
    alice.client.send({ type: 'history', conv: 'general', before: 3, limit: 5 });
    const first = await alice.client.nextIn('history', 'general');
    expect(first).toMatchObject({ more: false });
    expect(first.messages.map((entry) => entry.seq)).toEqual([1, 2]);
    alice.client.send({ type: 'history', conv: 'nowhere', before: 3, limit: 5 });
    expect(await alice.client.next('error')).toMatchObject({ code: 'no_such_conversation' });
  });
});
