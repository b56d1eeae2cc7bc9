/**
 * The benchmark's side in the page: mounts the real parley-app (bundled next to this file as
 * components.js) with a BenchBridge, hands it history and live messages the way the desktop
 * bridge does, and times what the user sees. Published as `globalThis.parleyUiBench`.
 */
import type { RoomSummary } from '../../../protocol/bridge';
import { FrameRecorder } from './frame-recorder';
import { BenchBridge } from './bench-bridge';
import type { LoadOutcome, StreamOutcome, UiBenchHarness } from './harness-api';
import { BENCH_PEERS, BENCH_SELF, MessageFactory } from './message-factory';
import { dom, nextFrame } from './page-dom';

/** History spans three days, so the list has day separators as a real one does. */
const HISTORY_SPAN_MS = 3 * 24 * 3_600_000;
/** How often the producer hands over the messages due by then (one task per message). */
const PRODUCER_TICK_MS = 4;

let bridge: BenchBridge | undefined;
let factory = new MessageFactory(1);
let renders = 0;

/** Counts room screen renders, the cost batching is meant to cut. */
async function countRoomRenders(): Promise<void> {
  await dom.customElements.whenDefined('room-view');
  const prototype = dom.customElements.get('room-view')!.prototype as {
    update(changed: unknown): void;
  };
  const update = prototype.update;
  prototype.update = function countedUpdate(this: unknown, changed: unknown) {
    renders++;
    update.call(this, changed);
  };
}

/** True when the message with `seq` is wholly inside the list's viewport. */
function isShown(seq: number): boolean {
  const list = dom.document
    .querySelector('parley-app')
    ?.shadowRoot?.querySelector('room-view')
    ?.shadowRoot?.querySelector('conversation-pane')
    ?.shadowRoot?.querySelector('message-list')?.shadowRoot;
  const viewport = list?.querySelector('lit-virtualizer')?.getBoundingClientRect();
  const row = list?.querySelector(`[data-seq="${seq}"]`)?.getBoundingClientRect();
  if (!viewport || !row || row.height === 0) return false;
  return row.top >= viewport.top - 1 && row.bottom <= viewport.bottom + 1;
}

/** Resolves with the time of the first frame in which `seq` is shown, or null after `timeoutMs`. */
async function frameShowing(seq: number, timeoutMs: number): Promise<number | null> {
  const deadline = dom.performance.now() + timeoutMs;
  for (;;) {
    await nextFrame();
    const now = dom.performance.now();
    if (isShown(seq)) return now;
    if (now > deadline) return null;
  }
}

const SUMMARY: Omit<RoomSummary, 'conversations'> = {
  room: { id: 'bench-room', name: 'Bench room' },
  self: BENCH_SELF,
  peers: BENCH_PEERS,
  peerCount: BENCH_PEERS.length,
  hosting: false,
  addresses: [],
};

const harness: UiBenchHarness = {
  async mount({ batching, seed, formatted }) {
    factory = new MessageFactory(seed, formatted);
    bridge = new BenchBridge(SUMMARY);
    const app = dom.document.createElement('parley-app');
    Object.assign(app, { bridge, batchRoomEvents: batching });
    dom.document.body.replaceChildren(app);
    await dom.customElements.whenDefined('parley-app');
    await nextFrame();
    await nextFrame();
  },

  async frameInterval(sampleMs) {
    const deltas: number[] = [];
    const until = dom.performance.now() + sampleMs;
    let last = await nextFrame();
    while (dom.performance.now() < until && deltas.length < 1000) {
      const time = await nextFrame();
      deltas.push(time - last);
      last = time;
    }
    deltas.sort((a, b) => a - b);
    return deltas[Math.floor(deltas.length / 2)] ?? 1000 / 60;
  },

  async loadHistory({ messages, timeoutMs }): Promise<LoadOutcome> {
    const target = bridge!;
    const history = factory.history(messages, Date.now(), HISTORY_SPAN_MS);
    const recorder = new FrameRecorder();
    recorder.start();
    const rendersBefore = renders;
    const started = dom.performance.now();
    // The history, then the summary that enters the room: the app renders the room once, with
    // everything (as it did for protocol v1, so the numbers compare across versions).
    target.postEntries(history);
    target.postSummary();
    const shownAt = await frameShowing(messages, timeoutMs);
    return {
      shownMs: shownAt === null ? null : shownAt - started,
      renders: renders - rendersBefore,
      recording: await recorder.stop(),
    };
  },

  async settle(quietFrames, frameMs, maxMs) {
    const until = dom.performance.now() + maxMs;
    let quiet = 0;
    let last = await nextFrame();
    while (quiet < quietFrames && dom.performance.now() < until) {
      const time = await nextFrame();
      quiet = time - last < frameMs * 1.5 ? quiet + 1 : 0;
      last = time;
    }
  },

  async stream({ rate, seconds, catchUpTimeoutMs }): Promise<StreamOutcome> {
    const target = bridge!;
    const total = Math.max(1, Math.round(rate * seconds));
    const recorder = new FrameRecorder();
    recorder.start();
    const rendersBefore = renders;
    const deliveredBefore = target.deliveredEntries;
    const eventsBefore = target.delivered;
    const started = dom.performance.now();
    let sent = 0;
    let lastSeq = 0;
    // Due messages go out by the clock: a main thread that falls behind gets them in a burst.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((dom.performance.now() - started) / 1000) * rate));
        for (; sent < due; sent++) {
          const entry = factory.next(Date.now());
          lastSeq = entry.seq;
          target.postEntries([entry]);
        }
        if (sent < total) return;
        clearInterval(timer);
        resolve();
      }, PRODUCER_TICK_MS);
    });
    const lastPostedAt = dom.performance.now();
    const backlogAtEnd = sent - (target.deliveredEntries - deliveredBefore);
    const shownAt = await frameShowing(lastSeq, catchUpTimeoutMs);
    const eventsAtShown = target.delivered;
    return {
      sent,
      durationMs: (shownAt ?? dom.performance.now()) - started,
      backlogAtEnd,
      catchUpMs: shownAt === null ? null : shownAt - lastPostedAt,
      renders: renders - rendersBefore,
      events: eventsAtShown - eventsBefore,
      recording: await recorder.stop(),
    };
  },
};

void countRoomRenders().then(() => {
  globalThis.parleyUiBench = harness;
});
