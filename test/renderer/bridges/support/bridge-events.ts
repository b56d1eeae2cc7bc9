/** Collecting a bridge's RoomEvents and waiting for one that matches, with a deadline. */
import type { ParleyBridge, RoomEvent } from '../../../../protocol/bridge';

export function recorder(bridge: ParleyBridge) {
  const events: RoomEvent[] = [];
  const waiters = new Set<() => void>();
  const unsubscribe = bridge.subscribe((event) => {
    events.push(event);
    for (const check of [...waiters]) check();
  });
  return {
    events,
    unsubscribe,
    next<T extends RoomEvent>(
      match: (event: RoomEvent) => event is T,
      what: string,
      ms = 5000,
    ): Promise<T> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}`));
        }, ms);
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

export const isSummary = (event: RoomEvent): event is Extract<RoomEvent, { type: 'summary' }> =>
  event.type === 'summary';

/** The entry event of a text entry saying `text`. */
export const isText =
  (text: string) =>
  (event: RoomEvent): event is Extract<RoomEvent, { type: 'entry' }> =>
    event.type === 'entry' && event.entry.kind === 'text' && event.entry.text === text;
