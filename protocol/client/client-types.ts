/**
 * The public face of the client session (protocol/client/client-session.ts): one implementation of the
 * protocol's client side (version 2, subprotocol `parley.v2`) shared by the terminal client, the
 * desktop app's main process and the browser guest page. It takes the WebSocket constructor as a
 * parameter.
 */
import type { ConversationView } from '../bridge';
import type { RoomInfo } from '../wire/frames';
import type { Entry, PeerV2 } from '../wire/entries';
import type { WelcomeV2Frame } from '../wire/frames-v2';
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
  /** Ids of the uploaded files it carries. */
  files?: string[];
  state: 'pending' | 'failed';
  /** Why it failed (a protocol error code), when state is 'failed'. */
  error?: ErrorCode;
}

/**
 * An edit, deletion or reaction this client posted that the host has not acknowledged (pending)
 * or refused (failed): the same outbox as messages, so each is applied exactly once.
 */
export type OutgoingChange = (
  | { kind: 'edit'; id: string; conv: string; target: number; text: string }
  | { kind: 'delete'; id: string; conv: string; target: number }
  | { kind: 'react'; id: string; conv: string; target: number; emoji: string; on: boolean }
) & {
  state: 'pending' | 'failed';
  /** Why it failed (a protocol error code, e.g. `not_allowed`), when state is 'failed'. */
  error?: ErrorCode;
};

/** Why a session ended for good (no further reconnects). */
export type EndReason =
  | { code: ErrorCode; message: string }
  | { code: 'unreachable'; message: string }
  | { code: 'closed'; message: string };

/** One post as its frame carries it (`say`, `edit`, `delete` or `react`). */
export type Post =
  | {
      type: 'say';
      id: string;
      conv: string;
      text: string;
      replyTo?: number | undefined;
      /** Ids of finished uploads. */
      files?: string[] | undefined;
    }
  | { type: 'edit'; id: string; conv: string; target: number; text: string }
  | { type: 'delete'; id: string; conv: string; target: number }
  | { type: 'react'; id: string; conv: string; target: number; emoji: string; on: boolean };

export interface SessionSnapshot {
  /** The host's resume token: it gives a later session this peer back. */
  token: string;
  /** Per conversation, the newest seq delivered: a resume continues after it. */
  cursors: Record<string, number>;
  /** The room the token and cursors belong to. */
  roomId: string;
  /**
   * Posts not acknowledged yet, with their ids: a session resumed from this snapshot sends them
   * again, and the host applies each once whichever copy it got first.
   */
  outbox?: Post[] | undefined;
}

export interface ClientSessionEvents {
  state: [state: ConnectionState];
  /**
   * Every (re)connection's welcome. Each conversation's catchup follows it as `entry` events (the
   * welcome's conversations list is already in `conversations`).
   */
  welcome: [welcome: WelcomeV2Frame];
  /**
   * Every entry of every conversation this client reads, exactly once and in seq order per
   * conversation (catchup, live and the sender's own alike; older pages come from loadOlder).
   */
  entry: [entry: Entry];
  /**
   * The catchup of every conversation this client is a member of has arrived since the last
   * welcome: from here on, unread counts include what happened while it was away.
   */
  caughtUp: [];
  ack: [ack: { id: string; conv: string; seq: number }];
  /** The people this client knows of, after every change (joined, left, renamed, a page loaded). */
  peers: [peers: PeerV2[]];
  joined: [peer: PeerV2];
  left: [peer: PeerV2];
  /** A connected peer (perhaps this one, from another device) changed its name. */
  renamed: [peer: PeerV2];
  typing: [typing: { conv: string; peer: PeerV2 }];
  /** Every conversation's view, after every change (new entries, read markers, membership...). */
  conversations: [conversations: ConversationView[]];
  /**
   * The outbox changed: messages (and edits, deletions, reactions in `changes`) not yet
   * acknowledged (pending) or given up on (failed).
   */
  outbox: [outbox: OutgoingMessage[], changes: OutgoingChange[]];
  /**
   * An `error` frame that kept the connection open and answered none of the session's requests
   * (those reject their own promise instead).
   */
  error: [error: { code: string; message: string; ref?: string }];
  /** A resume reached a room with another id: a different room, not merged. */
  roomChanged: [change: { previous: RoomInfo; current: RoomInfo }];
  /** Entries of `conv` were skipped (a long absence, or a hole the host never filled). */
  gap: [info: { conv: string }];
  ended: [reason: EndReason];
}

export interface ClientSessionOptions {
  url: string;
  name: string;
  password?: string;
  /**
   * What to send as `hello.identity` (43-86 base64url characters): the key for this room derived
   * from the device secret (identity-key.ts), or a browser guest's secret. Without it the host
   * makes this an ephemeral peer, which cannot take part in direct conversations.
   */
  identity?: string;
  WebSocket: WebSocketConstructor;
  /** Reconnect after a lost connection. Default true. */
  reconnect?: boolean;
  /** Host heartbeat interval; the client calls the host dead after two of these without traffic. */
  heartbeatIntervalMs?: number;
  /** Reconnect backoff: first delay and cap. Defaults 500 ms and 15 s. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Longest wait for the host to answer a request (join, open a direct conversation...). Default 20 s. */
  requestTimeoutMs?: number;
  /** Resume a session from an earlier process (desktop app restart, reloaded page). */
  resume?: SessionSnapshot;
  /** Makes the ids of messages and other posts; default a random UUID. */
  createId?: () => string;
  /** Where this client keeps which conversations the person muted. Default: this session only. */
  mutes?: MuteStore;
}

/**
 * Muted conversations, a setting of this client per room (not a protocol feature): the desktop
 * keeps them in a file beside its settings, the browser guest page in localStorage.
 */
export interface MuteStore {
  /** The ids of the conversations muted in room `roomId`. */
  muted(roomId: string): readonly string[];
  /** Keeps the room's muted conversations (the whole list). */
  save(roomId: string, muted: readonly string[]): void | Promise<void>;
}
