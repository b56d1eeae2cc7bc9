import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../main/host/store/memory-store';
import { isOneEmoji } from '../../../main/host/v2-posts';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';
import { delegateStore, gatedStore } from './helpers/stores';
import { newIdentity, V2Client } from './helpers/v2-client';
import { until } from '../../support/wait';

async function person(port: number, name: string) {
  const identity = newIdentity();
  const { client, welcome } = await V2Client.join(port, name, { identity: identity.identity });
  return { client, welcome, ...identity };
}

async function createChannel(client: V2Client, name: string): Promise<string> {
  client.send({ type: 'create_channel', id: `create-${name}`, name });
  const { conv } = await client.next('ack', undefined, (ack) => ack.id === `create-${name}`);
  await client.nextIn('catchup', conv);
  return conv;
}

/** Posts and waits for the ack; resolves with the seq. */
async function post(
  client: V2Client,
  frame: { id: string; [field: string]: unknown },
): Promise<number> {
  client.send(frame);
  return (await client.next('ack', undefined, (ack) => ack.id === frame.id)).seq;
}

describe('say', () => {
  it('numbers each conversation on its own, acks and broadcasts only once stored', async () => {
    const gated = gatedStore();
    const host = await testHost({ store: gated.store, limits: { rateBurst: 100 } });
    const alice = await person(host.port, 'alice');
    const dev = await createChannel(alice.client, 'dev');
    gated.hold();
    alice.client.say('g1', 'general', 'one');
    alice.client.say('d1', dev, 'two');
    alice.client.say('g2', 'general', 'three');
    await until(() => gated.store.lastSeq('general') === 2, 2000, 'the appends');
    await alice.client.sync();
    expect(alice.client.received('ack')).toHaveLength(1); // the channel's creation
    expect(alice.client.received('message')).toEqual([]);
    gated.release();
    await alice.client.nextIn('message', 'general', (entry) => entry.seq === 2);
    const order = alice.client.frames.all
      .filter((frame) => frame.type === 'ack' || frame.type === 'message')
      .slice(1)
      .map((frame) => `${frame.type} ${frame.conv}:${frame.seq}`);
    // In the order the host made them, each ack before its own message.
    expect(order).toEqual([
      'ack general:1',
      'message general:1',
      `ack ${dev}:2`,
      `message ${dev}:2`,
      'ack general:2',
      'message general:2',
    ]);
  });

  it('is exactly once by id across conversations and frame types', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const dev = await createChannel(alice.client, 'dev');
    expect(await post(alice.client, { type: 'say', id: 'x', conv: dev, text: 'once' })).toBe(2);
    const retries = [
      { type: 'say', id: 'x', conv: dev, text: 'once' },
      { type: 'say', id: 'x', conv: 'general', text: 'elsewhere' },
      { type: 'edit', id: 'x', conv: 'general', target: 1, text: 'as an edit' },
      { type: 'create_channel', id: 'x', name: 'other' },
    ];
    for (const retry of retries) {
      alice.client.send(retry);
      expect(await alice.client.next('ack'), retry.type).toEqual({
        type: 'ack',
        id: 'x',
        conv: dev,
        seq: 2,
      });
    }
    // The channel's creation is exactly once too: its ack names the channel and seq 1.
    alice.client.send({ type: 'create_channel', id: 'create-dev', name: 'dev again' });
    expect(await alice.client.next('ack')).toMatchObject({ conv: dev, seq: 1 });
    await alice.client.sync();
    expect(alice.client.received('message').map((entry) => entry.id)).toEqual(['x']);
    expect(alice.client.received('error')).toEqual([]);
  });

  it('takes a replyTo only of a message of the same conversation', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const dev = await createChannel(alice.client, 'dev');
    await post(alice.client, { type: 'say', id: 'g', conv: 'general', text: 'in general' });
    for (const replyTo of [1, 5]) {
      alice.client.say(`r${replyTo}`, dev, 'reply', { replyTo });
      expect(await alice.client.next('error')).toMatchObject({
        code: 'no_such_message',
        ref: `r${replyTo}`,
      });
    }
    await post(alice.client, { type: 'say', id: 'ok', conv: 'general', text: 'yes', replyTo: 1 });
    expect(
      await alice.client.nextIn('message', 'general', (entry) => entry.id === 'ok'),
    ).toMatchObject({ replyTo: 1 });
  });

  it('refuses unknown files, empty or long text, and unknown conversations', async () => {
    const host = await testHost({ limits: { maxTextLength: 10 } });
    const alice = await person(host.port, 'alice');
    const refusals: [object, string][] = [
      [{ type: 'say', id: 'f', conv: 'general', text: 'x', files: ['abc'] }, 'no_such_file'],
      [{ type: 'say', id: 'e', conv: 'general', text: '   ' }, 'too_long'],
      [{ type: 'say', id: 'l', conv: 'general', text: 'x'.repeat(11) }, 'too_long'],
      [{ type: 'say', id: 'u', conv: 'c_unknown', text: 'x' }, 'no_such_conversation'],
      [{ type: 'say', id: 'n', text: 'x' }, 'bad_message'],
    ];
    for (const [frame, code] of refusals) {
      alice.client.send(frame);
      expect(await alice.client.next('error'), JSON.stringify(frame)).toMatchObject({ code });
    }
  });

  it('limits the rate of every frame that adds an entry, per peer', async () => {
    const host = await testHost({ limits: { rateBurst: 3, ratePerSecond: 0.001 } });
    const alice = await person(host.port, 'alice');
    await post(alice.client, { type: 'create_channel', id: 'c', name: 'dev' });
    await post(alice.client, { type: 'say', id: 's', conv: 'general', text: 'x' });
    await post(alice.client, {
      type: 'react',
      id: 'r',
      conv: 'general',
      target: 1,
      emoji: '👍',
      on: true,
    });
    alice.client.send({ type: 'edit', id: 'e', conv: 'general', target: 1, text: 'y' });
    expect(await alice.client.next('error')).toMatchObject({ code: 'rate_limited', ref: 'e' });
    // A retry of a stored id is answered, never limited.
    alice.client.send({ type: 'say', id: 's', conv: 'general', text: 'x' });
    expect(await alice.client.next('ack')).toMatchObject({ id: 's', seq: 1 });
  });

  it('answers unavailable when the store refuses an entry at once, and stores nothing', async () => {
    const inner = createMemoryStore('Flaky');
    let refuse = false;
    const store = delegateStore(inner, {
      append: (entry) => {
        if (refuse) throw Object.assign(new Error('store away'), { code: 'unavailable' });
        return inner.append(entry);
      },
    });
    const host = await testHost({ store });
    const alice = await person(host.port, 'alice');
    refuse = true;
    alice.client.say('lost', 'general', 'not now');
    expect(await alice.client.next('error')).toMatchObject({ code: 'unavailable', ref: 'lost' });
    refuse = false;
    expect(
      await post(alice.client, { type: 'say', id: 'kept', conv: 'general', text: 'now' }),
    ).toBe(1);
  });
});

