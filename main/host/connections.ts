/**
 * Every accepted socket of one host: the connection cap, mode dispatch, and closing them all
 * (shutdown, store failure) within a bounded time.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../protocol/wire/codes';
import { SUBPROTOCOL, SUBPROTOCOL_V2 } from '../../protocol/wire/limits';
import { Channel, CLOSE_GRACE_MS, formatV1Error } from './channel';
import type { HostContext } from './context';
import { PlainConnection } from './plain-connection';
import { transportOf } from './security/transport-policy';
import { queryOf } from './upgrade';
import { V1Connection } from './v1-connection';
import { V2Connection } from './v2-connection';

export interface ConnectionsOptions {
  allowPlain: boolean;
}

export class Connections {
  /** Every socket until it has closed, with the channel that closes it. */
  private readonly sockets = new Map<WebSocket, Channel>();
  /** Sockets being turned away: they are tracked until closed but are not members. */
  private readonly refused = new Set<WebSocket>();
  /** Sockets that count towards maxConnections (refused ones do not). */
  private members = 0;
  private emptyWaiters: (() => void)[] = [];
  /** ws calls 'close' listeners with the socket as `this`: one function serves every socket. */
  private readonly forget: (this: WebSocket) => void;

  constructor(
    private readonly context: HostContext,
    private readonly options: ConnectionsOptions,
  ) {
    const closed = (socket: WebSocket) => this.closed(socket);
    this.forget = function (this: WebSocket) {
      closed(this);
    };
  }

  /** Runs inside ws's upgrade callback: a bug here must cost one socket, not the host. */
  accept(socket: WebSocket, request: IncomingMessage): void {
    try {
      this.admit(socket, request);
    } catch (error) {
      this.context.reportBug(error);
      socket.terminate();
    }
  }

  /** Ends a socket without a close frame (a peer that stopped answering pings). */
  terminate(socket: WebSocket): void {
    const channel = this.sockets.get(socket);
    if (channel) channel.terminate();
    else socket.terminate();
  }

  private admit(socket: WebSocket, request: IncomingMessage): void {
    // ws reports protocol violations (1009, 1007, ...) as 'error' and then closes by itself.
    socket.on('error', ignoreError);
    // ws emits 'close' once: `on` spares the wrapper `once` would allocate for every socket.
    socket.on('close', this.forget);
    const { limits, heartbeat } = this.context;

    if (this.members >= limits.maxConnections) {
      this.refuse(socket, CloseCode.tryAgainLater, 'host is full');
      return;
    }
    const mode = socket.protocol;
    const plain = mode !== SUBPROTOCOL && mode !== SUBPROTOCOL_V2;
    if (plain && !this.options.allowPlain) {
      const offer = `offer the ${SUBPROTOCOL_V2} or ${SUBPROTOCOL} subprotocol`;
      this.refuse(socket, CloseCode.policyViolation, offer);
      return;
    }
    const transport = transportOf(request.socket as Socket);
    const connection =
      mode === SUBPROTOCOL_V2
        ? new V2Connection(this.context, socket, transport)
        : mode === SUBPROTOCOL
          ? new V1Connection(this.context, socket, transport)
          : new PlainConnection(this.context, socket, queryOf(request.url), transport);
    // Counted once tracked: a connection whose set-up threw is neither, and is not uncounted.
    this.sockets.set(socket, connection.channel);
    this.members++;
    heartbeat.track(socket);
  }

  /** Starts closing every socket with `code`. */
  closeAll(code: number, reason: string): void {
    for (const channel of this.sockets.values()) channel.close(code, reason);
  }

  /** Resolves when every socket has closed; stragglers are destroyed after `timeoutMs`. */
  async whenAllClosed(timeoutMs = CLOSE_GRACE_MS * 2): Promise<void> {
    if (this.sockets.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.emptyWaiters.push(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    for (const socket of this.sockets.keys()) socket.terminate();
  }

  private refuse(socket: WebSocket, code: number, reason: string): void {
    const channel = new Channel(socket, {
      maxBacklogBytes: this.context.limits.maxBacklogBytes,
      formatError: formatV1Error,
    });
    this.refused.add(socket);
    this.sockets.set(socket, channel);
    channel.close(code, reason);
  }

  private closed(socket: WebSocket): void {
    if (!this.refused.delete(socket) && this.sockets.has(socket)) this.members--;
    this.sockets.delete(socket);
    if (this.sockets.size > 0) return;
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function ignoreError(): void {}
