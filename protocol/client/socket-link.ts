/**
 * One WebSocket connection of a client session, from opening to its single close report: it
 * offers the parley.v2 subprotocol, turns inbound text into validated host frames (anything else
 * is ignored), enforces a deadline for the welcome, and can be dropped without waiting for a
 * close handshake a dead host would never answer.
 */
import { CloseCode } from '../wire/codes';
import { parseHostFrameV2, type ClientFrameV2, type HostFrameV2 } from '../wire/frames-v2';
import { SUBPROTOCOL_V2 } from '../wire/limits';
import type { WebSocketConstructor, WebSocketLike } from './client-types';

const OPEN = 1;
const CLOSED = 3;
/** What a link that was dropped (not closed by the host) reports: abnormal closure. */
export const ABNORMAL_CLOSE = 1006;
/** How long a graceful close waits for the host to confirm before giving up on it. */
const CLOSE_WAIT_MS = 1_000;

export interface LinkHandlers {
  /** The socket is open: time to say hello. */
  open(): void;
  /** Any inbound data at all, valid or not: the host is alive. */
  activity(): void;
  frame(frame: HostFrameV2): void;
  /** Reported exactly once, whether the host closed, the network failed or the link was dropped. */
  closed(code: number): void;
}

type Terminable = WebSocketLike & { terminate?: () => void };

export class SocketLink {
  readonly #socket: Terminable;
  readonly #handlers: LinkHandlers;
  readonly #handshakeTimer: ReturnType<typeof setTimeout>;
  #finished = false;
  welcomed = false;
  welcomedAt = 0;
  /** The last `error` frame's code: it explains the close that follows a fatal error. */
  lastErrorCode: string | undefined;

  /** Throws when the WebSocket constructor refuses the URL. */
  constructor(
    WebSocket: WebSocketConstructor,
    url: string,
    handshakeMs: number,
    handlers: LinkHandlers,
  ) {
    this.#handlers = handlers;
    this.#socket = new WebSocket(url, SUBPROTOCOL_V2);
    this.#socket.onopen = () => {
      // A host that did not pick parley.v2 (an older one) would not understand our frames.
      if (this.#socket.protocol !== SUBPROTOCOL_V2) this.drop();
      else handlers.open();
    };
    this.#socket.onmessage = (event) => {
      handlers.activity();
      if (typeof event.data !== 'string') return;
      const frame = parseHostFrameV2(event.data);
      if (frame) handlers.frame(frame);
    };
    this.#socket.onclose = (event) => this.#finish(event.code);
    this.#socket.onerror = () => {
      // The close event that follows carries everything a client can act on.
    };
    // Covers a host that accepts TCP but never completes the upgrade or never welcomes.
    this.#handshakeTimer = setTimeout(() => {
      if (!this.welcomed) this.drop();
    }, handshakeMs);
  }

  markWelcomed(): void {
    this.welcomed = true;
    this.welcomedAt = Date.now();
    clearTimeout(this.#handshakeTimer);
  }

  get isOpen(): boolean {
    return !this.#finished && this.#socket.readyState === OPEN;
  }

  send(frame: ClientFrameV2): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(data: string): void {
    if (!this.isOpen) return;
    try {
      this.#socket.send(data);
    } catch {
      // The socket is going away; its close event drives what happens next.
    }
  }

  /** Gives up on the connection now; `terminate` (ws) skips the close handshake. */
  drop(): void {
    if (this.#finished) return;
    detach(this.#socket);
    try {
      if (typeof this.#socket.terminate === 'function') this.#socket.terminate();
      else this.#socket.close();
    } catch {
      // Already closing.
    }
    this.#finish(ABNORMAL_CLOSE);
  }

  /** Leaves normally (1000) without reporting a close; resolves when done or after a short wait. */
  close(): Promise<void> {
    if (this.#finished) return Promise.resolve();
    this.#finished = true;
    clearTimeout(this.#handshakeTimer);
    const socket = this.#socket;
    detach(socket);
    if (socket.readyState === CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // A host that does not answer the close would keep the socket (and a Node process) alive.
        if (typeof socket.terminate === 'function') socket.terminate();
        done();
      }, CLOSE_WAIT_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      socket.onclose = done;
      try {
        socket.close(CloseCode.normal);
      } catch {
        done();
      }
    });
  }

  #finish(code: number): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#handshakeTimer);
    this.#handlers.closed(code);
  }
}

function detach(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  // Never null: `ws` throws an unhandled 'error' event when no listener is left.
  socket.onerror = () => {};
}
