/**
 * Every accepted socket of one host: the connection cap, mode dispatch, and closing them all
 * (shutdown, store failure) within a bounded time.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../protocol/codes';
import { SUBPROTOCOL } from '../../protocol/limits';
import { Channel, CLOSE_GRACE_MS, formatV1Error } from './channel';
import type { HostContext } from './context';
import { PlainConnection } from './plain-connection';
import { transportOf } from './security/transport-policy';
import { queryOf } from './upgrade';
import { V1Connection } from './v1-connection';

export interface ConnectionsOptions {
  allowPlain: boolean;
}

export class Connections {
  /** Every socket until it has closed, with the channel that closes it. */
  private readonly sockets = new Map<WebSocket, Channel>();
  /** Sockets that count towards maxConnections (refused ones do not). */
  private members = 0;
  private emptyWaiters: (() => void)[] = [];

  constructor(
    private readonly context: HostContext,
    private readonly options: ConnectionsOptions,
  ) {}

  /** Runs inside ws's upgrade callback: a bug here must cost one socket, not the host. */
  accept(socket: WebSocket, request: IncomingMessage): void {
    try {
      this.admit(socket, request);
    } catch (error) {
      this.context.reportBug(error);
      socket.terminate();
    }
  }

  private admit(socket: WebSocket, request: IncomingMessage): void {
    // ws reports protocol violations (1009, 1007, ...) as 'error' and then closes by itself.
    socket.on('error', () => {});
    socket.once('close', () => this.forget(socket));
    const { limits, heartbeat } = this.context;

    if (this.members >= limits.maxConnections) {
      this.refuse(socket, CloseCode.tryAgainLater, 'host is full');
      return;
    }
    const v1 = socket.protocol === SUBPROTOCOL;
    if (!v1 && !this.options.allowPlain) {
      this.refuse(socket, CloseCode.policyViolation, `offer the ${SUBPROTOCOL} subprotocol`);
      return;
    }
    this.members++;
    socket.once('close', () => this.members--);
    const transport = transportOf(request.socket as Socket);
    const connection = v1
      ? new V1Connection(this.context, socket, transport)
      : new PlainConnection(this.context, socket, queryOf(request.url), transport);
    this.sockets.set(socket, connection.channel);
    heartbeat.track(socket, () => connection.channel.terminate());
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
    this.sockets.set(socket, channel);
    channel.close(code, reason);
  }

  private forget(socket: WebSocket): void {
    this.sockets.delete(socket);
    if (this.sockets.size > 0) return;
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
