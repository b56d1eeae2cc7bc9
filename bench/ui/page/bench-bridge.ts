/**
 * The ParleyBridge the benchmark hands the app: room events reach it as they do from the desktop
 * bridge, one task per event (one IPC message each), in order. Everything else answers at once,
 * so only the room screen's own work is measured.
 */
import type { ParleyBridge, Preferences, RoomEvent, RoomSummary } from '../../../protocol/bridge';
import type { ChatMessage } from '../../../protocol/wire/frames';
import { dom } from './page-dom';

const PREFERENCES: Preferences = { name: 'Ada', roomName: 'Bench', address: '', port: 7420 };

export class BenchBridge implements ParleyBridge {
  readonly kind = 'desktop' as const;
  readonly #summary: RoomSummary;
  readonly #listeners = new Set<(event: RoomEvent) => void>();
  readonly #channel = new dom.MessageChannel();
  /** Events posted but not delivered yet; `#head` is the next one (no O(n) shift per event). */
  #queue: RoomEvent[] = [];
  #head = 0;
  #delivered = 0;

  constructor(summary: RoomSummary) {
    this.#summary = summary;
    this.#channel.port1.onmessage = () => this.#deliverNext();
  }

  /** How many events the app has been handed so far. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Queues an event for the app as its own task, behind every event posted before it. */
  post(event: RoomEvent): void {
    this.#queue.push(event);
    this.#channel.port2.postMessage(null);
  }

  async host(): Promise<RoomSummary> {
    return this.#summary;
  }

  async join(): Promise<RoomSummary> {
    return this.#summary;
  }

  async leave(): Promise<void> {}

  async send(): Promise<string> {
    return 'bench-say';
  }

  async retry(): Promise<void> {}

  async typing(): Promise<void> {}

  async loadOlder(): Promise<{ messages: ChatMessage[]; more: boolean }> {
    return { messages: [], more: false };
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

  #deliverNext(): void {
    const event = this.#queue[this.#head];
    if (event === undefined) return;
    this.#head++;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    this.#delivered++;
    for (const listener of this.#listeners) listener(event);
  }
}
