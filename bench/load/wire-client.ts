/**
 * A minimal WebSocket client on a raw TCP socket, for the load generator: it does the upgrade
 * handshake itself, then parses frames in place from each read. Every read of every client lands
 * in one shared buffer (`net`'s `onread`), so a read allocates nothing: no stream chunk, no
 * per-frame Buffer, no event per message. Frames are handed to one handler object shared by all
 * clients; what they carry is only valid during the call.
 */
import net from 'node:net';
import { closeFrame, pongFrame, textFrame } from './client-frames';
import { CLOSE_NO_STATUS, FrameParser, type FrameError, type FrameSink } from './frame-parser';
import {
  checkUpgradeResponse,
  MAX_RESPONSE_HEAD_BYTES,
  responseHeadEnd,
  upgradeRequest,
  UpgradeError,
  type UpgradeAttempt,
} from './upgrade';

/** The size of one socket read (what Node's own streams use). */
const READ_BUFFER_BYTES = 64 * 1024;
/** Reads run one at a time on the event loop, so every client can share one buffer. */
const sharedReadBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
const CLOSE_NORMAL = 1000;

export interface WireClientOptions {
  host: string;
  port: number;
  /** Path and query of the upgrade request. */
  path: string;
  protocols: readonly string[];
  /** Largest message accepted from the server. */
  maxMessageBytes: number;
}

export const DEFAULT_WIRE_CLIENT_OPTIONS: Omit<WireClientOptions, 'port'> = {
  host: '127.0.0.1',
  path: '/',
  protocols: [],
  maxMessageBytes: 100 * 1024 * 1024,
};

/** One object serves every client (no closures per client); `context` tells them apart. */
export interface WireClientHandler<Context> {
  /** The upgrade succeeded: frames can be sent. */
  opened(client: WireClient<Context>): void;
  /** Once per socket read, before its frames: one clock read serves every frame in it. */
  arrived(nowMs: number): void;
  /** A text or binary message; `data` is only valid during the call. */
  message(client: WireClient<Context>, data: Buffer, start: number, end: number): void;
  /** Called exactly once per client, when its socket is gone (whether or not it ever opened). */
  ended(client: WireClient<Context>, reason: string): void;
}

type State = 'upgrading' | 'open' | 'closing' | 'closed';

export class WireClient<Context = undefined> implements FrameSink {
  private state: State = 'upgrading';
  private readonly socket: net.Socket;
  private readonly attempt: UpgradeAttempt;
  private readonly parser: FrameParser;
  private readonly protocols: readonly string[];
  /** Bytes of the upgrade response received so far. */
  private head: Buffer = Buffer.alloc(0);
  private endReason: string | undefined;
  /** The subprotocol the server agreed to, once open. */
  protocol: string | undefined;

  constructor(
    options: Partial<WireClientOptions> & Pick<WireClientOptions, 'port'>,
    private readonly handler: WireClientHandler<Context>,
    /** The owner's per-client state. */
    readonly context: Context,
  ) {
    const settings = { ...DEFAULT_WIRE_CLIENT_OPTIONS, ...options };
    this.protocols = settings.protocols;
    this.parser = new FrameParser(this, { maxMessageBytes: settings.maxMessageBytes });
    this.attempt = upgradeRequest(settings);
    this.socket = net.connect({
      host: settings.host,
      port: settings.port,
      noDelay: true,
      onread: { buffer: sharedReadBuffer, callback: (bytes) => this.onRead(bytes) },
    });
    this.socket.on('connect', () => this.socket.write(this.attempt.request));
    this.socket.on('error', (error) => this.end(error.message));
    this.socket.on('end', () => this.end('the server closed the connection'));
    this.socket.on('close', () => {
      this.state = 'closed';
      this.handler.ended(this, this.endReason ?? 'the connection closed');
    });
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Sends a prepared frame (see client-frames.ts); ignored unless open. */
  sendFrame(frame: Buffer): void {
    if (this.state === 'open') this.socket.write(frame);
  }

  sendText(text: string): void {
    if (this.state === 'open') this.socket.write(textFrame(text));
  }

  /** Starts the closing handshake; the socket ends once the server answers or goes away. */
  close(code = CLOSE_NORMAL): void {
    if (this.state !== 'open') return this.terminate();
    this.state = 'closing';
    this.endReason ??= 'closed by the client';
    this.socket.end(closeFrame(code));
  }

  /** Drops the connection at once, no closing handshake. */
  terminate(): void {
    this.endReason ??= 'terminated by the client';
    this.socket.destroy();
  }

  // FrameSink: called by the parser during onRead.
  onMessage(data: Buffer, start: number, end: number): void {
    if (this.state === 'open') this.handler.message(this, data, start, end);
  }

  onPing(data: Buffer, start: number, end: number): void {
    this.sendFrame(pongFrame(data, start, end));
  }

  onClose(code: number): void {
    if (this.state === 'open') {
      // Echo the server's code, as RFC 6455 section 5.5.1 asks; "no status" is answered with 1000.
      this.endReason ??= `closed by the server with ${code}`;
      this.state = 'closing';
      this.socket.end(closeFrame(code === CLOSE_NO_STATUS ? CLOSE_NORMAL : code));
    } else this.socket.destroy();
  }

  onFrameError(error: FrameError): void {
    this.end(error.message);
  }

  private onRead(bytes: number): boolean {
    if (bytes <= 0) return true;
    this.handler.arrived(performance.now());
    if (this.state === 'upgrading') this.readHead(bytes);
    else this.parser.push(sharedReadBuffer, 0, bytes);
    return true;
  }

  private readHead(bytes: number): void {
    this.head = Buffer.concat([this.head, sharedReadBuffer.subarray(0, bytes)]);
    const headEnd = responseHeadEnd(this.head);
    if (headEnd < 0) {
      if (this.head.length > MAX_RESPONSE_HEAD_BYTES) {
        this.end(
          new UpgradeError('head_too_large', `no end of headers in ${this.head.length} bytes`)
            .message,
        );
      }
      return;
    }
    try {
      this.protocol = checkUpgradeResponse(
        this.head.subarray(0, headEnd),
        this.attempt,
        this.protocols,
      );
    } catch (error) {
      this.end(error instanceof Error ? error.message : String(error));
      return;
    }
    const rest = this.head.subarray(headEnd);
    this.head = Buffer.alloc(0);
    this.state = 'open';
    this.handler.opened(this);
    // Frames the server sent right behind its 101 (a greeting) came in the same read.
    if (rest.length > 0 && this.state === 'open') this.parser.push(rest);
  }

  /** Ends the connection because of `reason` (the first reason given is the one reported). */
  private end(reason: string): void {
    this.endReason ??= reason;
    this.socket.destroy();
  }
}