describe('edit, delete and react', () => {
  it('lets only the author edit or delete, never a deleted message, and shows the current state', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    await post(alice.client, { type: 'say', id: 'm', conv: 'general', text: 'first draft' });
    await post(alice.client, { type: 'say', id: 'gone', conv: 'general', text: 'oops' });
    bob.client.send({ type: 'edit', id: 'b1', conv: 'general', target: 1, text: 'mine now' });
    expect(await bob.client.next('error')).toMatchObject({ code: 'not_allowed', ref: 'b1' });
    bob.client.send({ type: 'delete', id: 'b2', conv: 'general', target: 1 });
    expect(await bob.client.next('error')).toMatchObject({ code: 'not_allowed', ref: 'b2' });

    expect(
      await post(alice.client, {
        type: 'edit',
        id: 'e',
        conv: 'general',
        target: 1,
        text: 'final',
      }),
    ).toBe(3);
    expect(await bob.client.nextIn('message', 'general', (entry) => entry.seq === 3)).toMatchObject(
      {
        kind: 'edit',
        target: 1,
        text: 'final',
      },
    );
    expect(await post(alice.client, { type: 'delete', id: 'd', conv: 'general', target: 2 })).toBe(
      4,
    );
    alice.client.send({ type: 'edit', id: 'late', conv: 'general', target: 2, text: 'back' });
    expect(await alice.client.next('error')).toMatchObject({ code: 'not_allowed', ref: 'late' });
    alice.client.send({
      type: 'react',
      id: 'rx',
      conv: 'general',
      target: 2,
      emoji: '👍',
      on: true,
    });
    expect(await alice.client.next('error')).toMatchObject({ code: 'not_allowed', ref: 'rx' });
    alice.client.send({ type: 'edit', id: 'nm', conv: 'general', target: 9, text: 'x' });
    expect(await alice.client.next('error')).toMatchObject({ code: 'no_such_message', ref: 'nm' });
    alice.client.send({ type: 'edit', id: 'sys', conv: 'general', target: 3, text: 'x' });
    expect(await alice.client.next('error')).toMatchObject({ code: 'no_such_message' });

    bob.client.send({ type: 'history', conv: 'general', before: 100, limit: 10 });
    const page = await bob.client.nextIn('history', 'general');
    expect(page.messages[0]).toMatchObject({ seq: 1, text: 'final', edited: expect.any(Number) });
    expect(page.messages[1]).toMatchObject({ seq: 2, text: '', deleted: true });
    expect(page.messages.map((entry) => entry.kind)).toEqual(['text', 'text', 'edit', 'delete']);
  });

  it('counts a reaction once per identity, toggled on and off', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const { client: tablet } = await V2Client.join(host.port, 'alice', {
      identity: alice.identity,
    });
    const bob = await person(host.port, 'bob');
    await post(bob.client, { type: 'say', id: 'm', conv: 'general', text: 'react to me' });
    await post(alice.client, {
      type: 'react',
      id: 'r1',
      conv: 'general',
      target: 1,
      emoji: '🎉',
      on: true,
    });
    await post(tablet, {
      type: 'react',
      id: 'r2',
      conv: 'general',
      target: 1,
      emoji: '🎉',
      on: true,
    });
    await post(bob.client, {
      type: 'react',
      id: 'r3',
      conv: 'general',
      target: 1,
      emoji: '🎉',
      on: true,
    });
    await post(bob.client, {
      type: 'react',
      id: 'r4',
      conv: 'general',
      target: 1,
      emoji: '👍🏽',
      on: true,
    });
    await post(bob.client, {
      type: 'react',
      id: 'r5',
      conv: 'general',
      target: 1,
      emoji: '👍🏽',
      on: false,
    });
    alice.client.send({
      type: 'react',
      id: 'bad',
      conv: 'general',
      target: 1,
      emoji: 'ab',
      on: true,
    });
    expect(await alice.client.next('error')).toMatchObject({ code: 'bad_message', ref: 'bad' });
    const { client: late } = await V2Client.join(host.port, 'carol');
    const catchup = await late.nextIn('catchup', 'general');
    expect(catchup.messages[0]).toMatchObject({
      seq: 1,
      reactions: { '🎉': [alice.peerId, bob.peerId] },
    });
    expect(catchup.messages.map((entry) => entry.kind)).toEqual([
      'text',
      'reaction',
      'reaction',
      'reaction',
      'reaction',
      'reaction',
    ]);
  });

  it('shows parley.v1 clients text messages only, in their current state', async () => {
    const host = await testHost();
    const alice = await person(host.port, 'alice');
    const { client: oldTimer } = await V1Client.join(host.port, 'old-timer');
    await post(alice.client, { type: 'say', id: 'a', conv: 'general', text: 'one' });
    await post(alice.client, { type: 'say', id: 'b', conv: 'general', text: 'two' });
    await post(alice.client, { type: 'edit', id: 'c', conv: 'general', target: 1, text: 'ONE' });
    await post(alice.client, { type: 'delete', id: 'd', conv: 'general', target: 2 });
    await post(alice.client, { type: 'set_topic', id: 't', conv: 'general', topic: 'news' });
    await post(alice.client, { type: 'say', id: 'e', conv: 'general', text: 'three' });
    expect((await oldTimer.next('message', undefined, (m) => m.id === 'e')).seq).toBe(6);
    expect(oldTimer.received('message').map((message) => message.text)).toEqual([
      'one',
      'two',
      'three',
    ]);
    const { welcome } = await V1Client.join(host.port, 'newcomer');
    expect(welcome.history.map(({ seq, text }) => `${seq} ${text}`)).toEqual(['1 ONE', '6 three']);
    expect(welcome.lastSeq).toBe(6);
    oldTimer.send({ type: 'history', before: 6, limit: 1 });
    const page = await oldTimer.next('history');
    expect(page.messages.map(({ seq, text }) => `${seq} ${text}`)).toEqual(['1 ONE']);
    expect(page.more).toBe(false);
    expect(oldTimer.invalid).toEqual([]);
  });

  it('knows one emoji from anything else', () => {
    for (const emoji of ['👍', '👍🏽', '🎉', '❤️', '🇫🇷', '1️⃣', '👩‍👩‍👧', '☺']) {
      expect(isOneEmoji(emoji), emoji).toBe(true);
    }
    for (const text of ['a', 'ab', '👍👍', ':)', ' ', '1'])
      expect(isOneEmoji(text), text).toBe(false);
  });
});

