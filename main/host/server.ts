/**
 * The room host: one port serving /api/info, the guest page and the /ws socket (both modes) over
 * TLS and cleartext alike (one-port.ts), behind the security checks (security/), wired to one
 * room and one store (RoomStore).
 */
import { X509Certificate } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { WebSocketServer } from 'ws';
import { definedFields } from '../../protocol/defined-fields';
import { CloseCode } from '../../protocol/wire/codes';
import { createClientFrameSchema, type Peer, type RoomInfo } from '../../protocol/wire/frames';
import { createClientFrameV2Schema } from '../../protocol/wire/frames-v2';
import { PROTOCOL_VERSION_2, PROTOCOL_VERSIONS, type Limits } from '../../protocol/wire/limits';
import { defaultHostnames } from '../tls/certificate';
import { CLOSE_GRACE_MS } from './channel';
import { Connections } from './connections';
import type { HostContext } from './context';
import { openFiles, type FilesService } from './files/files-service';
import { Heartbeat } from './heartbeat';
import { resolveHostOptions, type ResolvedHostOptions } from './host-options';
import { createRequestListener, type ApiInfo } from './http-routes';
import { OnePortServer } from './one-port';
import { PasswordGate } from './password-gate';
import { Room } from './room';
import { createAuthThrottle } from './security/auth-throttle';
import { createRequestGuard, type RequestGuard } from './security/request-guard';
import { createTransportPolicy } from './security/transport-policy';
import { SessionPruner } from './session-pruner';
import { createStaticFiles } from './static-files';
import { createMemoryStore } from './store/memory-store';
import type { RoomStore } from './store/room-store';
import { openScaleOut, type ScaleOutRoom } from './scale-out/scale-out';
import type { HostEvents, HostOptions, ParleyHost, SharedHostInfo } from './types';
import { chooseSubprotocol, createUpgradeListener } from './upgrade';

/** Sockets accepted beyond the room's own cap, so the over-cap ones can hear 1013 and why. */
const CONNECTION_HEADROOM = 50;

