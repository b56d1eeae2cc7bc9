/**
 * The in-page side of the component fixtures: mounts one element with a fake bridge and records
 * the events it raises. Bundled for the browser by fixture-server.ts and reached from tests as
 * `globalThis.parleyFixture`. It touches the DOM only through the few members typed below, so it also
 * type-checks with the Node-only settings of the test tree.
 */
import { applyRoomEvent, createRoomState, logOf } from '../../../renderer/room-state';
import type { RoomState } from '../../../renderer/room-state';
import { buildTimeline } from '../../../renderer/timeline';
import type { TimelineInput, TimelineRow } from '../../../renderer/timeline';
import type { RoomEvent, RoomSummary } from '../../../protocol/bridge';
import type { PeerV2, TextEntry } from '../../../protocol/wire/entries';
import { FakeBridge } from './fake-bridge';
import * as entries from './entries';
import type { FakeBridgeScript } from './fake-bridge';

interface PageElement {
  addEventListener(
    type: string,
    listener: (event: { type: string; detail?: unknown }) => void,
  ): void;
}
interface PageDocument {
  createElement(tag: string): PageElement;
  body: { replaceChildren(...nodes: PageElement[]): void };
}

/** Every event the components raise (renderer/components/shared/events.ts). */
export const RECORDED_EVENTS = [
  'room-entered',
  'send-message',
  'composer-typing',
  'retry-message',
  'load-older',
  'leave-room',
  'open-link',
  'dismiss-notices',
  'open-conversation',
  'mark-read',
  'list-at-end',
  'open-direct',
  'create-channel',
  'join-channel',
  'leave-channel',
  'set-topic',
  'rename-channel',
  'send-files',
  'edit-message',
  'message-action',
  'edit-last',
  'compose-cancel',
  'react',
  'jump-to-message',
  'view-image',
  'download-file',
  'cancel-transfer',
  'dismiss-transfer',
  'show-in-folder',
  'show-error',
  'set-muted',
  'delete-message',
  'search',
  'emoji-picked',
] as const;

export interface RecordedEvent {
  type: string;
  detail: unknown;
}

export interface FixtureApi {
  bridge: FakeBridge | undefined;
  element: Record<string, unknown> | undefined;
  events: RecordedEvent[];
  createBridge(kind: 'desktop' | 'browser', script?: FakeBridgeScript): FakeBridge;
  /** Mounts `<tag>` as the page's only content; `bridgeProperty` receives the fake bridge. */
  mount(tag: string, properties?: Record<string, unknown>, bridgeProperty?: string): void;
  /** A RoomState as the app would hold it after `events`. */
  roomState(summary: RoomSummary, events?: RoomEvent[], now?: number): RoomState;
  /** The message list rows of a RoomState's conversation `conv` (the one on screen by default). */
  timeline(state: RoomState, conv?: string): TimelineRow[];
  /** The message list rows of one conversation's parts. */
  rows(input: TimelineInput): TimelineRow[];
  /** The entry and view makers of ./entries.ts, for code running in the page. */
  entries: typeof entries;
  /**
   * `count` text entries of `conv` (`general` by default) from seq `firstSeq` on, taking turns
   * among `authors`, a minute apart.
   */
  messages(
    firstSeq: number,
    count: number,
    authors: PeerV2[],
    firstTs?: number,
    conv?: string,
  ): TextEntry[];
}

/** An event's detail as a test can read it: a request's `reply` callback left out. */
function recordable(detail: unknown): unknown {
  if (typeof detail !== 'object' || detail === null) return detail;
  return Object.fromEntries(
    Object.entries(detail).filter(([, value]) => typeof value !== 'function'),
  );
}

const fixture: FixtureApi = {
  bridge: undefined,
  element: undefined,
  events: [],
  createBridge(kind, script = {}) {
    this.bridge = new FakeBridge(kind, script);
    return this.bridge;
  },
  mount(tag, properties = {}, bridgeProperty) {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    const element = doc.createElement(tag);
    Object.assign(element, properties);
    if (bridgeProperty) Object.assign(element, { [bridgeProperty]: this.bridge });
    this.events = [];
    for (const type of RECORDED_EVENTS) {
      element.addEventListener(type, (event) =>
        this.events.push({ type, detail: recordable(event.detail) }),
      );
    }
    this.element = element as unknown as Record<string, unknown>;
    doc.body.replaceChildren(element);
  },
  roomState(summary, events = [], now = Date.now()) {
    return events.reduce(
      (state, event) => applyRoomEvent(state, event, now),
      createRoomState(summary),
    );
  },
  timeline(state, conv = state.current) {
    return buildTimeline({
      entries: logOf(state, conv).entries,
      presence: conv === 'general' ? state.presence : [],
      outbox: state.outbox.filter((entry) => entry.conv === conv),
      self: state.self,
    });
  },
  rows(input) {
    return buildTimeline(input);
  },
  entries,
  messages(firstSeq, count, authors, firstTs = Date.now() - count * 60_000, conv = 'general') {
    return Array.from({ length: count }, (_, index) => {
      const seq = firstSeq + index;
      return {
        seq,
        conv,
        id: `say-${seq}`,
        from: authors[index % authors.length]!,
        ts: firstTs + index * 60_000,
        kind: 'text' as const,
        text: `Message number ${seq}`,
      };
    });
  },
};

declare global {
  /** The fixture of the page under test (set in the page; read inside `page.evaluate`). */
  var parleyFixture: FixtureApi;
}

globalThis.parleyFixture = fixture;