describe('set_topic', () => {
  it('logs the topic for members and tells everyone; non-members, directs and bad topics are refused', async () => {
    const host = await testHost({ limits: { maxTopicLength: 10 } });
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    const dev = await createChannel(alice.client, 'dev');
    await bob.client.nextIn('conversation', dev);
    expect(
      await post(alice.client, { type: 'set_topic', id: 't1', conv: dev, topic: 'builds' }),
    ).toBe(2);
    expect(await alice.client.nextIn('message', dev)).toMatchObject({
      kind: 'system',
      event: 'topic',
      topic: 'builds',
      by: alice.welcome.self,
    });
    expect(await bob.client.nextIn('conversation', dev)).toMatchObject({
      topic: 'builds',
      lastSeq: 2,
    });
    bob.client.send({ type: 'set_topic', id: 'b', conv: dev, topic: 'mine' });
    expect(await bob.client.next('error')).toMatchObject({ code: 'not_member', ref: 'b' });
    for (const topic of ['x'.repeat(11), 'line\nbreak']) {
      alice.client.send({ type: 'set_topic', id: `bad-${topic.length}`, conv: dev, topic });
      expect(await alice.client.next('error')).toMatchObject({ code: 'bad_message' });
    }
    await post(alice.client, { type: 'set_topic', id: 't2', conv: dev, topic: '' });
    const cleared = await bob.client.nextIn('conversation', dev, (frame) => frame.lastSeq === 3);
    expect(cleared.topic).toBeUndefined();
  });
});
