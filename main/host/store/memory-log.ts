/**
 * The logs of the memory store: every appended entry per conversation, and the current state of
 * its text entries as the durable entries left it. An entry is appended at once and committed
 * (made durable, its effects applied) later, in order, by the store's grouped commit.
 */
import type { Entry, TextEntry } from '../../../protocol/wire/entries';
import { currentTextEntry, postedState, type TextState } from './stored-entry';

/** The log and durable state of one conversation. */
interface Log {
  /** Seq n at index n - 1; edit entries of a deleted target lose their text. */
  entries: Entry[];
  durable: number;
  /** Current state of the durable text entries, by seq. */
  texts: Map<number, TextState>;
  /** Seqs of the edit entries of each target, so a delete finds them without a scan. */
  edits: Map<number, number[]>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export class MemoryLogs {
  readonly #logs = new Map<string, Log>();
  /** Every durable text entry of every log, in the order they became durable. */
  readonly #texts: { conv: string; seq: number }[] = [];

  append(entry: Entry): void {
    let log = this.#logs.get(entry.conv);
    if (!log) this.#logs.set(entry.conv, (log = this.#emptyLog()));
    log.entries.push(deepFreeze(entry));
    if (entry.kind === 'edit') {
      const edits = log.edits.get(entry.target);
      if (edits) edits.push(entry.seq);
      else log.edits.set(entry.target, [entry.seq]);
    }
  }

  /** Makes the next appended entry of `conv` durable and applies its effects. */
  commit(conv: string): void {
    const log = this.#logs.get(conv)!;
    const entry = log.entries[log.durable]!;
    log.durable = entry.seq;
    const state = entry.kind === 'text' ? undefined : this.#liveTarget(log, entry);
    switch (entry.kind) {
      case 'text':
        log.texts.set(entry.seq, postedState(entry));
        this.#texts.push({ conv, seq: entry.seq });
        break;
      case 'edit':
        if (state) {
          state.text = entry.text;
          state.edited = entry.ts;
        } else {
          this.#forgetText(log, entry.seq);
        }
        break;
      case 'delete':
        if (state) {
          log.texts.set(entry.target, {
            text: '',
            ...(state.replyTo !== undefined && { replyTo: state.replyTo }),
            ...(state.edited !== undefined && { edited: state.edited }),
            deleted: true,
            reactions: [],
          });
          this.#forgetText(log, entry.target);
          for (const edit of log.edits.get(entry.target) ?? []) this.#forgetText(log, edit);
        }
        break;
      case 'reaction':
        if (state) {
          const { emoji } = entry;
          const peer = entry.from.id;
          const at = state.reactions.findIndex((r) => r.emoji === emoji && r.peer === peer);
          if (entry.on && at < 0) state.reactions.push({ emoji, peer });
          if (!entry.on && at >= 0) state.reactions.splice(at, 1);
        }
        break;
      case 'system':
        break;
    }
  }

  lastDurableSeq(conv: string): number {
    return this.#logs.get(conv)?.durable ?? 0;
  }

  page(conv: string, beforeSeq: number, limit: number): Entry[] {
    const log = this.#logs.get(conv);
    if (!log) return [];
    const last = Math.min(Math.floor(beforeSeq) - 1, log.durable);
    const count = Math.min(Math.floor(limit), last);
    if (!(count > 0)) return [];
    return log.entries
      .slice(last - count, last)
      .map((entry) => (entry.kind === 'text' ? this.#current(log, entry) : entry));
  }

  textEntry(conv: string, seq: number): TextEntry | undefined {
    const log = this.#logs.get(conv);
    const entry = log && seq <= log.durable ? log.entries[seq - 1] : undefined;
    return entry?.kind === 'text' ? this.#current(log!, entry) : undefined;
  }

  /** Every durable text entry in its current state, newest first (for search: no index here). */
  *textsNewestFirst(): Generator<TextEntry> {
    for (let at = this.#texts.length - 1; at >= 0; at--) {
      const { conv, seq } = this.#texts[at]!;
      yield this.textEntry(conv, seq)!;
    }
  }

  #current(log: Log, entry: TextEntry): TextEntry {
    return currentTextEntry(entry, log.texts.get(entry.seq)!);
  }

  /** The state of a non-deleted text entry an edit, delete or reaction may change. */
  #liveTarget(log: Log, entry: Entry): TextState | undefined {
    if (!('target' in entry)) return undefined;
    const state = log.texts.get(entry.target);
    return state && !state.deleted ? state : undefined;
  }

  /** Drops the text (and files) of a logged text or edit entry, the memory store's purge. */
  #forgetText(log: Log, seq: number): void {
    const entry = log.entries[seq - 1]!;
    if (entry.kind === 'text') {
      const { files: _files, ...rest } = entry;
      log.entries[seq - 1] = deepFreeze({ ...rest, text: '' });
    } else if (entry.kind === 'edit') {
      log.entries[seq - 1] = deepFreeze({ ...entry, text: '' });
    }
  }

  #emptyLog(): Log {
    return { entries: [], durable: 0, texts: new Map(), edits: new Map() };
  }
}
