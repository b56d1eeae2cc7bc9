/** Records the RoomEvents of a controller (or any event source) and awaits the next matching one, with a deadline. */
import type { RoomEvent } from '../../../../protocol/bridge';
import type { RoomEventSource } from '../../../../main/app/room/room-events';

export interface EventLog {
  readonly events: RoomEvent[];
  /** Resolves with the first recorded event (seen or still to come) that matches. */
  waitFor<T extends RoomEvent>(
    matches: (event: RoomEvent) => event is T,
    timeoutMs?: number,
  ): Promise<T>;
  waitFor(matches: (event: RoomEvent) => boolean, timeoutMs?: number): Promise<RoomEvent>;
  /** Text entries seen so far, as `name: text` (of `conv`, every conversation without one). */
  lines(conv?: string): string[];
  stop(): void;
}

export function recordEvents(controller: RoomEventSource): EventLog {
  const events: RoomEvent[] = [];
  const waiters = new Set<(event: RoomEvent) => void>();
  const stop = controller.subscribe((event) => {
    events.push(event);
    for (const waiter of [...waiters]) waiter(event);
  });

  function waitFor(matches: (event: RoomEvent) => boolean, timeoutMs = 5_000): Promise<RoomEvent> {
    const seen = events.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching room event within ${timeoutMs} ms; saw ${describe(events)}`));
      }, timeoutMs);
      const check = (event: RoomEvent) => {
        if (!matches(event)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(event);
      };
      waiters.add(check);
    });
  }

  return {
    events,
    waitFor: waitFor as EventLog['waitFor'],
    lines: (conv) =>
      events.flatMap((e) =>
        e.type === 'entry' &&
        e.entry.kind === 'text' &&
        (conv === undefined || e.entry.conv === conv)
          ? [`${e.entry.from.name}: ${e.entry.text}`]
          : [],
      ),
    stop,
  };
}

function describe(events: RoomEvent[]): string {
  return JSON.stringify(events.map((e) => e.type));
}

/** Matches the entry event of a text entry saying `text`. */
export const entryText =
  (text: string) =>
  (event: RoomEvent): event is Extract<RoomEvent, { type: 'entry' }> =>
    event.type === 'entry' && event.entry.kind === 'text' && event.entry.text === text;

export const isType =
  <K extends RoomEvent['type']>(type: K) =>
  (event: RoomEvent): event is Extract<RoomEvent, { type: K }> =>
    event.type === type;