/** Starts a host; rejects when the options are invalid or the port cannot be bound. */
export async function startHost(options: HostOptions = {}): Promise<ParleyHost> {
  const settings = resolveHostOptions(options);
  if (settings.redis !== undefined) return startSharedHost(settings, settings.redis);
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

/** One of several hosts of a room kept in Redis (docs/scale-out.md); its replica is its own. */
async function startSharedHost(settings: ResolvedHostOptions, url: string): Promise<ParleyHost> {
  if (settings.store !== undefined) {
    throw Object.assign(
      new Error('Invalid host option store: a host with redis opens its replica with openReplica'),
      { code: 'invalid_options' },
    );
  }
  const { leaseMs, checkEveryMs, commandTimeoutMs, streamLength } = settings.scaleOutTuning ?? {};
  const openReplica =
    settings.openReplica ?? ((room) => Promise.resolve(createMemoryStore(room.name, room.id)));
  const scaleOut = await openScaleOut({
    url,
    roomName: settings.roomName,
    openReplica,
    presence: definedFields({ leaseMs, checkEveryMs }),
    ...definedFields({ roomId: settings.roomId, commandTimeoutMs, streamLength }),
  });
  let host: RoomHost | undefined;
  try {
    const persistence = await scaleOut.persistence();
    host = new RoomHost(settings, scaleOut.store, { scaleOut, persistence });
    await scaleOut.start();
    await host.listen();
  } catch (error) {
    if (host) await host.close().catch(() => undefined);
    else {
      await scaleOut.close().catch(() => undefined);
      await scaleOut.store.close().catch(() => undefined);
    }
    throw error;
  }
  return host;
}

class RoomHost extends EventEmitter implements ParleyHost {
  readonly fingerprint256: string | undefined;
  private readonly server: OnePortServer;
  private readonly sockets: WebSocketServer;
  private readonly roomState: Room;
  private readonly connections: Connections;
  private readonly heartbeat: Heartbeat;
  private readonly pruner: SessionPruner;
  /** Opened by listen(), before the first request can arrive. */
  private files: FilesService | undefined;
  /** The checks of every request and handshake; uploads ask it about their Origin too. */
  private readonly guard: RequestGuard;
  private accepting = true;
  private closing: Promise<void> | undefined;

  readonly shared: SharedHostInfo | undefined;
  private readonly scaleOut: ScaleOutRoom | undefined;

  constructor(
    private readonly settings: ResolvedHostOptions,
    private readonly store: RoomStore,
    shared?: { scaleOut: ScaleOutRoom; persistence: SharedHostInfo['persistence'] },
  ) {
    super();
    this.scaleOut = shared?.scaleOut;
    this.shared = shared && { hostId: shared.scaleOut.hostId, persistence: shared.persistence };
    const { limits } = settings;
    const reportBug = (error: unknown) => this.reportBug(error);
    this.pruner = new SessionPruner(store, settings.sessionRetentionDays, reportBug);
    this.heartbeat = new Heartbeat(limits.heartbeatIntervalMs, reportBug, (socket) =>
      this.connections.terminate(socket),
    );
    this.roomState = new Room(
      store,
      limits,
      settings.maxChannels,
      {
        joined: (peer) => this.notify('joined', peer),
        left: (peer) => this.notify('left', peer),
        failed: (error) => this.storeFailed(error),
        internalError: reportBug,
      },
      this.scaleOut,
    );
    const transport = createTransportPolicy(settings.allowCleartext);
    const context: HostContext = {
      room: this.roomState,
      store,
      limits,
      password: settings.password,
      passwords: new PasswordGate({
        password: settings.password,
        // One per host, shared by both modes: switching mode gains a guesser nothing.
        throttle: createAuthThrottle(settings.authThrottle),
        transport,
      }),
      frameSchema: createClientFrameSchema(limits),
      frameSchemaV2: createClientFrameV2Schema(limits),
      heartbeat: this.heartbeat,
      reportBug,
    };
    this.connections = new Connections(context, { allowPlain: settings.allowPlain });
    this.sockets = new WebSocketServer({ noServer: true, ...socketOptions(limits) });
    this.guard = createRequestGuard({
      transport,
      allowedOrigins: settings.allowedOrigins,
      hostnames: defaultHostnames(),
    });
    this.fingerprint256 = settings.tls && new X509Certificate(settings.tls.cert).fingerprint256;
    this.server = new OnePortServer({
      tls: settings.tls,
      timeouts: settings.serverTimeouts,
      maxConnectionsPerAddress: settings.maxConnectionsPerAddress,
      maxConnections: limits.maxConnections + CONNECTION_HEADROOM,
      onRequest: createRequestListener({
        info: () => this.info(),
        staticFiles: settings.guestPage ? createStaticFiles(settings.staticDir) : undefined,
        files: {
          handles: (pathname) => this.files?.handles(pathname) === true,
          serve: (request, response, pathname) => this.files!.serve(request, response, pathname),
        },
        check: (request) => this.guard.request(request),
        reportBug,
      }),
      onUpgrade: createUpgradeListener({
        server: this.sockets,
        accepting: () => this.accepting,
        check: (request) => this.guard.upgrade(request),
        onSocket: (socket, request) => this.connections.accept(socket, request),
      }),
      onError: reportBug,
    });
  }

  get port(): number {
    return this.server.port;
  }

  get room(): RoomInfo {
    return this.roomState.info;
  }

  peers(): Peer[] {
    return this.roomState.peers().map((peer) => ({ ...peer }));
  }

  get peerCount(): number {
    return this.roomState.size;
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
    this.files = await this.openFiles();
    try {
      await this.server.listen(port, host);
    } catch (error) {
      await this.files.close();
      throw listenError(error as NodeJS.ErrnoException, port, host);
    }
    this.heartbeat.start();
    this.pruner.start();
  }

  private openFiles(): Promise<FilesService> {
    const { settings } = this;
    return openFiles(
      {
        dir: settings.filesDir,
        uploadsDir: settings.uploadsDir,
        maxFileSize: settings.maxFileSize,
        maxRoomBytes: settings.maxRoomFiles,
        maxUploads: settings.maxUploads,
        idleTimeoutMs: settings.serverTimeouts.requestTimeout,
        cleanup: settings.fileCleanup,
      },
      {
        store: this.store,
        canPost: (peerId, conv) => {
          const conversation = this.roomState.conversations.get(conv);
          if (!conversation?.readableBy(peerId)) return 'unknown';
          return conversation.hasMember(peerId) ? 'ok' : 'not_member';
        },
        originAllowed: (request) => this.guard.originAllowed(request),
        reportBug: (error) => this.reportBug(error),
      },
    );
  }

  private info(): ApiInfo {
    return {
      app: 'parley',
      protocol: PROTOCOL_VERSION_2,
      protocols: PROTOCOL_VERSIONS,
      room: this.roomState.info,
      peers: this.roomState.size,
      password: this.settings.password !== undefined,
    };
  }

  /** The seq of a refused append is burnt: no later message can be trusted to be in order. */
  private storeFailed(error: unknown): void {
    this.accepting = false;
    this.pruner.stop();
    this.roomState.beginShutdown();
    this.connections.closeAll(CloseCode.internalError, 'history store failed');
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
    // Stop listening first; this resolves once every connection has ended.
    const stopped = this.server.close();
    this.heartbeat.stop();
    this.pruner.stop();
    this.roomState.beginShutdown();
    this.connections.closeAll(CloseCode.goingAway, 'host is shutting down');
    await this.connections.whenAllClosed(CLOSE_GRACE_MS * 2);
    await this.roomState.settled();
    await this.files?.close().catch((error: unknown) => this.reportBug(error));
    try {
      await this.scaleOut?.close();
    } catch (error) {
      this.reportBug(error);
    }
    try {
      await this.store.close();
    } catch (error) {
      this.storeFailed(error);
    }
    this.sockets.close();
    this.server.destroyAll();
    await stopped;
  }
}

/**
 * ws's options, each set on purpose rather than left to the library's defaults, which suit
 * general use more than a room open to a hostile network.
 */
function socketOptions(limits: Limits) {
  return {
    clientTracking: false,
    handleProtocols: chooseSubprotocol,
    perMessageDeflate: deflateOptions(limits),
    // Messages over this close with 1009; ws's default (100 MiB) would be buffered in full.
    maxPayload: limits.maxPayloadBytes,
    // A chat message needs no fragments; ws allows 16 Ki of them, each a Buffer kept until the
    // message completes. 1 Ki still averages 64 bytes per fragment at the largest payload.
    maxFragments: 1024,
    // Chunks of a frame still incomplete. A frame sent a byte per TCP segment would otherwise be
    // kept as up to 256 Ki buffers; real clients send a 64 KiB frame in far fewer than 1 Ki.
    maxBufferedChunks: 1024,
    // Text frames that are not UTF-8 close with 1007, as docs/protocol.md says.
    skipUTF8Validation: false,
    // Several messages of one read are handled in one go: the read is at most 64 KiB, so the
    // turn is bounded, and yielding between each would slow every room for no one's benefit.
    allowSynchronousEvents: true,
    autoPong: true,
  };
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
