/**
 * Entries for the store tests: builders with sensible defaults, and appending several at once.
 */
import type {
  DeleteEntry,
  EditEntry,
  Entry,
  PeerV2,
  ReactionEntry,
  SystemEntry,
  TextEntry,
} from '../../../../protocol/wire/entries';
import type { RoomStore } from '../../../../main/host/store/room-store';

export const alice: PeerV2 = { id: 'u_alice', name: 'Alice' };
export const bob: PeerV2 = { id: 'u_bob', name: 'Bob' };
export const guest: PeerV2 = { id: 'p_guest', name: 'Guest', ephemeral: true };

export const TS = 1_700_000_000_000;

export function textEntry(seq: number, overrides: Partial<TextEntry> = {}): TextEntry {
  const conv = overrides.conv ?? 'general';
  return {
    seq,
    conv,
    id: `say-${conv}-${seq}`,
    from: alice,
    ts: TS + seq,
    kind: 'text',
    text: `message ${seq}`,
    ...overrides,
  };
}

type Targeted<T> = Partial<T> & { target: number };

export function editEntry(seq: number, fields: Targeted<EditEntry>): EditEntry {
  return { ...base(seq, fields), kind: 'edit', text: `edit ${seq}`, ...fields };
}

export function deleteEntry(seq: number, fields: Targeted<DeleteEntry>): DeleteEntry {
  return { ...base(seq, fields), kind: 'delete', ...fields };
}

export function reactionEntry(seq: number, fields: Targeted<ReactionEntry>): ReactionEntry {
  return { ...base(seq, fields), kind: 'reaction', emoji: '👍', on: true, ...fields };
}

export function systemEntry(
  seq: number,
  event: SystemEntry['event'],
  fields: Partial<SystemEntry> = {},
): SystemEntry {
  const from = fields.from ?? alice;
  return { ...base(seq, fields), kind: 'system', event, by: from, ...fields };
}

/** `channel_created` of channel `conv` named `name` by `from` (seq 1). */
export function createChannel(
  conv: string,
  name: string,
  from: PeerV2 = alice,
  topic?: string,
): SystemEntry {
  return systemEntry(1, 'channel_created', {
    conv,
    from,
    name,
    ...(topic !== undefined && { topic }),
  });
}

function base(seq: number, fields: Partial<Entry>) {
  const conv = fields.conv ?? 'general';
  return { seq, conv, id: `say-${conv}-${seq}`, from: alice, ts: TS + seq };
}

/** Appends text entries lastSeq+1 .. lastSeq+count of `conv` in one turn and waits for them. */
export async function appendMany(
  store: RoomStore,
  count: number,
  from: PeerV2 = alice,
  conv = 'general',
): Promise<TextEntry[]> {
  const first = store.lastSeq(conv) + 1;
  const entries = Array.from({ length: count }, (_, index) =>
    textEntry(first + index, { conv, from, id: `say-${from.id}-${conv}-${first + index}` }),
  );
  await Promise.all(entries.map((entry) => store.append(entry)));
  return entries;
}

/** Appends the next entry of its conversation, made by `make(seq)`, and waits for it. */
export async function appendNext<T extends Entry>(
  store: RoomStore,
  conv: string,
  make: (seq: number) => T,
): Promise<T> {
  const entry = make(store.lastSeq(conv) + 1);
  await store.append(entry);
  return entry;
}

export const seqs = (entries: readonly Entry[]): number[] => entries.map((entry) => entry.seq);

/** Every durable entry of `conv`, oldest first. */
export const everything = (store: RoomStore, conv = 'general'): Entry[] =>
  store.page(conv, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
