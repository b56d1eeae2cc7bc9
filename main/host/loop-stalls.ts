/**
 * When this process's event loop stood still: a long synchronous task, or the process not getting
 * the CPU at all on a starved machine (or SIGSTOP). Frames clients sent meanwhile wait in TCP and
 * are read together once the loop runs again; the rate limiter uses this to tell such a backlog
 * from a burst the sender made (rate-limiter.ts).
 *
 * A timer ticks every TICK_MS; a tick that comes much later than that closes a stall. A stall
 * still going on (frames read before the late tick runs) counts from the last tick until now.
 */

export interface LoopStalls {
  /**
   * Milliseconds the loop stood still during stalls still being caught up with at `now`: the
   * one going on, and those that ended less than CATCH_UP_MS ago.
   */
  recentStallMs(now: number): number;
}

const TICK_MS = 100;
/** A tick this late closes a stall; shorter hiccups are what a burst allowance is for. */
const STALL_MS = 500;
/** How long after a stall its backlog is still being read (several 64 KiB reads, fan-out). */
export const CATCH_UP_MS = 2000;
/** Stalls remembered at most: only recent ones matter. */
const MAX_STALLS = 8;

interface Stall {
  from: number;
  to: number;
}

let shared: LoopStalls | undefined;

/** The process's one monitor, started on first use; its timer never keeps the process alive. */
export function processLoopStalls(): LoopStalls {
  shared ??= startMonitor();
  return shared;
}

function startMonitor(): LoopStalls {
  let lastTick = performance.now();
  const stalls: Stall[] = [];
  setInterval(() => {
    const now = performance.now();
    if (now - lastTick > STALL_MS) {
      stalls.push({ from: lastTick, to: now });
      if (stalls.length > MAX_STALLS) stalls.shift();
    }
    lastTick = now;
  }, TICK_MS).unref();
  return {
    recentStallMs(now) {
      let total = 0;
      for (const stall of stalls) {
        if (now - stall.to <= CATCH_UP_MS) total += stall.to - stall.from;
      }
      // One going on now: the tick that will close it has not run yet.
      if (now - lastTick > STALL_MS) total += now - lastTick;
      return total;
    },
  };
}
