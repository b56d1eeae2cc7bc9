/**
 * Catching a host up with a shared room from the room itself rather than from its event stream:
 * when a host starts (its replica may be empty, or days old) and when it finds it missed events
 * that the stream no longer keeps. One script takes a snapshot (snapshot of the room, its
 * conversations and their lastSeq, who is present, the newest event); the entries each
 * conversation's replica lacks are read from the conversation's log; the host then follows the
 * stream from the snapshot's event on, skipping entries it already has.
 */
import { entrySchema, type Entry } from '../../../protocol/wire/entries';
import type { RoomStore } from '../store/room-store';
import type { EventEffects } from './event-effects';
import { parseJson, type RoomEvent } from './events';
import type { SharedRoom } from './shared-room';

/** Entries read per HMGET while catching up. */
const PAGE = 500;

export interface CatchUpSink {
  /** Queues an entry to be stored and shown, in order with everything else queued. */
  entry(entry: Entry): void;
  /** Queues what an event shows, in order. */
  effect(run: () => void): void;
  problem(why: string): void;
}

/** Catches the replica and the room up; returns the id of the event to follow the stream from. */
export async function catchUp(
  shared: SharedRoom,
  cache: RoomStore,
  effects: EventEffects,
  sink: CatchUpSink,
): Promise<string> {
  const snapshot = await shared.snapshot();
  if (cache.room.name !== snapshot.room.name) cache.renameRoom(snapshot.room.name);
  for (const [id, name] of snapshot.known) {
    if (cache.knownPeer(id)?.name !== name) cache.rememberPeer({ id, name });
  }
  const synthetic = <K extends RoomEvent['kind']>(kind: K, data: unknown) =>
    ({ id: '', prev: '', host: '', kind, data }) as Extract<RoomEvent, { kind: K }>;
  const apply = (event: Exclude<RoomEvent, { kind: 'e' }>) => {
    const run = effects.apply(event);
    if (run) sink.effect(run);
  };

  for (const record of snapshot.conversations) {
    if (record.kind === 'direct') apply(synthetic('d', record));
    const have = cache.lastSeq(record.id);
    const want = snapshot.seqs.get(record.id) ?? 0;
    if (have > want) {
      throw new Error(
        `the host's own copy of ${record.id} has ${have} entries and Redis ${want}: ` +
          'Redis lost acknowledged entries (was it running without appendonly?)',
      );
    }
    for (let from = have + 1; from <= want; from += PAGE) {
      const to = Math.min(want, from + PAGE - 1);
      for (const raw of await shared.entries(record.id, from, to)) {
        const entry = parseJson(entrySchema, raw, (why) =>
          sink.problem(`an entry of ${record.id}: ${why}`),
        );
        if (entry) sink.entry(entry);
      }
    }
    const cached = cache.conversations().find(({ id }) => id === record.id);
    if (record.kind === 'channel' && record.name && cached && cached.name !== record.name) {
      apply(synthetic('rn', { conv: record.id, name: record.name }));
    }
  }

  const present = new Set(snapshot.people.map(({ peer }) => peer.id));
  for (const { peer } of snapshot.people) apply(synthetic('j', peer));
  sink.effect(() => effects.leftUnlessPresent(present));
  return snapshot.lastEventId;
}
