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
import type { Entry, PeerV2, SearchHit } from './wire/entries';
import type {
  ConnectionState,
  EndReason,
  OutgoingChange,
  OutgoingMessage,
} from './client/client-types';
import { fingerprintSchema, type ReadableFingerprint } from './client/fingerprint';
import { DEFAULT_LIMITS } from './wire/limits';

export type { SearchHit } from './wire/entries';
export { MATCH_END, MATCH_START } from './wire/entries';

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
  /**
   * This person muted it (a client setting, kept per room: setMuted): no unread emphasis and no
   * notification, except for a message that mentions them.
   */
  muted: boolean;
}

export const TRANSFER_STATES = [
  /** Waiting for its turn (uploads at once are bounded) or for a connection. */
  'queued',
  'running',
  /** Interrupted (connection lost, host restarting): resumes by itself from where it stopped. */
  'paused',
  'done',
  /** Given up on: `error` says why. */
  'failed',
  'cancelled',
] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

/**
 * One file going up or coming down, as the UI shows it (progress bar, speed, time left, cancel).
 * Sent as a `transfer` RoomEvent on every change (at most a few times a second while running).
 */
export interface TransferView {
  /** This client's id of the transfer (cancelTransfer, showInFolder). */
  id: string;
  direction: 'upload' | 'download';
  /** Uploads: the conversation the files will be posted to. */
  conv?: string;
  /** Uploads: the say id of the message that carries them once every file of it is up. */
  message?: string;
  /** The file's name (uploads: as picked; downloads: as saved). */
  name: string;
  /** Bytes in all. */
  size: number;
  /** Bytes transferred so far (a resumed transfer starts from what was already there). */
  done: number;
  /** Recent throughput; 0 when not running. */
  bytesPerSecond: number;
  /** Seconds left at the recent speed; absent when unknown (not running, no speed yet). */
  etaSeconds?: number;
  state: TransferState;
  /** Why it failed: a stable code (the host's, e.g. `too_large`, or `network`) and a sentence. */
  error?: { code: string; message: string };
  /** Uploads, once done: the file id (hex SHA-256) the host gave it. */
  fileId?: string;
  /** Desktop downloads: the full path it is (being) saved to. */
  path?: string;
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
  /**
   * What this client posted and the host has not acknowledged (pending) or refused (failed):
   * messages in `outbox`, edits, deletions and reactions in `changes` (absent: none); retry(id)
   * re-sends either.
   */
  | { type: 'outbox'; outbox: OutgoingMessage[]; changes?: OutgoingChange[] }
  /** An upload or (desktop) download changed: progress, state, or its end. */
  | { type: 'transfer'; transfer: TransferView }
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
  notifications?: boolean | undefined;
  /** Desktop only: closing the window while hosting keeps the room running from the tray. */
  keepHostingInTray?: boolean | undefined;
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
export const editRequestSchema = v.object({
  conv: convArgSchema,
  target: seqArg(1),
  text: text(100_000),
});
export const deleteMessageRequestSchema = v.object({ conv: convArgSchema, target: seqArg(1) });
export const reactRequestSchema = v.object({
  conv: convArgSchema,
  target: seqArg(1),
  emoji: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  on: v.boolean(),
});
export const searchRequestSchema = v.object({
  q: v.pipe(text(1000), v.trim(), v.minLength(1, 'Type something to search for.')),
  conv: v.optional(convArgSchema),
  /** Most hits (the host's `searchResultsMax` at most). Default 20. */
  limit: v.optional(
    v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(DEFAULT_LIMITS.searchResultsMax)),
  ),
});
export const setMutedRequestSchema = v.object({ conv: convArgSchema, muted: v.boolean() });
/** A transfer id, as TransferView.id has it. */
export const transferIdArgSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

/** Largest pasted file (no path on disk, e.g. an image from the clipboard) carried over IPC. */
export const MAX_PASTED_BYTES = 64 * 1024 * 1024;
const fileNameArg = v.pipe(v.string(), v.minLength(1), v.maxLength(1024));
/**
 * What the desktop's main process uploads from: a file on disk (the path the preload got from
 * `webUtils.getPathForFile`), or the bytes of a file that has none (pasted from the clipboard).
 */
export const desktopUploadSourceSchema = v.union([
  v.object({ path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)) }),
  v.object({
    name: fileNameArg,
    bytes: v.pipe(
      v.instance(Uint8Array),
      v.check((bytes) => bytes.byteLength <= MAX_PASTED_BYTES, 'That file is too large to paste.'),
    ),
  }),
]);
const uploadFields = {
  conv: convArgSchema,
  /** The message the files go out with (may be empty). */
  text: v.optional(text(100_000)),
  replyTo: v.optional(seqArg(1)),
};
/** What crosses IPC for an upload: the preload turned each File into a desktop source. */
export const desktopUploadRequestSchema = v.object({
  ...uploadFields,
  files: v.pipe(
    v.array(desktopUploadSourceSchema),
    v.minLength(1),
    v.maxLength(DEFAULT_LIMITS.maxFilesPerMessage),
  ),
});
/** The browser guest page uploads the File objects themselves. */
export const browserUploadRequestSchema = v.object({
  ...uploadFields,
  files: v.pipe(v.array(v.file()), v.minLength(1), v.maxLength(DEFAULT_LIMITS.maxFilesPerMessage)),
});
/**
 * A file the host lists in an entry, to download (desktop): `url` is the entry's capability path
 * (`/api/files/ID/CAP/NAME`), resolved against the room's own address by main.
 */
