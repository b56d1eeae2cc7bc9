/**
 * One mode of the UI benchmark in a fresh browser context: mount parley-app, load the history,
 * let it settle, stream live messages on top, and read the heap after each (after a full GC,
 * through the DevTools protocol). Every step has its own time limit.
 */
import type { Browser, CDPSession } from 'playwright-core';
import type { LoadOutcome, StreamOutcome } from './page/harness-api';
import { round, summarizeFrames } from './frame-stats';
import type { UiBenchPlan } from './ui-options';
import type { ModeResult, UiMode } from './ui-results';

export interface ModeLimits {
  /** For the history to show. */
  loadMs: number;
  /** For the page to calm down after loading. */
  settleMs: number;
  /** For the last streamed message to show once it was handed over. */
  catchUpMs: number;
}

/** Every mode lays out the same generated messages (formatted ones with Markdown added). */
const SEED = 20_251_125;
const VIEWPORT = { width: 1100, height: 720 };
/** Short frames in a row that count as "settled" after loading. */
const QUIET_FRAMES = 20;
/** What page.evaluate may take beyond the in-page limit before the page counts as hung. */
const EVALUATE_SLACK_MS = 10_000;
const MIB = 2 ** 20;

export async function runMode(
  browser: Browser,
  url: string,
  mode: UiMode,
  plan: UiBenchPlan,
  limits: ModeLimits,
): Promise<ModeResult> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const failures: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') failures.push(`console error: ${message.text()}`);
    });
    await page.goto(url, { timeout: 15_000 });
    await page.waitForFunction(() => globalThis.parleyUiBench !== undefined, undefined, {
      timeout: 15_000,
    });
    const cdp = await context.newCDPSession(page);
    await withinLimit(
      'mounting the app',
      5000,
      page.evaluate((options) => globalThis.parleyUiBench!.mount(options), {
        batching: mode !== 'unbatched',
        seed: SEED,
        formatted: mode === 'formatted',
      }),
    );
    const frameIntervalMs = await withinLimit(
      'timing idle frames',
      2000,
      page.evaluate((ms) => globalThis.parleyUiBench!.frameInterval(ms), 500),
    );
    const load = await withinLimit<LoadOutcome>(
      'loading the history',
      limits.loadMs,
      page.evaluate((options) => globalThis.parleyUiBench!.loadHistory(options), {
        messages: plan.messages,
        timeoutMs: limits.loadMs,
      }),
    );
    if (load.shownMs === null) {
      failures.push(
        `the newest of ${plan.messages} messages did not show within ${limits.loadMs} ms`,
      );
    }
    await withinLimit(
      'settling',
      limits.settleMs,
      page.evaluate(
        ([quiet, frameMs, maxMs]) => globalThis.parleyUiBench!.settle(quiet, frameMs, maxMs),
        [QUIET_FRAMES, frameIntervalMs, limits.settleMs] as const,
      ),
    );
    const heapAfterLoadMiB = await heapMiB(cdp);
    const stream = await withinLimit<StreamOutcome>(
      'streaming',
      plan.seconds * 1000 + limits.catchUpMs,
      page.evaluate((options) => globalThis.parleyUiBench!.stream(options), {
        rate: plan.rate,
        seconds: plan.seconds,
        catchUpTimeoutMs: limits.catchUpMs,
      }),
    );
    if (stream.catchUpMs === null) {
      failures.push(`the last streamed message did not show within ${limits.catchUpMs} ms`);
    }
    const heapAfterStreamMiB = await heapMiB(cdp);
    const peak = stream.recording.peakHeapBytes;
    return {
      mode,
      frameIntervalMs: round(frameIntervalMs, 2),
      longFrameSource: stream.recording.longFrameSource,
      load: {
        messages: plan.messages,
        shownMs: load.shownMs === null ? null : round(load.shownMs),
        renders: load.renders,
        frames: summarizeFrames(load.recording, frameIntervalMs),
      },
      heapAfterLoadMiB,
      stream: {
        sent: stream.sent,
        durationMs: round(stream.durationMs),
        renders: stream.renders,
        events: stream.events,
        backlogAtEnd: stream.backlogAtEnd,
        catchUpMs: stream.catchUpMs === null ? null : round(stream.catchUpMs),
        frames: summarizeFrames(stream.recording, frameIntervalMs),
        peakHeapMiB: peak === null ? null : round(peak / MIB),
      },
      heapAfterStreamMiB,
      failures,
    };
  } finally {
    await context.close();
  }
}

/** `work`, or an error once it has taken `limitMs` plus some slack (a hung page). */
async function withinLimit<T>(what: string, limitMs: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the page did not finish ${what} within ${limitMs} ms`)),
      limitMs + EVALUATE_SLACK_MS,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The JS heap in use after a full garbage collection, or null if the browser would not say. */
async function heapMiB(cdp: CDPSession): Promise<number | null> {
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return round(usedSize / MIB);
  } catch {
    return null;
  }
}
