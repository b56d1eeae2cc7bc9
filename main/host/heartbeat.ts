/**
 * Liveness (docs/protocol.md): every socket is pinged each interval, the first time as soon as it is
 * tracked, and one that has left two pings unanswered is declared dead. Pinging at once means a
 * dead peer is found within two intervals of connecting, not three.
 *
 * The sockets are spread over slots visited in turn, one slot per tenth of the interval: a room
 * of thousands is pinged a slice at a time, so no single tick writes a ping to everyone (and
 * reads everyone's pong) while chat messages wait behind it.
 */
import type { WebSocket } from 'ws';

export type DeadSocketHandler = (socket: WebSocket) => void;

/** How many slices the sockets are pinged in, each interval. */
export const HEARTBEAT_SLOTS = 10;

export class Heartbeat {
  /**
   * Per slot, the pings each socket has left unanswered: a number, not an object, per idle
   * connection.
   */
  private readonly slots = Array.from(
    { length: HEARTBEAT_SLOTS },
    () => new Map<WebSocket, number>(),
  );
  private nextSlotToFill = 0;
  private nextSlotToPing = 0;
  private timer: NodeJS.Timeout | undefined;
  /**
   * Listeners shared by every tracked socket (ws calls them with the socket as `this`): a closure
   * per socket would cost each idle connection two more functions and their scope.
   */
  private readonly answered: (this: WebSocket) => void;
  private readonly untrack: (this: WebSocket) => void;

  /**
   * `intervalMs` 0 turns liveness checks off. `onDead` runs once for a socket that stopped
   * answering (by default it is terminated).
   */
  constructor(
    private readonly intervalMs: number,
    private readonly reportBug: (error: unknown) => void = () => {},
    private readonly onDead: DeadSocketHandler = (socket) => socket.terminate(),
  ) {
    const slots = this.slots;
    this.answered = function (this: WebSocket) {
      for (const slot of slots) {
        if (slot.has(this)) {
          slot.set(this, 0);
          return;
        }
      }
    };
    this.untrack = function (this: WebSocket) {
      for (const slot of slots) if (slot.delete(this)) return;
    };
  }

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs / HEARTBEAT_SLOTS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const slot of this.slots) slot.clear();
  }

  /** Watches `socket` until it closes; `onDead` runs once if it stops answering pings. */
  track(socket: WebSocket): void {
    if (this.intervalMs <= 0) return;
    socket.on('pong', this.answered);
    // ws emits 'close' once: `on` spares the wrapper `once` would allocate for every socket.
    socket.on('close', this.untrack);
    const slot = this.slots[this.nextSlotToFill]!;
    this.nextSlotToFill = (this.nextSlotToFill + 1) % HEARTBEAT_SLOTS;
    this.ping(slot, socket, 0);
  }

  /** Visits one slot: each of its sockets is visited once per interval. */
  private tick(): void {
    const slot = this.slots[this.nextSlotToPing]!;
    this.nextSlotToPing = (this.nextSlotToPing + 1) % HEARTBEAT_SLOTS;
    for (const [socket, unanswered] of slot) {
      try {
        if (unanswered >= 2) {
          slot.delete(socket);
          this.onDead(socket);
        } else {
          this.ping(slot, socket, unanswered);
        }
      } catch (error) {
        // A timer callback that throws would take the whole host down.
        this.reportBug(error);
      }
    }
  }

  private ping(slot: Map<WebSocket, number>, socket: WebSocket, unanswered: number): void {
    slot.set(socket, unanswered + 1);
    socket.ping();
  }
}
