/**
 * A room of many messages for the search benchmark, made quickly: the store itself creates the
 * room, its channels and direct conversations, then the messages go straight into parley.db in
 * batches of one transaction each, through the same tables, triggers and search indexer the store
 * uses, so the search index is exactly what appends would have made (the store would take hours to append a
 * million messages one durable commit at a time). Deterministic: the same count gives the same
 * room.
 */
import Database from 'libsql';
import { directConversationId } from '../../protocol/wire/identity';
import type { PeerV2 } from '../../protocol/wire/entries';
import { encodeText } from '../../main/host/store/sqlite-schema';
import { SearchIndexer } from '../../main/host/store/sqlite-search-indexer';
import { openSqliteStore } from '../../main/host/store/sqlite-store';

/** Rows per transaction: big enough that commits cost nothing, small enough to show progress. */
const BATCH = 50_000;
const START_TS = 1_700_000_000_000;
export const CHANNELS = ['c_bench_kitchen00000', 'c_bench_office000000', 'c_bench_garden000000'];

export const PEOPLE: PeerV2[] = Array.from({ length: 20 }, (_, index) => ({
  id: `u_bench${String(index).padStart(17, '0')}`,
  name: `person${index}`,
}));

/** Each person's direct conversation with the next one. */
export const DIRECTS = PEOPLE.map((peer, index) => {
  const other = PEOPLE[(index + 1) % PEOPLE.length]!;
  return { id: directConversationId(peer.id, other.id), members: [peer, other] as const };
});

/** mulberry32: a small seeded generator, so every run searches the same room. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'bra', 'cle', 'dri'];
const COMMON = ['the', 'a', 'is', 'to', 'and', 'of', 'in', 'it', 'for', 'on', 'we', 'you'];

/** A vocabulary of `size` made-up words (plus the commonest English ones), rank order. */
export function vocabulary(size: number, random: () => number): string[] {
  const words = new Set(COMMON);
  while (words.size < size) {
    const length = 2 + Math.floor(random() * 4);
    let word = '';
    for (let at = 0; at < length; at++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

/** A word by a Zipf-like law: rank r is drawn about 1/r as often as the first. */
function zipfPick(words: readonly string[], random: () => number): string {
  const rank = Math.floor(Math.exp(random() * Math.log(words.length)));
  return words[Math.min(rank, words.length) - 1]!;
}

export interface CorpusProgress {
  (written: number): void;
}

/**
 * Makes a room of `count` text messages in `dir`: about 70 % in general, 20 % in the channels
 * and 10 % in direct conversations, 4 to 24 words each.
 */
export async function buildCorpus(
  dir: string,
  count: number,
  progress: CorpusProgress,
): Promise<void> {
  const store = await openSqliteStore(dir, 'Search bench');
  for (const [index, conv] of CHANNELS.entries()) {
    const from = PEOPLE[index]!;
    await store.append({
      seq: 1,
      conv,
      id: `create-${conv}`,
      from,
      ts: START_TS,
      kind: 'system',
      event: 'channel_created',
      by: from,
      name: conv.slice(8, 14),
    });
  }
  for (const direct of DIRECTS) store.ensureDirect(direct.id, direct.members);
  await store.close();

  const db = new Database(`${dir}/parley.db`);
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF');
    const insertEntry = db.prepare(
      `INSERT INTO entries (conv, seq, say_id, peer_id, peer_name, ephemeral, ts, kind, text)
       VALUES (?, ?, ?, ?, ?, 0, ?, '"text"', ?)`,
    );
    const insertText = db.prepare('INSERT INTO text_state (row, text) VALUES (?, ?)');
    const indexer = new SearchIndexer(db);
    const random = seededRandom(count);
    const words = vocabulary(50_000, random);
    const seqs = new Map<string, number>(CHANNELS.map((conv) => [conv, 1]));
    for (let from = 0; from < count; from += BATCH) {
      db.exec('BEGIN');
      for (let at = from; at < Math.min(count, from + BATCH); at++) {
        const pick = random();
        const peerIndex = Math.floor(random() * PEOPLE.length);
        let conv = 'general';
        let peer = PEOPLE[peerIndex]!;
        if (pick >= 0.9) {
          const direct = DIRECTS[peerIndex]!;
          conv = direct.id;
          peer = direct.members[Math.floor(random() * 2)]!;
        } else if (pick >= 0.7) {
          conv = CHANNELS[Math.floor(random() * CHANNELS.length)]!;
        }
        const seq = (seqs.get(conv) ?? 0) + 1;
        seqs.set(conv, seq);
        const length = 4 + Math.floor(random() * 21);
        const text = encodeText(Array.from({ length }, () => zipfPick(words, random)).join(' '));
        const { lastInsertRowid } = insertEntry.run(
          encodeText(conv),
          seq,
          encodeText(`m${at}`),
          encodeText(peer.id),
          encodeText(peer.name),
          START_TS + at * 1000,
          text,
        );
        insertText.run(lastInsertRowid, text);
      }
      db.exec('COMMIT');
      // The store indexes texts after their commit, in batches (sqlite-search-indexer.ts).
      indexer.catchUp();
      progress(Math.min(count, from + BATCH));
    }
    // What the store's own checkpoint on close would do: the log folded into the file.
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
