/**
 * The in-page side of the component fixtures: mounts one element with a fake bridge and records
 * the events it raises. Bundled for the browser by fixture-server.ts and reached from tests as
 * `globalThis.parleyFixture`. It touches the DOM only through the few members typed below, so it also
 * type-checks with the Node-only settings of the test tree.
 */
import { applyRoomEvent, createRoomState } from '../../../renderer/room-state';
import type { RoomState } from '../../../renderer/room-state';
import { buildTimeline } from '../../../renderer/timeline';
import type { TimelineRow } from '../../../renderer/timeline';
import type { RoomEvent, RoomSummary } from '../../../protocol/bridge';
import type { ChatMessage, Peer } from '../../../protocol/wire/frames';
import { FakeBridge } from './fake-bridge';
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
  /** The message list rows of a RoomState. */
  timeline(state: RoomState): TimelineRow[];
  /** `count` messages from seq `firstSeq` on, taking turns among `authors`, a minute apart. */
  messages(firstSeq: number, count: number, authors: Peer[], firstTs?: number): ChatMessage[];
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
      element.addEventListener(type, (event) => this.events.push({ type, detail: event.detail }));
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
  timeline(state) {
    return buildTimeline(state);
  },
  messages(firstSeq, count, authors, firstTs = Date.now() - count * 60_000) {
    return Array.from({ length: count }, (_, index) => {
      const seq = firstSeq + index;
      return {
        seq,
        id: `say-${seq}`,
        from: authors[index % authors.length]!,
        text: `Message number ${seq}`,
        ts: firstTs + index * 60_000,
      };
    });
  },
};

declare global {
  /** The fixture of the page under test (set in the page; read inside `page.evaluate`). */
  var parleyFixture: FixtureApi;
}

globalThis.parleyFixture = fixture;
