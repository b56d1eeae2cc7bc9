/**
 * Tells the entries that are news to the person from the ones they could not have missed: what a
 * conversation held when the app entered the room (or when the conversation first appeared: a
 * channel joined, a direct conversation someone opened) arrives as catchup and is history; so is
 * an entry delivered twice. Only what comes after may ask for attention.
 */
import type { ConversationView } from '../../../protocol/bridge';
import type { Entry } from '../../../protocol/wire/entries';

export class FreshEntries {
  /** Per conversation, the newest seq already accounted for. */
  readonly #seen = new Map<string, number>();
  #inRoom = false;

  /** Entering a room (or another one): everything its conversations hold so far is history. */
  enter(conversations: readonly ConversationView[]): void {
    this.#seen.clear();
    this.#inRoom = true;
    this.learn(conversations);
  }

  /** Outside any room nothing is news (the history of a join in progress, say). */
  leave(): void {
    this.#seen.clear();
    this.#inRoom = false;
  }

  /** Conversations not seen before start where they are now; the others keep their place. */
  learn(conversations: readonly ConversationView[]): void {
    if (!this.#inRoom) return;
    for (const view of conversations) {
      if (!this.#seen.has(view.id)) this.#seen.set(view.id, view.lastSeq);
    }
  }

  /** Whether `entry` is news: in a room, in a known conversation, past everything seen there. */
  isNew(entry: Entry): boolean {
    const seen = this.#seen.get(entry.conv);
    // A conversation never listed (its list comes first): quiet rather than wrongly loud.
    if (!this.#inRoom || seen === undefined || entry.seq <= seen) return false;
    this.#seen.set(entry.conv, entry.seq);
    return true;
  }
}
