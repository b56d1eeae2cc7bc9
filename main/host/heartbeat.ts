/**
 * Liveness (PROTOCOL.md): every socket is pinged each interval, the first time as soon as it is
 * tracked, and one that has left two pings unanswered is declared dead. Pinging at once means a
 * dead peer is found within two intervals of connecting, not three.
 */
import type { WebSocket } from 'ws';

interface Tracked {
  unanswered: number;
  onDead: () => void;
}

export class Heartbeat {
  private readonly sockets = new Map<WebSocket, Tracked>();
  private timer: NodeJS.Timeout | undefined;
  /**
   * Listeners shared by every tracked socket (ws calls them with the socket as `this`): a closure
   * per socket would cost each idle connection two more functions and their scope.
   */
  private readonly answered: (this: WebSocket) => void;
  private readonly untrack: (this: WebSocket) => void;

  /** `intervalMs` 0 turns liveness checks off. */
  constructor(
    private readonly intervalMs: number,
    private readonly reportBug: (error: unknown) => void = () => {},
  ) {
    const sockets = this.sockets;
    this.answered = function (this: WebSocket) {
      const tracked = sockets.get(this);
      if (tracked) tracked.unanswered = 0;
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

  /** Watches `socket`; `onDead` runs once if it stops answering pings. */
  track(socket: WebSocket, onDead: () => void): void {
    if (this.intervalMs <= 0) return;
    const tracked: Tracked = { unanswered: 0, onDead };
    this.sockets.set(socket, tracked);
    socket.on('pong', this.answered);
    socket.once('close', this.untrack);
    this.ping(socket, tracked);
  }

  private tick(): void {
    for (const [socket, tracked] of this.sockets) {
      try {
        if (tracked.unanswered >= 2) {
          this.sockets.delete(socket);
          tracked.onDead();
        } else {
          this.ping(socket, tracked);
        }
      } catch (error) {
        // A timer callback that throws would take the whole host down.
        this.reportBug(error);
      }
    }
  }

  private ping(socket: WebSocket, tracked: Tracked): void {
    tracked.unanswered++;
    socket.ping();
  }
}
