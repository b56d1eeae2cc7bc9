/**
 * Every conversation this client knows, as the views the bridge hands out (ConversationView): the
 * welcome's list, kept current by `conversation` frames (created, renamed, joined, left, topic),
 * entries (last seq, unread count and mention flag) and read markers (this client's, and those
 * its other devices report). The desktop (title, badge, tray), the browser guest page and the
 * terminal client's /channels all count with this one class.
 *
 * Unread counts what this client has seen: text entries from others, not deleted, with a seq
 * above the read marker. A mention is one of those naming @self (linkify's mention rule).
 */
import type { ConversationView } from '../bridge';
import type { Conversation, Entry, PeerV2 } from '../wire/entries';
import { GENERAL } from '../wire/identity';
import { mentionsName } from './linkify';

export interface ConversationListContext {
  /** This client's peer (its id tells own entries apart; its name is what mentions name). */
  self(): PeerV2 | undefined;
  /** Every name that can be mentioned, so `@Ann Lee` is not taken for a mention of `Ann`. */
  peerNames(): readonly string[];
}

interface Tracked {
  view: Omit<ConversationView, 'unread' | 'mentioned' | 'muted'>;
  /** Unread text entries: seq to whether it mentions this client. */
  unread: Map<number, boolean>;
}

export class ConversationList {
  readonly #context: ConversationListContext;
  #tracked = new Map<string, Tracked>();
  /** Conversations this person muted: a client setting, kept even for ones not (yet) listed. */
  #muted = new Set<string>();

  constructor(context: ConversationListContext) {
    this.#context = context;
  }

  /**
   * A welcome: the host's list replaces ours (its markers and last seqs are the truth). Unread
   * entries already seen stay counted for conversations that are still there.
   */
  reset(conversations: readonly Conversation[]): void {
    const previous = this.#tracked;
    this.#tracked = new Map();
    for (const conversation of conversations) {
      const unread = previous.get(conversation.id)?.unread ?? new Map<number, boolean>();
      this.#tracked.set(conversation.id, { view: this.#viewOf(conversation), unread });
      this.#prune(conversation.id);
    }
  }

  /** Forgets everything (another room), mutes included. */
  clear(): void {
    this.#tracked.clear();
    this.#muted.clear();
  }

  /** The room's muted conversations, as this client keeps them (replaces the set). */
  resetMuted(muted: Iterable<string>): void {
    this.#muted = new Set(muted);
  }

  /** Mutes or unmutes a conversation. Returns whether that changed anything. */
  setMuted(conv: string, muted: boolean): boolean {
    if (this.#muted.has(conv) === muted) return false;
    if (muted) this.#muted.add(conv);
    else this.#muted.delete(conv);
    return true;
  }

  /** The muted conversation ids. */
  muted(): string[] {
    return [...this.#muted];
  }

  /** A `conversation` frame: new, or changed. Markers and last seqs never go back. */
  update(conversation: Conversation): ConversationView {
    const known = this.#tracked.get(conversation.id);
    const view = this.#viewOf(conversation, known?.view);
    if (known) {
      view.lastSeq = Math.max(view.lastSeq, known.view.lastSeq);
      view.readSeq = Math.max(view.readSeq, known.view.readSeq);
      known.view = view;
    } else {
      this.#tracked.set(conversation.id, { view, unread: new Map() });
    }
    this.#prune(conversation.id);
    return this.get(conversation.id)!;
  }

  /** An entry delivered to this client. Returns false for a conversation it does not know. */
  addEntry(entry: Entry): boolean {
    const tracked = this.#tracked.get(entry.conv);
    if (!tracked) return false;
    const { view, unread } = tracked;
    view.lastSeq = Math.max(view.lastSeq, entry.seq);
    if (entry.kind === 'delete') unread.delete(entry.target);
    const self = this.#context.self();
    const fromOthers = entry.from.id !== self?.id;
    if (entry.kind === 'text' && fromOthers && !entry.deleted && entry.seq > view.readSeq) {
      const mentioned =
        self !== undefined && mentionsName(entry.text, self.name, this.#context.peerNames());
      unread.set(entry.seq, mentioned);
    }
    return true;
  }

  /** A read marker (this client's, or another device's). Returns whether it moved. */
  markRead(conv: string, seq: number): boolean {
    const tracked = this.#tracked.get(conv);
    if (!tracked || seq <= tracked.view.readSeq) return false;
    tracked.view.readSeq = seq;
    this.#prune(conv);
    return true;
  }

  /** A person's new name, shown for the direct conversations with them. */
  renamePeer(peer: PeerV2): boolean {
    let changed = false;
    for (const { view } of this.#tracked.values()) {
      if (view.peer?.id === peer.id && view.peer.name !== peer.name) {
        view.peer = peer;
        changed = true;
      }
    }
    return changed;
  }

  has(id: string): boolean {
    return this.#tracked.has(id);
  }

  get(id: string): ConversationView | undefined {
    const tracked = this.#tracked.get(id);
    return tracked && this.#public(tracked);
  }

  /** The channel called `name` (case-insensitively, with or without `#`). */
  channelNamed(name: string): ConversationView | undefined {
    const key = name.replace(/^#/, '').normalize('NFC').toLowerCase();
    for (const tracked of this.#tracked.values()) {
      const { view } = tracked;
      if (view.kind === 'channel' && view.name?.normalize('NFC').toLowerCase() === key) {
        return this.#public(tracked);
      }
    }
    return undefined;
  }

  /** The direct conversation with the peer `peerId`, if there is one yet. */
  directWith(peerId: string): ConversationView | undefined {
    for (const tracked of this.#tracked.values()) {
      if (tracked.view.peer?.id === peerId) return this.#public(tracked);
    }
    return undefined;
  }

  /** Every view, `general` first, then in the order the host listed them or they appeared. */
  list(): ConversationView[] {
    return [...this.#tracked.values()].map((tracked) => this.#public(tracked));
  }

  #viewOf(conversation: Conversation, known?: Tracked['view']): Tracked['view'] {
    const { id, kind, name, topic, creator, lastSeq, readSeq } = conversation;
    const self = this.#context.self();
    const peer =
      kind === 'direct'
        ? (conversation.members?.find((member) => member.id !== self?.id) ??
          conversation.members?.[0] ??
          known?.peer)
        : undefined;
    const member =
      kind === 'direct' || id === GENERAL ? true : (conversation.member ?? known?.member ?? false);
    return {
      id,
      kind,
      ...(name !== undefined && { name }),
      ...(topic !== undefined && topic !== '' && { topic }),
      ...(creator !== undefined && { creator }),
      ...(peer && { peer }),
      member,
      lastSeq,
      readSeq,
    };
  }

  #public(tracked: Tracked): ConversationView {
    return publicView(tracked, this.#muted.has(tracked.view.id));
  }

  #prune(conv: string): void {
    const tracked = this.#tracked.get(conv);
    if (!tracked) return;
    for (const seq of tracked.unread.keys())
      if (seq <= tracked.view.readSeq) tracked.unread.delete(seq);
  }
}

function publicView({ view, unread }: Tracked, muted: boolean): ConversationView {
  let mentioned = false;
  for (const mention of unread.values()) mentioned ||= mention;
  return {
    ...view,
    ...(view.peer && { peer: { ...view.peer } }),
    unread: unread.size,
    mentioned,
    muted,
  };
}
