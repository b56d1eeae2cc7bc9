/**
 * The ParleyBridge the benchmark hands the app: room events reach it as they do from the desktop
 * bridge, one task per event (one IPC message each), in order; like the client session, the
 * entries of each host frame (a live message, a catchup) are followed by the conversation list
 * they changed (its unread count), and a read marker the app sets changes the list again. Everything else answers at once, so only the room screen's
 * own work is measured.
 */
import type {
  ConversationView,
  ParleyBridge,
  Preferences,
  RoomEvent,
  RoomSummary,
  SearchHit,
  UploadStarted,
} from '../../../protocol/bridge';
import type { Entry, PeerV2, TextEntry } from '../../../protocol/wire/entries';
import { BENCH_CONV } from './message-factory';
import { dom } from './page-dom';

const PREFERENCES: Preferences = { name: 'Ada', roomName: 'Bench', address: '', port: 7420 };

export class BenchBridge implements ParleyBridge {
  readonly kind = 'desktop' as const;
  readonly #summary: Omit<RoomSummary, 'conversations'>;
  readonly #listeners = new Set<(event: RoomEvent) => void>();
  readonly #channel = new dom.MessageChannel();
  /** Events posted but not delivered yet; `#head` is the next one (no O(n) shift per event). */
  #queue: RoomEvent[] = [];
  #head = 0;
  #delivered = 0;
  #deliveredEntries = 0;
  /** The one conversation, as the client session's conversation list would show it. */
  #view: ConversationView = {
    id: BENCH_CONV,
    kind: 'channel',
    name: BENCH_CONV,
    member: true,
    lastSeq: 0,
    readSeq: 0,
    unread: 0,
    mentioned: false,
    muted: false,
  };
  /** Seqs of messages from others, ascending; those after `#readIndex` are unread. */
  readonly #othersSeqs: number[] = [];
  #readIndex = 0;

  constructor(summary: Omit<RoomSummary, 'conversations'>) {
    this.#summary = summary;
    this.#channel.port1.onmessage = () => this.#deliverNext();
  }

  /** How many events the app has been handed so far. */
  get delivered(): number {
    return this.#delivered;
  }

  /** How many entries the app has been handed so far. */
  get deliveredEntries(): number {
    return this.#deliveredEntries;
  }

  get summary(): RoomSummary {
    return { ...this.#summary, conversations: [this.#view] };
  }

  /**
   * Queues entries that arrive together (one host frame: a message, or a catchup of many), each
   * as its own task, and then the conversation list they changed, as the client session does.
   */
  postEntries(entries: readonly TextEntry[]): void {
    for (const entry of entries) {
      this.#view = { ...this.#view, lastSeq: Math.max(this.#view.lastSeq, entry.seq) };
      if (entry.from.id !== this.#summary.self.id) this.#othersSeqs.push(entry.seq);
      this.#post({ type: 'entry', entry });
    }
    this.#postView();
  }

  /** Queues the summary that enters the room. */
  postSummary(): void {
    this.#post({ type: 'summary', summary: this.summary });
  }

  async host(): Promise<RoomSummary> {
    return this.summary;
  }

  async join(): Promise<RoomSummary> {
    return this.summary;
  }

  async leave(): Promise<void> {}

  async send(): Promise<string> {
    return 'bench-say';
  }

  async retry(): Promise<void> {}

  async edit(): Promise<string> {
    return 'bench-edit';
  }

  async deleteMessage(): Promise<string> {
    return 'bench-delete';
  }

  async react(): Promise<string> {
    return 'bench-react';
  }

  async search(): Promise<SearchHit[]> {
    return [];
  }

  async setMuted(): Promise<void> {}

  async upload(): Promise<UploadStarted> {
    return { message: 'bench-files', transfers: [] };
  }

  async cancelTransfer(): Promise<void> {}

  async typing(): Promise<void> {}

  async loadOlder(): Promise<{ entries: Entry[]; more: boolean }> {
    return { entries: [], more: false };
  }

  async markRead({ conv, seq }: { conv: string; seq: number }): Promise<void> {
    if (conv !== BENCH_CONV || seq <= this.#view.readSeq) return;
    this.#view = { ...this.#view, readSeq: Math.min(seq, this.#view.lastSeq) };
    this.#postView();
  }

  async createChannel(): Promise<ConversationView> {
    throw new Error('the benchmark has one conversation');
  }

  async joinChannel(): Promise<ConversationView> {
    return this.#view;
  }

  async leaveChannel(): Promise<void> {}

  async openDirect(): Promise<ConversationView> {
    throw new Error('the benchmark has one conversation');
  }

  async setTopic(): Promise<void> {}

  async renameChannel(): Promise<void> {}

  async morePeers(): Promise<{ peers: PeerV2[]; more: boolean }> {
    return { peers: [], more: false };
  }

  async loadPreferences(): Promise<Preferences> {
    return PREFERENCES;
  }

  async savePreferences(): Promise<void> {}

  async openExternal(): Promise<void> {}

  async startDiscovery(): Promise<void> {}

  async stopDiscovery(): Promise<void> {}

  subscribe(listener: (event: RoomEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Queues the conversation list as it is now, with its unread count. */
  #postView(): void {
    while (
      this.#readIndex < this.#othersSeqs.length &&
      this.#othersSeqs[this.#readIndex]! <= this.#view.readSeq
    ) {
      this.#readIndex++;
    }
    this.#view = { ...this.#view, unread: this.#othersSeqs.length - this.#readIndex };
    this.#post({ type: 'conversations', conversations: [this.#view] });
  }

  /** Queues an event for the app as its own task, behind every event posted before it. */
  #post(event: RoomEvent): void {
    this.#queue.push(event);
    this.#channel.port2.postMessage(null);
  }

  #deliverNext(): void {
    const event = this.#queue[this.#head];
    if (event === undefined) return;
    this.#head++;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    this.#delivered++;
    if (event.type === 'entry') this.#deliveredEntries++;
    for (const listener of this.#listeners) listener(event);
  }
}
