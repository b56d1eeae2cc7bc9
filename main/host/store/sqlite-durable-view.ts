/**
 * What readers see of text entries while an effect is committed but not yet durable.
 *
 * An edit, delete or reaction changes its target's row in the same transaction as the entry
 * itself, and the transaction is committed before the log sync that makes it durable. Until that
 * sync is done, `page` and `textEntry` must keep showing the target as the durable entries left
 * it (room-store.ts). So each commit keeps, for every text entry its effects change, the state
 * the entry had just before the commit (and, for a delete, the texts of its edits); readers look
 * there first. A commit's record goes once it is durable, so this holds at most the targets of
 * the commits waiting for a sync: a handful of entries, not a copy of the log.
 */
import type { Entry, TextEntry } from '../../../protocol/wire/entries';

interface Prior {
  entry: TextEntry;
  /** A delete's purge: the texts its target's edits had, by seq. */
  edits?: Map<number, string>;
}

/** The priors of one commit, by target. */
export type CommitPriors = Map<string, Prior>;

const keyOf = (conv: string, seq: number): string => JSON.stringify([conv, seq]);

export class DurableView {
  /** Priors of the commits not yet durable, oldest first (commits without effects skipped). */
  #commits: CommitPriors[] = [];

  /** A fresh record for a commit being written. */
  static record(): CommitPriors {
    return new Map();
  }

  /**
   * Notes in `priors` the state of `conv`/`target` before the commit changes it, once per
   * commit; `read` gives the state now, `editTexts` the texts of its edits (for a purge).
   */
  static capture(
    priors: CommitPriors,
    conv: string,
    target: number,
    purge: boolean,
    read: () => TextEntry | undefined,
    editTexts: () => Map<number, string>,
  ): void {
    const key = keyOf(conv, target);
    let prior = priors.get(key);
    if (!prior) {
      const entry = read();
      if (!entry) return;
      priors.set(key, (prior = { entry }));
    }
    if (purge && !prior.edits) prior.edits = editTexts();
  }

  /** The commit's changes are in the file, not yet durable. */
  committed(priors: CommitPriors): void {
    if (priors.size > 0) this.#commits.push(priors);
  }

  /** The commit is durable (commits become durable in order). */
  durable(priors: CommitPriors): void {
    const at = this.#commits.indexOf(priors);
    if (at >= 0) this.#commits.splice(at, 1);
  }

  /** The durable state of the text entry `conv`/`seq`, if a pending commit changed it. */
  textEntry(conv: string, seq: number): TextEntry | undefined {
    if (this.#commits.length === 0) return undefined;
    const key = keyOf(conv, seq);
    for (const priors of this.#commits) {
      const prior = priors.get(key);
      if (prior) return prior.entry;
    }
    return undefined;
  }

  /** `entries` as the durable entries left them. */
  apply(entries: Entry[]): Entry[] {
    if (this.#commits.length === 0) return entries;
    return entries.map((entry) => {
      if (entry.kind === 'text') return this.textEntry(entry.conv, entry.seq) ?? entry;
      if (entry.kind !== 'edit') return entry;
      const key = keyOf(entry.conv, entry.target);
      for (const priors of this.#commits) {
        const text = priors.get(key)?.edits?.get(entry.seq);
        if (text !== undefined) return { ...entry, text };
      }
      return entry;
    });
  }
}
