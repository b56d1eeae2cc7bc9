/**
 * The one contract between the UI and whatever runs the room for it. The desktop app implements
 * it in the preload (window.parley, over IPC to the main process); the browser guest page
 * implements it over the browser's WebSocket. Components only ever see a ParleyBridge.
 *
 * The IPC channel names and argument schemas are declared here once; main validates every
 * argument against them and the preload derives its methods from them.
 */
import * as v from 'valibot';
import type { RoomInfo } from './wire/frames';
import type { Entry, PeerV2 } from './wire/entries';
import type { ConnectionState, EndReason, OutgoingMessage } from './client/client-types';
import { fingerprintSchema, type ReadableFingerprint } from './client/fingerprint';

export interface RoomAddress {
  /** What another app or terminal client types to join, e.g. `192.168.1.20:7420`. */
  address: string;
  /** The network interface it belongs to (e.g. `wlan0`), or `loopback`. */
  interfaceName: string;
}

/** A QR code drawn by the main process, so the renderer needs no QR library. */
export interface QrImages {
  /** A complete SVG document (black on white), sharp at any size. */
  svg: string;
  /** A `data:image/png;base64,…` URL, for an <img> or a copy to the clipboard. */
  png: string;
}

/** Everything needed to invite someone by one of the host's addresses. */
export interface RoomInvite extends RoomAddress {
  /** `parley://HOST:PORT/?fp=FINGERPRINT&room=ROOM_ID`: what another Parley app pastes or scans. */
  invite: string;
  /**
   * The browser guest page, for phones and computers without Parley: `https://HOST:PORT/` for a
   * room with a certificate (the invite then carries its fingerprint), `http://` otherwise.
   */
  guestUrl: string;
  inviteQr: QrImages;
  guestQr: QrImages;
}

/**
 * One conversation as this client sees it (protocol/client/conversation-list.ts keeps them), so the
 * desktop (title, badge, tray), the browser guest page and the terminal client count alike.
 */
export interface ConversationView {
  id: string;
  kind: 'channel' | 'direct';
  /** Channels: the name, without `#`. */
  name?: string;
  topic?: string;
  /** Channels: the peer id of the creator, who alone may rename it. */
  creator?: string;
  /** Direct conversations: the other person. */
  peer?: PeerV2;
  /** Channels: joined; direct conversations and `general`: always true. */
  member: boolean;
  lastSeq: number;
  readSeq: number;
  /** Text entries from others with seq > readSeq (those known to this client). */
  unread: number;
  /** One of those unread entries mentions @self.name (linkify's mention rule). */
  mentioned: boolean;
}

export interface RoomSummary {
  room: RoomInfo;
  self: PeerV2;
  /** The people in the room this client knows of (all of them up to 1,000; page with morePeers). */
  peers: PeerV2[];
  /** How many people the room has in all. */
  peerCount: number;
  /** Every channel and this identity's direct conversations, as of this summary. */
  conversations: ConversationView[];
  /** True when this app hosts the room (closing it ends the room for everyone). */
  hosting: boolean;
  /** Addresses others can join by; empty for a guest. */
  addresses: RoomAddress[];
  /** One invite per address, in the order of `addresses` (desktop host only; empty for a guest). */
  invites?: RoomInvite[];
  /**
   * The SHA-256 fingerprint of the room's TLS certificate (hosted, or pinned when joined), to
   * compare aloud: `short` (8 groups of 4 hex digits) and `full` (`AB:CD:…`, as browsers show it).
   */
  fingerprint?: ReadableFingerprint;
}

/** A room found on the LAN by multicast DNS (desktop only). */
export interface DiscoveredRoomInfo {
  roomId: string;
  name: string;
  /** People in the room, as its host last announced. */
  peers: number;
  /** The room needs a password to join. */
  password: boolean;
  /** Where it is: `host:port`, to show (and to join, for a room without TLS). */
  address: string;
  /** SHA-256 fingerprint of the host's TLS certificate, when the room speaks TLS. */
  fingerprint?: string;
  /**
   * `parley://…` with the room id (and the fingerprint of a TLS room): the best thing to pass to
   * `join({address})`; a TLS room cannot be joined by `address` alone. Always set by the desktop.
   */
  invite?: string;
}

