/**
 * What one host promises holds across the hosts of a shared room: exactly once, resume, names,
 * conversations, parley.v1 clients.
 */
import { describe, expect, it } from 'vitest';
import { GENERAL } from '../../../../protocol/wire/identity';
import { V1Client } from '../helpers/clients';
import { newIdentity, V2Client } from '../helpers/v2-client';
import { sharedHost, testRedis } from './helpers';

const textOf = (frame: object) => (frame as { text?: unknown }).text;

describe('a room shared by several hosts', () => {
  it('answers a say retried through another host with the original seq, storing it once', async () => {
    const redis = await testRedis();
    const [a, b] = [await sharedHost(redis), await sharedHost(redis)];
    const me = newIdentity();
    const { client: first } = await V2Client.join(a.port, 'ann', me);
    first.say('once', GENERAL, 'hello');
    const ack = await first.nextIn('ack', GENERAL);
    first.close();
    const { client: again } = await V2Client.join(b.port, 'ann', me);
    again.say('once', GENERAL, 'hello');
    const retried = await again.nextIn('ack', GENERAL);
    expect(retried).toEqual(ack);
    const { client: reader } = await V2Client.join(a.port, 'bob', newIdentity());
    const catchup = await reader.nextIn('catchup', GENERAL);
    expect(catchup.messages.filter((entry) => textOf(entry) === 'hello')).toHaveLength(1);
  });

  it('resumes a session of host A on host B with exactly the entries missed', async () => {
    const redis = await testRedis();
    const [a, b] = [await sharedHost(redis), await sharedHost(redis)];
    const me = newIdentity();
    const { client, welcome } = await V2Client.join(a.port, 'ann', me);
    const { client: talker } = await V2Client.join(b.port, 'bob', newIdentity());
    talker.say('before', GENERAL, 'before');
    const seen = await client.nextIn('message', GENERAL, (frame) => textOf(frame) === 'before');
    client.close();
    for (const text of ['missed 1', 'missed 2', 'missed 3']) {
      talker.say(text, GENERAL, text);
      await talker.nextIn('ack', GENERAL, (ack) => ack.id === text);
    }
    const { client: back, welcome: again } = await V2Client.join(b.port, 'ann', {
      ...me,
      resume: { token: welcome.token, cursors: { [GENERAL]: seen.seq } },
    });
    expect(again.self.id).toBe(welcome.self.id);
    const catchup = await back.nextIn('catchup', GENERAL);
    expect(catchup.gap).toBe(false);
    expect(catchup.messages.map(textOf)).toEqual(['missed 1', 'missed 2', 'missed 3']);
    expect(catchup.messages[0]!.seq).toBe(seen.seq + 1);
  });

  it('resumes an ephemeral (v1) session of host A on host B', async () => {
    const redis = await testRedis();
    const [a, b] = [await sharedHost(redis), await sharedHost(redis)];
    const { client, welcome } = await V1Client.join(a.port, 'cat');
    client.close();
    const { client: talker } = await V2Client.join(a.port, 'dan', newIdentity());
    talker.say('m', GENERAL, 'while away');
    await talker.nextIn('ack', GENERAL, (ack) => ack.id === 'm');
    const { welcome: again } = await V1Client.join(b.port, 'cat', {
      resume: { token: welcome.token, lastSeq: welcome.lastSeq },
    });
    expect(again.self.id).toBe(welcome.self.id);
    expect(again.history.map((message) => message.text)).toEqual(['while away']);
  });

  it('keeps names unique across hosts', async () => {
    const redis = await testRedis();
    const [a, b] = [await sharedHost(redis), await sharedHost(redis)];
    await V2Client.join(a.port, 'Eve', newIdentity());
    const late = await V2Client.connect(b.port);
    late.send({ type: 'hello', name: 'eve', ...newIdentity() });
    const refused = await late.next('error');
    expect(refused.code).toBe('name_taken');
    const v1 = await V1Client.connect(b.port);
    v1.send({ type: 'hello', name: 'EVE' });
    expect((await v1.next('error')).code).toBe('name_taken');
  });

  it('shows presence and messages of every host to v1 and v2 clients alike', async () => {
    const redis = await testRedis();
    const [a, b] = [await sharedHost(redis), await sharedHost(redis)];
    const { client: v1 } = await V1Client.join(a.port, 'old');
    const { client: v2 } = await V2Client.join(b.port, 'new', newIdentity());
    expect((await v1.next('joined')).peer.name).toBe('new');
    v1.say('from-v1', 'hi from v1');
    const onB = await v2.nextIn('message', GENERAL, (frame) => frame.id === 'from-v1');
    v2.say('from-v2', GENERAL, 'hi from v2');
    const onA = await v1.next('message', undefined, (frame) => frame.id === 'from-v2');
    expect(onA.seq).toBe(onB.seq + 1);
    expect(
      a
        .peers()
        .map((peer) => peer.name)
        .sort(),
    ).toEqual(['new', 'old']);
    expect(
      b
        .peers()
        .map((peer) => peer.name)
        .sort(),
    ).toEqual(['new', 'old']);
  });

  it('carries channels and direct conversations across hosts', async () => {
    const redis = await testRedis();
    const [a, b] = [await sharedHost(redis), await sharedHost(redis)];
    const ann = newIdentity();
    const bob = newIdentity();
    const { client: onA } = await V2Client.join(a.port, 'ann', ann);
    const { client: onB } = await V2Client.join(b.port, 'bob', bob);
    onA.send({ type: 'create_channel', id: 'c1', name: 'plans' });
    const created = await onA.next('ack', undefined, (frame) => frame.id === 'c1');
    expect(created.seq).toBe(1);
    const announced = await onB.next(
      'conversation',
      undefined,
      (frame) => frame.id === created.conv,
    );
    expect(announced.name).toBe('plans');
    onB.send({ type: 'join', conv: created.conv });
    await onB.nextIn('catchup', created.conv);
    onB.say('in-plans', created.conv, 'count me in');
    const said = await onA.nextIn('message', created.conv, (frame) => frame.id === 'in-plans');
    expect(said.seq).toBe(3);
    onB.send({ type: 'create_channel', id: 'c2', name: 'PLANS' });
    expect((await onB.next('error')).code).toBe('channel_exists');

    onA.send({ type: 'open_direct', peer: bob.peerId });
    const direct = await onA.next('conversation', undefined, (frame) => frame.kind === 'direct');
    await onB.next('conversation', undefined, (frame) => frame.id === direct.id);
    onB.say('dm', direct.id, 'just us');
    const dm = await onA.nextIn('message', direct.id, (frame) => frame.id === 'dm');
    expect(dm.seq).toBe(1);
  });

  it("tells an identity's connections on host A of a read marker it set through host B", async () => {
    const redis = await testRedis();
    const [a, b] = [await sharedHost(redis), await sharedHost(redis)];
    const me = newIdentity();
    const { client: onA } = await V2Client.join(a.port, 'ann', me);
    const { client: onB } = await V2Client.join(b.port, 'ann', me);
    for (const id of ['m1', 'm2']) {
      onB.say(id, GENERAL, id);
      await onB.nextIn('ack', GENERAL, (ack) => ack.id === id);
    }
    await onA.nextIn('message', GENERAL, (frame) => frame.id === 'm2');
    // ann had no read marker when host A welcomed her.
    onB.send({ type: 'read', conv: GENERAL, seq: 2 });
    expect(await onA.nextIn('read', GENERAL)).toEqual({ type: 'read', conv: GENERAL, seq: 2 });
    // A lower marker is not news; the next higher one is, and arrives as the next read.
    onB.send({ type: 'read', conv: GENERAL, seq: 1 });
    onB.say('m3', GENERAL, 'm3');
    await onB.nextIn('ack', GENERAL, (ack) => ack.id === 'm3');
    onB.send({ type: 'read', conv: GENERAL, seq: 3 });
    expect(await onA.nextIn('read', GENERAL)).toEqual({ type: 'read', conv: GENERAL, seq: 3 });
  });
});
