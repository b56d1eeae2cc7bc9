/**
 * The RoomStore contract, part three: search (words as prefixes without case or diacritics,
 * phrases, every term required; newest first; only what the reader may read; only current,
 * durable, undeleted text; snippets with the matches marked). Run through
 * describeRoomStoreContract.
 */
import { describe, expect, it } from 'vitest';
import type { RoomStore, RoomStoreFactory } from '../../../../main/host/store/room-store';
import { parseSearchQuery } from '../../../../main/host/store/search-query';
import { MATCH_END, MATCH_START, type PeerV2 } from '../../../../protocol/wire/entries';
import { directConversationId } from '../../../../protocol/wire/identity';
import { storeOpener } from './store-contract';
import {
  alice,
  appendNext,
  bob,
  createChannel,
  deleteEntry,
  editEntry,
  guest,
  textEntry,
  TS,
} from './entry-kit';

const carol: PeerV2 = { id: 'u_carol', name: 'Carol' };

/** Where `q` is found by `reader` (in `conv`), as `conv:seq`, newest first. */
function found(store: RoomStore, q: string, reader = alice.id, conv?: string, limit = 50) {
  const query = parseSearchQuery(q);
  if (!query) throw new Error(`nothing to search for in ${q}`);
  const scope = conv === undefined ? { reader } : { reader, conv };
  return store.search(query, scope, limit).map((hit) => `${hit.conv}:${hit.seq}`);
}

/** Appends a text entry to `conv` and waits for it to be durable. */
const say = (store: RoomStore, text: string, conv = 'general', from = alice) =>
  appendNext(store, conv, (seq) => textEntry(seq, { conv, text, from, id: `${conv}-${seq}` }));

export function describeSearchContract(label: string, openStore: RoomStoreFactory): void {
  describe(`RoomStore contract, search: ${label}`, () => {
    const open = storeOpener(openStore);

    it('finds words by their start, without case or diacritics, every term required', async () => {
      const store = await open();
      await say(store, 'Crème brûlée for the café party');
      await say(store, 'the cafeteria opens at NOON');
      await say(store, 'coffee at the CAFÉ');
      await say(store, 'party planning');
      expect(found(store, 'cafe')).toEqual(['general:3', 'general:2', 'general:1']);
      expect(found(store, 'café party')).toEqual(['general:1']);
      expect(found(store, '"cafe"')).toEqual(['general:3', 'general:1']);
      expect(found(store, '"creme brulee"')).toEqual(['general:1']);
      expect(found(store, '"brulee creme"')).toEqual([]);
      expect(found(store, 'noon coffee')).toEqual([]);
      expect(found(store, 'cafe', alice.id, undefined, 2)).toEqual(['general:3', 'general:2']);
      expect(found(store, 'zebra')).toEqual([]);
    });

    it('answers with who said it, when, and a snippet with every match marked', async () => {
      const store = await open();
      const words = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');
      await say(store, `${words} the needle is here ${words}`, 'general', bob);
      const [hit] = store.search(parseSearchQuery('needle here')!, { reader: alice.id }, 5);
      expect(hit).toEqual({
        conv: 'general',
        seq: 1,
        from: bob,
        ts: TS + 1,
        snippet: expect.any(String),
      });
      expect(hit!.snippet).toContain(`${MATCH_START}needle${MATCH_END} is ${MATCH_START}here`);
      expect(hit!.snippet).toMatch(/^….*…$/u);
      expect(hit!.snippet.split(' ').length).toBeLessThanOrEqual(14);
      expect(Object.keys(hit!)).toEqual(['conv', 'seq', 'from', 'ts', 'snippet']);
    });

    it('looks only where the reader may read: general, every channel, its own directs', async () => {
      const store = await open();
      const aliceBob = directConversationId(alice.id, bob.id);
      const bobCarol = directConversationId(bob.id, carol.id);
      store.ensureDirect(aliceBob, [alice, bob]);
      store.ensureDirect(bobCarol, [bob, carol]);
      await store.append(createChannel('c_team', 'team', bob));
      await say(store, 'lunch in general');
      await say(store, 'lunch in a channel alice never joined', 'c_team', bob);
      await say(store, 'lunch for alice and bob', aliceBob, bob);
      await say(store, 'lunch for bob and carol', bobCarol, carol);
      expect(found(store, 'lunch', alice.id)).toEqual([`${aliceBob}:1`, 'c_team:2', 'general:1']);
      expect(found(store, 'lunch', carol.id)).toEqual([`${bobCarol}:1`, 'c_team:2', 'general:1']);
      expect(found(store, 'lunch', bob.id)).toHaveLength(4);
      expect(found(store, 'lunch', guest.id)).toEqual(['c_team:2', 'general:1']);
      expect(found(store, 'lunch', alice.id, 'c_team')).toEqual(['c_team:2']);
      expect(found(store, 'lunch', alice.id, aliceBob)).toEqual([`${aliceBob}:1`]);
      expect(found(store, 'lunch', alice.id, bobCarol)).toEqual([]);
      expect(found(store, 'lunch', alice.id, 'c_nowhere')).toEqual([]);
    });

    it('finds a message by its current text only, and a deleted one never', async () => {
      const store = await open();
      await say(store, 'original wording');
      await appendNext(store, 'general', (seq) =>
        editEntry(seq, { target: 1, text: 'revised wording' }),
      );
      await say(store, 'secret plans');
      await appendNext(store, 'general', (seq) => deleteEntry(seq, { target: 3 }));
      await say(store, 'public plans');
      expect(found(store, 'original')).toEqual([]);
      expect(found(store, 'revised')).toEqual(['general:1']);
      expect(found(store, 'wording')).toEqual(['general:1']);
      expect(found(store, 'secret')).toEqual([]);
      expect(found(store, 'plans')).toEqual(['general:5']);
    });

    it('shows an entry only once it is durable', async () => {
      const store = await open();
      const appended = store.append(textEntry(1, { text: 'fresh news' }));
      expect(found(store, 'fresh')).toEqual([]);
      await appended;
      expect(found(store, 'fresh')).toEqual(['general:1']);
    });
  });
}