export type RoomEvent =
  | { type: 'state'; state: ConnectionState }
  | { type: 'summary'; summary: RoomSummary }
  /** Every entry of every conversation this client reads, exactly once, in seq order per conversation. */
  | { type: 'entry'; entry: Entry }
  /** Every conversation's view, on every change (unread counts, membership, topics, new ones). */
  | { type: 'conversations'; conversations: ConversationView[] }
  | { type: 'outbox'; outbox: OutgoingMessage[] }
  /** The people this client knows of, on every change (including renames). */
  | { type: 'peers'; peers: PeerV2[] }
  | { type: 'joined'; peer: PeerV2 }
  | { type: 'left'; peer: PeerV2 }
  | { type: 'typing'; conv: string; peer: PeerV2 }
  | { type: 'error'; code: string; message: string }
  /** Entries of `conv` were skipped on resume: older ones must be loaded with loadOlder. */
  | { type: 'gap'; conv: string }
  | { type: 'roomChanged'; previous: RoomInfo; current: RoomInfo }
  | { type: 'ended'; reason: EndReason }
  /** Something the person should know that is not an error, e.g. the room is not advertised. */
  | { type: 'notice'; code: string; message: string }
  /**
   * The rooms found on the LAN while discovery is on, sorted by name, the app's own room left
   * out. Sent on every change, and after ~5 s even when nothing was found (an empty list).
   */
  | { type: 'rooms'; rooms: DiscoveredRoomInfo[] }
  /**
   * Desktop only: the app was opened with a `parley://` invite (a link clicked, a QR code
   * scanned on this machine); the start screen puts it in the join form. Sent when the start
   * screen shows, so an invite opened during a room waits until the room is left.
   */
  | { type: 'invite'; invite: string }

  /** Main asks the window to show a conversation (e.g. a notification was clicked). */
  | { type: 'openConversation'; conv: string };

export interface Preferences {
  name: string;
  roomName: string;
  address: string;
  port: number;
  /** Desktop only: show system notifications for new messages (mentions always notify). */
  notifications?: boolean;
  /** Desktop only: closing the window while hosting keeps the room running from the tray. */
  keepHostingInTray?: boolean;
}

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));

export const hostRequestSchema = v.object({
  roomName: v.pipe(text(64), v.trim(), v.minLength(1, 'Give the room a name.')),
  name: text(200),
  password: v.optional(text(1024)),
  port,
});
export const joinRequestSchema = v.object({
  address: v.pipe(text(512), v.trim(), v.minLength(1, 'Type the address of the room.')),
  name: text(200),
  password: v.optional(text(1024)),
  /**
   * The certificate to pin, in any spelling people copy (canonical `AB:CD:…` once parsed): set
   * when the person confirmed the fingerprint a `confirm_identity` error showed them.
   */
  fingerprint: v.optional(fingerprintSchema),
});
/** A room id as the known-rooms file keeps it. */
export const roomIdArgSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
/** A conversation id, as the wire bounds it. */
export const convArgSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const seqArg = (min: number) => v.pipe(v.number(), v.safeInteger(), v.minValue(min));
export const sendRequestSchema = v.object({
  conv: convArgSchema,
  text: text(100_000),
  replyTo: v.optional(seqArg(1)),
});
export const loadOlderRequestSchema = v.object({ conv: convArgSchema, before: seqArg(1) });
export const markReadRequestSchema = v.object({ conv: convArgSchema, seq: seqArg(0) });
export const createChannelRequestSchema = v.object({
  name: v.pipe(text(200), v.trim(), v.minLength(1, 'Give the channel a name.')),
  topic: v.optional(text(1000)),
});
export const setTopicRequestSchema = v.object({ conv: convArgSchema, topic: text(1000) });
export const renameChannelRequestSchema = v.object({
  conv: convArgSchema,
  name: v.pipe(text(200), v.trim(), v.minLength(1, 'Give the channel a name.')),
});
export const morePeersRequestSchema = v.object({ after: v.optional(text(200)) });
export const preferencesSchema = v.object({
  name: text(200),
  roomName: text(64),
  address: text(512),
  port,
  // Optional so a bridge without these settings (the browser guest page) stays valid.
  notifications: v.optional(v.boolean()),
  keepHostingInTray: v.optional(v.boolean()),
});

