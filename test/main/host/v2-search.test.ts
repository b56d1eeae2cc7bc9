/**
 * `search` through a real socket, with either store: what a person may read and nothing else
 * (never another pair's direct messages, never deleted text), newest first, `conv` narrowing,
 * words the host cannot search for refused, and nothing of the store's rows in the frame.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../main/host/store/memory-store';
import type { RoomStore } from '../../../main/host/store/room-store';
import { openSqliteStore } from '../../../main/host/store/sqlite-store';
import { MATCH_END, MATCH_START } from '../../../protocol/wire/entries';
import { directConversationId } from '../../../protocol/wire/identity';
import { onCleanup, tempDir, testHost } from './helpers/host';
import { newIdentity, V2Client } from './helpers/v2-client';

const stores: Record<string, () => Promise<RoomStore>> = {
  memory: () => Promise.resolve(createMemoryStore('Search')),
  sqlite: async () => openSqliteStore(await tempDir(), 'Search'),
};

async function person(port: number, name: string) {
  const identity = newIdentity();
  const { client } = await V2Client.join(port, name, { identity: identity.identity });
  // Every frame as sent, to prove no store field ever reaches the wire.
  const raw: string[] = [];
  client.socket.on('message', (data) => raw.push(String(data)));
  return { client, raw, ...identity };
}

/** Posts and waits for the ack. */
async function post(client: V2Client, frame: { id: string; [field: string]: unknown }) {
  client.send(frame);
  return (await client.next('ack', undefined, (ack) => ack.id === frame.id)).seq;
}

/** Searches and returns the hits as `conv:seq`, newest first. */
async function search(client: V2Client, q: string, extra: object = {}): Promise<string[]> {
  client.send({ type: 'search', q, limit: 50, ...extra });
  const results = await client.next('search_results');
  expect(results.q).toBe(q);
  return results.hits.map((hit) => `${hit.conv}:${hit.seq}`);
}

describe.each(Object.keys(stores))('search (%s store)', (kind) => {
  async function room() {
    const store = await stores[kind]!();
    onCleanup(() => store.close());
    const host = await testHost({ store });
    const alice = await person(host.port, 'alice');
    const bob = await person(host.port, 'bob');
    const carol = await person(host.port, 'carol');
    return { host, alice, bob, carol };
  }

  it('finds what the asker may read, newest first, never the direct messages of others', async () => {
    const { alice, bob, carol } = await room();
    await post(alice.client, {
      type: 'say',
      id: 'g1',
      conv: 'general',
      text: 'Rendez-vous au café',
    });
    alice.client.send({ type: 'open_direct', peer: bob.peerId });
    const direct = directConversationId(alice.peerId, bob.peerId);
    await alice.client.nextIn('conversation', direct);
    await post(bob.client, { type: 'create_channel', id: 'ch', name: 'kitchen' });
    const [channel] = bob.client.received('ack').filter((ack) => ack.id === 'ch');
    await post(bob.client, { type: 'say', id: 'k1', conv: channel!.conv, text: 'cafe kitchen' });
    await post(alice.client, { type: 'say', id: 'd1', conv: direct, text: 'our café secret' });

    expect(await search(alice.client, 'CAFE')).toEqual([
      `${direct}:1`,
      `${channel!.conv}:2`,
      'general:1',
    ]);
    expect(await search(bob.client, 'caf secret')).toEqual([`${direct}:1`]);
    expect(await search(carol.client, 'café')).toEqual([`${channel!.conv}:2`, 'general:1']);
    expect(await search(carol.client, 'secret')).toEqual([]);

    alice.client.send({ type: 'search', q: 'rendez', limit: 5 });
    const [hit] = (await alice.client.next('search_results')).hits;
    expect(hit).toEqual({
      conv: 'general',
      seq: 1,
      from: { id: alice.peerId, name: 'alice' },
      ts: expect.any(Number),
      snippet: `${MATCH_START}Rendez${MATCH_END}-vous au café`,
    });
    for (const frame of [...alice.raw, ...bob.raw, ...carol.raw]) {
      expect(frame).not.toContain('_metadata');
    }
  });

  it('narrows to one conversation the asker may read, and refuses one it may not', async () => {
    const { alice, bob, carol } = await room();
    alice.client.send({ type: 'open_direct', peer: bob.peerId });
    const direct = directConversationId(alice.peerId, bob.peerId);
    await alice.client.nextIn('conversation', direct);
    await post(alice.client, { type: 'say', id: 'g1', conv: 'general', text: 'lunch at noon' });
    await post(alice.client, { type: 'say', id: 'd1', conv: direct, text: 'lunch alone?' });
    expect(await search(alice.client, 'lunch', { conv: direct })).toEqual([`${direct}:1`]);
    expect(await search(bob.client, 'lunch', { conv: 'general' })).toEqual(['general:1']);
    carol.client.send({ type: 'search', q: 'lunch', conv: direct, limit: 5 });
    expect(await carol.client.next('error')).toMatchObject({ code: 'no_such_conversation' });
    carol.client.send({ type: 'search', q: 'lunch', conv: 'c_nowhere', limit: 5 });
    expect(await carol.client.next('error')).toMatchObject({ code: 'no_such_conversation' });
    expect(carol.client.received('search_results')).toEqual([]);
  });

  it('finds the current text only: an edit re-indexes, a delete removes', async () => {
    const { alice, carol } = await room();
    await post(alice.client, { type: 'say', id: 'm1', conv: 'general', text: 'teh typo' });
    await post(alice.client, { type: 'say', id: 'm2', conv: 'general', text: 'my pin is 4417' });
    await post(alice.client, {
      type: 'edit',
      id: 'e1',
      conv: 'general',
      target: 1,
      text: 'the fix',
    });
    await post(alice.client, { type: 'delete', id: 'x2', conv: 'general', target: 2 });
    expect(await search(carol.client, 'teh')).toEqual([]);
    expect(await search(carol.client, 'fix')).toEqual(['general:1']);
    expect(await search(carol.client, 'pin')).toEqual([]);
    expect(await search(carol.client, '4417')).toEqual([]);
  });

  it('takes operators as words, phrases in quotes, and refuses a search with no words', async () => {
    const { alice, carol } = await room();
    await post(alice.client, { type: 'say', id: 'm1', conv: 'general', text: 'cats NOT dogs' });
    await post(alice.client, { type: 'say', id: 'm2', conv: 'general', text: 'dogs and cats' });
    // As an FTS5 operator NOT would find nothing here (both have dogs): it is a word like any.
    expect(await search(carol.client, 'cats NOT dogs')).toEqual(['general:1']);
    expect(await search(carol.client, '"cats not"')).toEqual(['general:1']);
    expect(await search(carol.client, 'text:cats OR')).toEqual([]);
    expect(await search(carol.client, 'dogs*')).toEqual(['general:2', 'general:1']);
    for (const q of ['   ', '"" *', '🎉 !!']) {
      carol.client.send({ type: 'search', q, limit: 5 });
      expect(await carol.client.next('error')).toMatchObject({ code: 'bad_message' });
    }
  });
});
