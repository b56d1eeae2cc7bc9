/**
 * A message's current state, folded from its conversation's log: edits replace its text (and
 * mark it `edited`), a deletion empties it for good, reactions add or take back one person's
 * emoji. `history` and `catchup` already carry each text entry in its current state; live
 * edit, delete and reaction entries are folded in here, once, for every client (the renderer's
 * room state and the terminal client alike).
 *
 * Pure and immutable: a change returns a new entry (the same object when it changes nothing), so
 * a list that compares by identity redraws only what changed. Folding is idempotent and follows
 * seq order, so a change seen twice (live, then again in a catchup after a reconnect) or a change
 * already reflected in an entry's current state leaves the same result.
 */
import type { DeleteEntry, EditEntry, Entry, ReactionEntry, TextEntry } from '../wire/entries';

/** The entries that change a text entry rather than add one. */
export type MessageChange = EditEntry | DeleteEntry | ReactionEntry;

export function isMessageChange(entry: Entry): entry is MessageChange {
  return entry.kind === 'edit' || entry.kind === 'delete' || entry.kind === 'reaction';
}

/** `message` after `change` (which must target it); `message` itself when nothing changes. */
export function applyChange(message: TextEntry, change: MessageChange): TextEntry {
  if (change.target !== message.seq || change.conv !== message.conv) return message;
  // A change comes after its message in the log (the host refuses any other): one that does not
  // is no change of this message, whichever order the two reached the client in.
  if (change.seq <= message.seq) return message;
  // A deleted message stays deleted: the host refuses later changes, and its content is gone.
  if (message.deleted) return message;
  switch (change.kind) {
    case 'edit':
      if (message.text === change.text && message.edited === change.ts) return message;
      return { ...message, text: change.text, edited: change.ts };
    case 'delete':
      return deletedMessage(message);
    case 'reaction':
      return withReaction(message, change.emoji, change.from.id, change.on);
  }
}

/**
 * `entries` (sorted by seq, ascending, unique) with `changes` folded in, in seq order. Changes
 * whose target is not among `entries` are skipped: when that message is loaded later, the host
 * sends it in its current state. Returns `entries` itself when nothing changed.
 */
export function applyChanges<T extends { seq: number; kind: string }>(
  entries: readonly T[],
  changes: readonly MessageChange[],
): readonly T[] {
  let result: T[] | undefined;
  for (const change of [...changes].sort((a, b) => a.seq - b.seq)) {
    const list = result ?? entries;
    const index = indexOfSeq(list, change.target);
    const target = list[index];
    if (!target || !isText(target)) continue;
    const changed = applyChange(target, change);
    if (changed === target) continue;
    result ??= [...entries];
    // A text entry stays a text entry: T admits it, since `target` was one.
    result[index] = changed as T & TextEntry;
  }
  return result ?? entries;
}

function isText<T extends { kind: string }>(entry: T): entry is T & TextEntry {
  return entry.kind === 'text';
}

/** Who reacted with what, largest count first (then first reacted), for display. */
export function reactionCounts(
  message: TextEntry,
): { emoji: string; count: number; peers: string[] }[] {
  const reactions = Object.entries(message.reactions ?? {});
  return reactions
    .map(([emoji, peers], order) => ({ emoji, count: peers.length, peers: [...peers], order }))
    .filter((reaction) => reaction.count > 0)
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .map(({ order: _order, ...reaction }) => reaction);
}

/** Whether `peerId` reacts to `message` with `emoji` now (what a click on it would take back). */
export function reactsWith(message: TextEntry, emoji: string, peerId: string): boolean {
  return message.reactions?.[emoji]?.includes(peerId) ?? false;
}

function deletedMessage(message: TextEntry): TextEntry {
  const { files: _files, reactions: _reactions, edited: _edited, ...kept } = message;
  return { ...kept, text: '', deleted: true };
}

function withReaction(message: TextEntry, emoji: string, peerId: string, on: boolean): TextEntry {
  const peers = message.reactions?.[emoji] ?? [];
  if (peers.includes(peerId) === on) return message;
  const next = on ? [...peers, peerId] : peers.filter((peer) => peer !== peerId);
  const reactions = { ...message.reactions };
  if (next.length > 0) reactions[emoji] = next;
  else delete reactions[emoji];
  const { reactions: _reactions, ...rest } = message;
  return Object.keys(reactions).length > 0 ? { ...rest, reactions } : rest;
}

/** Binary search by seq; -1 when absent. */
function indexOfSeq(entries: readonly { seq: number }[], seq: number): number {
  let low = 0;
  let high = entries.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = entries[middle]!.seq;
    if (found === seq) return middle;
    if (found < seq) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