export type HostRequest = v.InferInput<typeof hostRequestSchema>;
export type JoinRequest = v.InferInput<typeof joinRequestSchema>;
export type SendRequest = v.InferInput<typeof sendRequestSchema>;
export type LoadOlderRequest = v.InferInput<typeof loadOlderRequestSchema>;
export type MarkReadRequest = v.InferInput<typeof markReadRequestSchema>;
export type CreateChannelRequest = v.InferInput<typeof createChannelRequestSchema>;
export type SetTopicRequest = v.InferInput<typeof setTopicRequestSchema>;
export type RenameChannelRequest = v.InferInput<typeof renameChannelRequestSchema>;
export type MorePeersRequest = v.InferInput<typeof morePeersRequestSchema>;

/** Every request method: its IPC channel and the schema of its one argument (if any). */
export const bridgeRequests = {
  host: { channel: 'parley:host', arg: hostRequestSchema },
  join: { channel: 'parley:join', arg: joinRequestSchema },
  leave: { channel: 'parley:leave', arg: v.undefined() },
  send: { channel: 'parley:send', arg: sendRequestSchema },
  retry: { channel: 'parley:retry', arg: v.pipe(v.string(), v.maxLength(64)) },
  typing: { channel: 'parley:typing', arg: convArgSchema },
  loadOlder: { channel: 'parley:load-older', arg: loadOlderRequestSchema },
  markRead: { channel: 'parley:mark-read', arg: markReadRequestSchema },
  createChannel: { channel: 'parley:create-channel', arg: createChannelRequestSchema },
  joinChannel: { channel: 'parley:join-channel', arg: convArgSchema },
  leaveChannel: { channel: 'parley:leave-channel', arg: convArgSchema },
  openDirect: {
    channel: 'parley:open-direct',
    arg: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  },
  setTopic: { channel: 'parley:set-topic', arg: setTopicRequestSchema },
  renameChannel: { channel: 'parley:rename-channel', arg: renameChannelRequestSchema },
  morePeers: { channel: 'parley:more-peers', arg: morePeersRequestSchema },
  loadPreferences: { channel: 'parley:load-preferences', arg: v.undefined() },
  savePreferences: { channel: 'parley:save-preferences', arg: preferencesSchema },
  openExternal: { channel: 'parley:open-external', arg: v.pipe(v.string(), v.url()) },
  startDiscovery: { channel: 'parley:start-discovery', arg: v.undefined() },
  stopDiscovery: { channel: 'parley:stop-discovery', arg: v.undefined() },
  forgetRoom: { channel: 'parley:forget-room', arg: roomIdArgSchema },
} as const;

/** Main process to renderer: one channel carrying RoomEvent objects. */
export const ROOM_EVENT_CHANNEL = 'parley:room-event';

