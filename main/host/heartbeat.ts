/**
 * Liveness (PROTOCOL.md): every socket is pinged each interval, the first time as soon as it is
 * tracked, and one that has left two pings unanswered is declared dead. Pinging at once means a
 * dead peer is found within two intervals of connecting, not three.
 */
import type { WebSocket } from 'ws';

export type DeadSocketHandler = (socket: WebSocket) => void;

export class Heartbeat {
  /** Pings each socket has left unanswered; a number, not an object, per idle connection. */
  private readonly sockets = new Map<WebSocket, number>();
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
    const sockets = this.sockets;
    this.answered = function (this: WebSocket) {
      if (sockets.has(this)) sockets.set(this, 0);
    };
    this.untrack = function (this: WebSocket) {
      sockets.delete(this);
    };
  }

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sockets.clear();
  }

  /** Watches `socket` until it closes; `onDead` runs once if it stops answering pings. */
  track(socket: WebSocket): void {
    if (this.intervalMs <= 0) return;
    socket.on('pong', this.answered);
    // ws emits 'close' once: `on` spares the wrapper `once` would allocate for every socket.
    socket.on('close', this.untrack);
    this.ping(socket, 0);
  }

  private tick(): void {
    for (const [socket, unanswered] of this.sockets) {
      try {
        if (unanswered >= 2) {
          this.sockets.delete(socket);
          this.onDead(socket);
        } else {
          this.ping(socket, unanswered);
        }
      } catch (error) {
        // A timer callback that throws would take the whole host down.
        this.reportBug(error);
      }
    }
  }

  private ping(socket: WebSocket, unanswered: number): void {
    this.sockets.set(socket, unanswered + 1);
    socket.ping();
  }
}
