/**
 * What both stores accept as an entry and how they hand text entries back: the rules of
 * room-store.ts that do not depend on where the log lives.
 */
import * as v from 'valibot';
import { entrySchema } from '../../../protocol/wire/entries';
import type { Entry, FileInfo, PeerV2, TextEntry } from '../../../protocol/wire/entries';

/** The current state of a text entry, as its later entries left it. */
export interface TextState {
  text: string;
  replyTo?: number;
  files?: FileInfo[];
  edited?: number;
  deleted?: true;
  /** Who reacts with what, in the order they reacted (oldest first). */
  reactions: { emoji: string; peer: string }[];
}

export type Checked = { ok: true; entry: Entry } | { ok: false; problem: string };

const samePeer = (a: PeerV2, b: PeerV2): boolean =>
  a.id === b.id && a.name === b.name && a.ephemeral === b.ephemeral;

/**
 * Validates an entry and returns the store's own copy of it: a text entry without the state
 * fields (`edited`, `deleted`, `reactions`), which only later entries may set.
 */
export function checkEntry(value: unknown): Checked {
  const parsed = v.safeParse(entrySchema, value);
  if (!parsed.success)
    return { ok: false, problem: `malformed entry: ${v.summarize(parsed.issues)}` };
  const entry = parsed.output;
  if (entry.kind === 'system' && !samePeer(entry.by, entry.from)) {
    return { ok: false, problem: 'a system entry must be by its sender (by = from)' };
  }
  if (entry.kind === 'text') {
    const { edited: _edited, deleted: _deleted, reactions: _reactions, ...posted } = entry;
    return { ok: true, entry: posted };
  }
  return { ok: true, entry };
}

/** The first state of a text entry, as it was posted. */
export function postedState(entry: TextEntry): TextState {
  const state: TextState = { text: entry.text, reactions: [] };
  if (entry.replyTo !== undefined) state.replyTo = entry.replyTo;
  if (entry.files !== undefined) state.files = entry.files;
  return state;
}

/** Emoji to peer ids: each emoji where its oldest current reaction is, peers in reaction order. */
export function reactionRecord(
  reactions: readonly { emoji: string; peer: string }[],
): Record<string, string[]> | undefined {
  if (reactions.length === 0) return undefined;
  const byEmoji = new Map<string, string[]>();
  for (const { emoji, peer } of reactions) {
    const peers = byEmoji.get(emoji);
    if (peers) peers.push(peer);
    else byEmoji.set(emoji, [peer]);
  }
  return Object.fromEntries(byEmoji);
}

/** A text entry in its current state (a deleted one: empty text, no files, no reactions). */
export function currentTextEntry(
  base: Pick<TextEntry, 'seq' | 'conv' | 'id' | 'from' | 'ts'>,
  state: TextState,
): TextEntry {
  const entry: TextEntry = {
    seq: base.seq,
    conv: base.conv,
    id: base.id,
    from: { ...base.from },
    ts: base.ts,
    kind: 'text',
    text: state.deleted ? '' : state.text,
  };
  if (state.replyTo !== undefined) entry.replyTo = state.replyTo;
  if (state.files !== undefined && !state.deleted) entry.files = state.files.map((f) => ({ ...f }));
  if (state.edited !== undefined) entry.edited = state.edited;
  if (state.deleted) entry.deleted = true;
  const reactions = state.deleted ? undefined : reactionRecord(state.reactions);
  if (reactions) entry.reactions = reactions;
  return entry;
}