export interface ParleyBridge {
  readonly kind: 'desktop' | 'browser';
  /** Starts a host in this app and joins it. Browser guests cannot host (rejects). */
  host(request: HostRequest): Promise<RoomSummary>;
  join(request: JoinRequest): Promise<RoomSummary>;
  leave(): Promise<void>;
  /** Queues a message; resolves with its say id once queued (not once acknowledged). */
  send(request: SendRequest): Promise<string>;
  /** Re-sends a failed message with its original id. */
  retry(id: string): Promise<void>;
  /** Tells the conversation's members that this person is typing (a hint; never rejects). */
  typing(conv: string): Promise<void>;
  /** Entries of `conv` before seq `before`, oldest first. */
  loadOlder(request: LoadOlderRequest): Promise<{ entries: Entry[]; more: boolean }>;
  /** Marks `conv` read up to `seq` (never lowers the marker; synced to this person's devices). */
  markRead(request: MarkReadRequest): Promise<void>;
  /** Creates a channel (this person becomes its first member); resolves once the host made it. */
  createChannel(request: CreateChannelRequest): Promise<ConversationView>;
  /** Joins a channel; its latest entries follow as `entry` events. */
  joinChannel(conv: string): Promise<ConversationView>;
  /** Leaves a channel (never `general`). */
  leaveChannel(conv: string): Promise<void>;
  /** The direct conversation with a person (created on first use). */
  openDirect(peerId: string): Promise<ConversationView>;
  /** Sets (or, empty, clears) a channel's topic; resolves once the host logged it. */
  setTopic(request: SetTopicRequest): Promise<void>;
  /** Renames a channel (its creator only); resolves once the host renamed it. */
  renameChannel(request: RenameChannelRequest): Promise<void>;
  /** The next page of people by name, after the name `after` (from the start without it). */
  morePeers(request: MorePeersRequest): Promise<{ peers: PeerV2[]; more: boolean }>;
  loadPreferences(): Promise<Preferences>;
  savePreferences(preferences: Preferences): Promise<void>;
  /** Opens an http(s) link in the system browser (desktop) or a new tab (browser). */
  openExternal(url: string): Promise<void>;
  /**
   * Desktop only (absent in the browser): looks for rooms on the LAN until stopDiscovery().
   * Results arrive as `rooms` events; calling it again asks the network again at once.
   */
  startDiscovery?(): Promise<void>;
  stopDiscovery?(): Promise<void>;
  /**
   * Desktop only: forgets the certificate remembered for a room (after an `identity_changed`
   * error, once the fingerprints were compared), so the next join asks as on a first visit.
   */
  forgetRoom?(roomId: string): Promise<void>;
  /** Room events; returns the unsubscribe function. */
  subscribe(listener: (event: RoomEvent) => void): () => void;
}

// Ties the request table to the interface: a method missing from either side fails to compile.
export type BridgeRequestName = keyof typeof bridgeRequests;
type _EveryRequestIsAMethod = BridgeRequestName extends keyof ParleyBridge ? true : never;
type _EveryMethodIsARequest =
  Exclude<keyof ParleyBridge, 'kind' | 'subscribe'> extends BridgeRequestName ? true : never;
export const bridgeContractChecks: [_EveryRequestIsAMethod, _EveryMethodIsARequest] = [true, true];

/**
 * Errors crossing the bridge carry a protocol code and a sentence fit to show a person (requests
 * that wait for the host reject with the host's error code and the shared sentence). The
 * identity errors of a TLS room add what the UI needs to ask or warn:
 * - `confirm_identity` (a room never seen, joined without a fingerprint): `fingerprint` (the one it
 *   presented), `roomName` and `roomId`; joining again with `fingerprint: fingerprint.full` pins it.
 * - `identity_changed` (not the certificate remembered for the room): `roomId` (for forgetRoom),
 *   `roomName` and the presented `fingerprint`; `message` is the multi-line warning to show as is.
 */
export interface BridgeError {
  code: string;
  message: string;
  fingerprint?: ReadableFingerprint;
  roomName?: string;
  roomId?: string;
}

export const bridgeErrorSchema = v.object({
  code: v.string(),
  message: v.string(),
  fingerprint: v.optional(v.object({ short: v.string(), full: v.string() })),
  roomName: v.optional(v.string()),
  roomId: v.optional(v.string()),
});
