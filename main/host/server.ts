/**
 * The room host: one node:http server on one port serving /api/info, the guest page and the /ws
 * socket (both modes), wired to one room and one history store.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { CloseCode } from '../../protocol/codes';
import { createClientFrameSchema, type Peer, type RoomInfo } from '../../protocol/frames';
import { PROTOCOL_VERSION, type Limits } from '../../protocol/limits';
import { CLOSE_GRACE_MS } from './channel';
import { Connections } from './connections';
import type { HostContext } from './context';
import { Heartbeat } from './heartbeat';
import { resolveHostOptions, type ResolvedHostOptions } from './host-options';
import { createRequestListener, type ApiInfo } from './http-routes';
import { Room } from './room';
import { createStaticFiles } from './static-files';
import { createMemoryStore } from './store/memory-store';
import type { MessageStore } from './store/message-store';
import type { HostEvents, HostOptions, ParleyHost } from './types';
import { chooseSubprotocol, createUpgradeListener } from './upgrade';

/** 1011 (internal error): the host can no longer guarantee order, so nobody stays connected. */
const STORE_FAILED_CLOSE = 1011;

/** Starts a host; rejects when the options are invalid or the port cannot be bound. */
export async function startHost(options: HostOptions = {}): Promise<ParleyHost> {
  const settings = resolveHostOptions(options);
  const ownStore = settings.store === undefined;
  const store = settings.store ?? createMemoryStore(settings.roomName);
  const host = new RoomHost(settings, store);
  try {
    await host.listen();
  } catch (error) {
    // A store the caller passed in stays the caller's to close; ours we close.
    if (ownStore) await store.close().catch(() => undefined);
    throw error;
  }
  return host;
}

class RoomHost extends EventEmitter implements ParleyHost {
  private readonly server: Server;
  private readonly sockets: WebSocketServer;
  private readonly roomState: Room;
  private readonly connections: Connections;
  private readonly heartbeat: Heartbeat;
  private accepting = true;
  private closing: Promise<void> | undefined;
  private boundPort = 0;

  constructor(
    private readonly settings: ResolvedHostOptions,
    private readonly store: MessageStore,
  ) {
    super();
    const { limits } = settings;
    const reportBug = (error: unknown) => this.reportBug(error);
    this.heartbeat = new Heartbeat(limits.heartbeatIntervalMs, reportBug);
    this.roomState = new Room(store, limits, {
      joined: (peer) => this.notify('joined', peer),
      left: (peer) => this.notify('left', peer),
      failed: (error) => this.storeFailed(error),
      internalError: reportBug,
    });
    const context: HostContext = {
      room: this.roomState,
      store,
      limits,
      password: settings.password,
      frameSchema: createClientFrameSchema(limits),
      heartbeat: this.heartbeat,
      reportBug,
    };
    this.connections = new Connections(context, { allowPlain: settings.allowPlain });
    this.sockets = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: limits.maxPayloadBytes,
      handleProtocols: chooseSubprotocol,
      perMessageDeflate: deflateOptions(limits),
    });
    this.server = createServer(
      createRequestListener({
        info: () => this.info(),
        staticFiles: createStaticFiles(settings.staticDir),
        reportBug,
      }),
    );
    this.server.on(
      'upgrade',
      createUpgradeListener({
        server: this.sockets,
        accepting: () => this.accepting,
        onSocket: (socket, request) => this.connections.accept(socket, request),
      }),
    );
  }

  get port(): number {
    return this.boundPort;
  }

  get room(): RoomInfo {
    return this.roomState.info;
  }

  peers(): Peer[] {
    return this.roomState.peers().map((peer) => ({ ...peer }));
  }

  override on<E extends keyof HostEvents>(
    event: E,
    listener: (...args: HostEvents[E]) => void,
  ): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override off<E extends keyof HostEvents>(
    event: E,
    listener: (...args: HostEvents[E]) => void,
  ): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  async listen(): Promise<void> {
    const { port, host } = this.settings;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.server.on('error', (error) => this.reportBug(error));
    const address = this.server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : port;
    this.heartbeat.start();
  }

  private info(): ApiInfo {
    return {
      app: 'parley',
      protocol: PROTOCOL_VERSION,
      room: this.roomState.info,
      peers: this.roomState.size,
      password: this.settings.password !== undefined,
    };
  }

  /** The seq of a refused append is burnt: no later message can be trusted to be in order. */
  private storeFailed(error: unknown): void {
    this.accepting = false;
    this.roomState.beginShutdown();
    this.connections.closeAll(STORE_FAILED_CLOSE, 'history store failed');
    const failure = error instanceof Error ? error : new Error(String(error));
    if (this.listenerCount('error') > 0) this.notify('error', failure);
    else
      console.error('parley host: the history store failed; every connection was closed', failure);
  }

  /** Emits without letting a throwing listener unwind into the socket code that caused it. */
  private notify<E extends keyof HostEvents>(event: E, ...args: HostEvents[E]): void {
    try {
      this.emit(event, ...args);
    } catch (error) {
      this.reportBug(error);
    }
  }

  private reportBug(error: unknown): void {
    console.error('parley host: internal error (the host carries on)', error);
  }

  private async shutdown(): Promise<void> {
    this.accepting = false;
    // Stop listening first; the callback fires once every connection has ended.
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    this.heartbeat.stop();
    this.roomState.beginShutdown();
    this.connections.closeAll(CloseCode.goingAway, 'host is shutting down');
    await this.connections.whenAllClosed(CLOSE_GRACE_MS * 2);
    await this.roomState.settled();
    try {
      await this.store.close();
    } catch (error) {
      this.storeFailed(error);
    }
    this.sockets.close();
    this.server.closeAllConnections();
    await stopped;
  }
}

function deflateOptions(limits: Limits) {
  return {
    threshold: limits.compressThresholdBytes,
    // Without context takeover every message compresses on its own (no per-socket dictionary).
    serverNoContextTakeover: true,
    clientNoContextTakeover: true,
    // Chat text compresses well at low levels; higher ones cost CPU for every recipient.
    zlibDeflateOptions: { level: 1 },
  };
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  const reason =
    error.code === 'EADDRINUSE'
      ? 'the port is already in use'
      : error.code === 'EACCES'
        ? 'permission denied (ports below 1024 need administrator rights)'
        : error.message;
  return Object.assign(
    new Error(`Cannot listen on port ${port} (${host}): ${reason}`, { cause: error }),
    {
      code: error.code,
    },
  );
}