export const downloadRequestSchema = v.object({
  url: v.pipe(v.string(), v.startsWith('/api/files/'), v.maxLength(4096)),
  name: fileNameArg,
  size: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
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
export type EditRequest = v.InferInput<typeof editRequestSchema>;
export type DeleteMessageRequest = v.InferInput<typeof deleteMessageRequestSchema>;
export type ReactRequest = v.InferInput<typeof reactRequestSchema>;
export type SearchRequest = v.InferInput<typeof searchRequestSchema>;
export type SetMutedRequest = v.InferInput<typeof setMutedRequestSchema>;
export type DesktopUploadSource = v.InferInput<typeof desktopUploadSourceSchema>;
export type DesktopUploadRequest = v.InferInput<typeof desktopUploadRequestSchema>;
export type DownloadRequest = v.InferInput<typeof downloadRequestSchema>;
/**
 * What the UI hands to upload(): the File objects the person picked, dropped or pasted, whichever
 * bridge it talks to. The browser bridge uploads them as they are; the desktop preload turns each
 * into a DesktopUploadSource (toDesktopUploadRequest) before it crosses IPC.
 */
export interface UploadRequest {
  conv: string;
  text?: string;
  replyTo?: number;
  files: readonly File[];
}
/** upload() resolves once every file is queued: its transfers follow as `transfer` events. */
export interface UploadStarted {
  /** The say id of the message that will carry the files (posted once every one is up). */
  message: string;
  /** One transfer id per file, in the order of `files`. */
  transfers: string[];
}
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
  edit: { channel: 'parley:edit', arg: editRequestSchema },
  deleteMessage: { channel: 'parley:delete-message', arg: deleteMessageRequestSchema },
  react: { channel: 'parley:react', arg: reactRequestSchema },
  search: { channel: 'parley:search', arg: searchRequestSchema },
  setMuted: { channel: 'parley:set-muted', arg: setMutedRequestSchema },
  // The desktop's IPC form; the preload builds it from the UI's File objects (see UploadRequest).
  upload: { channel: 'parley:upload', arg: desktopUploadRequestSchema },
  cancelTransfer: { channel: 'parley:cancel-transfer', arg: transferIdArgSchema },
  download: { channel: 'parley:download', arg: downloadRequestSchema },
  showInFolder: { channel: 'parley:show-in-folder', arg: transferIdArgSchema },
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
  /** Re-sends a failed message, edit, deletion or reaction with its original id. */
  retry(id: string): Promise<void>;
  /** Queues an edit of this person's own message `target`; resolves with its id once queued. */
  edit(request: EditRequest): Promise<string>;
  /** Queues the deletion of this person's own message `target` (for everyone; confirm first). */
  deleteMessage(request: DeleteMessageRequest): Promise<string>;
  /** Queues a reaction to `target` (`on: false` takes it back); resolves with its id once queued. */
  react(request: ReactRequest): Promise<string>;
  /**
   * Searches what this person may read (every channel, `general`, their direct conversations;
   * `conv` narrows it to one), newest first. Each word matches as a prefix, all are required,
   * "quoted words" are a phrase. Snippets mark matches between MATCH_START and MATCH_END.
   * Rejects with `timeout` when the host does not answer in time.
   */
  search(request: SearchRequest): Promise<SearchHit[]>;
  /** Mutes or unmutes a conversation for this person (kept by this client for the room). */
  setMuted(request: SetMutedRequest): Promise<void>;
  /**
   * Uploads files to `conv`; once every one is up (resuming by itself after an interruption),
   * posts one message carrying them with `text` (and `replyTo`). Files that fail or are
   * cancelled are left out; when none is left, nothing is posted.
   */
  upload(request: UploadRequest): Promise<UploadStarted>;
  /** Cancels an upload or download (a finished one cannot be cancelled; this resolves anyway). */
  cancelTransfer(transferId: string): Promise<void>;
  /**
   * Desktop only: downloads a file of an entry into the Downloads folder (resuming after an
   * interruption); resolves with the transfer id. The browser lets its own downloader do this
   * (`<a download>` on the file's url).
   */
  download?(request: DownloadRequest): Promise<string>;
  /** Desktop only: shows a finished download in the system's file manager. */
  showInFolder?(transferId: string): Promise<void>;
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
 * Desktop preload: the IPC form of an upload. Each File becomes the path it has on disk
 * (`getPathForFile` is Electron's `webUtils.getPathForFile`, '' for a file without one), or its
 * bytes when it has none (a pasted image; at most MAX_PASTED_BYTES each).
 */
export async function toDesktopUploadRequest(
  request: UploadRequest,
  getPathForFile: (file: File) => string,
): Promise<DesktopUploadRequest> {
  const files = await Promise.all(
    request.files.map(async (file): Promise<DesktopUploadSource> => {
      const path = getPathForFile(file);
      if (path) return { path };
      return { name: file.name || 'pasted', bytes: new Uint8Array(await file.arrayBuffer()) };
    }),
  );
  return {
    conv: request.conv,
    ...(request.text !== undefined && { text: request.text }),
    ...(request.replyTo !== undefined && { replyTo: request.replyTo }),
    files,
  };
}

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
  fingerprint?: ReadableFingerprint | undefined;
  roomName?: string | undefined;
  roomId?: string | undefined;
}

export const bridgeErrorSchema = v.object({
  code: v.string(),
  message: v.string(),
  fingerprint: v.optional(v.object({ short: v.string(), full: v.string() })),
  roomName: v.optional(v.string()),
  roomId: v.optional(v.string()),
});

/**
 * The desktop app's scheme for a room's files (`parley-file://room/api/files/ID/CAP/NAME`): the
 * window shows thumbnails and images from it, and main answers it from the room.
 */
export const DESKTOP_FILE_SCHEME = 'parley-file';
