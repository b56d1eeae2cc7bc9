/**
 * The public face of the client session (protocol/client/client-session.ts): one implementation of the
 * protocol's client side shared by the terminal client, the desktop app's main process and the
 * browser guest page. It takes the WebSocket constructor as a parameter.
 */
import type { ChatMessage, Peer, RoomInfo, WelcomeFrame } from '../wire/frames';
import type { ErrorCode } from '../wire/codes';

// Method-derived function types are bivariant in their parameter, so both `ws`'s handlers
// (typed with its own event classes) and the DOM's fit without casts.
type EventHandler<E> = { bivariant(event: E): void }['bivariant'];

/** The subset of the WHATWG WebSocket that both `ws` and browsers provide. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  onopen: EventHandler<unknown> | null;
  onmessage: EventHandler<{ data: unknown }> | null;
  onclose: EventHandler<{ code: number; reason: string }> | null;
  onerror: EventHandler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface OutgoingMessage {
  /** Client-chosen say id; the host's broadcast `message.id` carries the same value. */
  id: string;
  /** The conversation it goes to. */
  conv: string;
  text: string;
  /** The seq (in the same conversation) it answers. */
  replyTo?: number;
  state: 'pending' | 'failed';
  /** Why it failed (a protocol error code), when state is 'failed'. */
  error?: ErrorCode;
}

/** Why a session ended for good (no further reconnects). */
export type EndReason =
  | { code: ErrorCode; message: string }
  | { code: 'unreachable'; message: string }
  | { code: 'closed'; message: string };

export interface SessionSnapshot {
  /** A token, last seq and room id that let a later session resume this one. */
  token: string;
  lastSeq: number;
  roomId: string;
}

export interface ClientSessionEvents {
  state: [state: ConnectionState];
  /** Every (re)connection's welcome, after history has been delivered as `message` events. */
  welcome: [welcome: WelcomeFrame];
  /** Every message exactly once, in seq order, including history and the sender's own. */
  message: [message: ChatMessage];
  ack: [ack: { id: string; seq: number }];
  peers: [peers: Peer[]];
  joined: [peer: Peer];
  left: [peer: Peer];
  typing: [peer: Peer];
  /** The outbox changed: messages not yet acknowledged (pending) or given up on (failed). */
  outbox: [outbox: OutgoingMessage[]];
  /** An `error` frame that kept the connection open. */
  error: [error: { code: string; message: string; ref?: string }];
  /** A resume reached a room with another id: a different room, not merged. */
  roomChanged: [change: { previous: RoomInfo; current: RoomInfo }];
  /** History was cut on resume (welcome.gap). */
  gap: [info: { lastSeq: number }];
  ended: [reason: EndReason];
}

export interface ClientSessionOptions {
  url: string;
  name: string;
  password?: string;
  WebSocket: WebSocketConstructor;
  /** Reconnect after a lost connection. Default true. */
  reconnect?: boolean;
  /** Host heartbeat interval; the client calls the host dead after two of these without traffic. */
  heartbeatIntervalMs?: number;
  /** Reconnect backoff: first delay and cap. Defaults 500 ms and 15 s. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Resume a session from an earlier process (desktop app restart). */
  resume?: SessionSnapshot;
  /** Makes say ids; default a random UUID. */
  createId?: () => string;
}
