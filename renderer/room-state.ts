/**
 * Folds the bridge's RoomEvents into what the room screen shows. Pure and immutable: every
 * change returns a new state object, so Lit sees it as a changed property. A batch of events
 * (one animation frame's worth) folds in one step whose cost grows with the batch, not with the
 * messages already held: one array copy per batch, never one per message.
 */
import type { ChatMessage, Peer, RoomInfo } from '../protocol/wire/frames';
import type { RoomAddress, RoomEvent, RoomInvite, RoomSummary } from '../protocol/bridge';
import type { ConnectionState, EndReason, OutgoingMessage } from '../protocol/client/client-types';
import type { ReadableFingerprint } from '../protocol/client/fingerprint';

/**
 * A typing indicator disappears this long after the last `typing` from that peer: about 3 s, with
 * room for the client session's own 3 s throttle plus the network, so steady typing never flickers.
 */
export const TYPING_EXPIRY_MS = 3500;

/** Peer id to that peer and the time its typing indicator expires. */
export type TypingMap = ReadonlyMap<string, { peer: Peer; until: number }>;

export interface PresenceLine {
  key: string;
  kind: 'joined' | 'left';
  peer: Peer;
  /** Shown right after the message with this seq (0: before every message). */
  afterSeq: number;
  at: number;
}

export interface RoomState {
  connection: ConnectionState;
  room: RoomInfo | undefined;
  self: Peer | undefined;
  peers: Peer[];
  hosting: boolean;
  addresses: RoomAddress[];
  /** Invites (links and QR codes) per address; desktop host only. */
  invites: RoomInvite[];
  /** The room's certificate fingerprint (hosted, or pinned when joined), to compare aloud. */
  fingerprint: ReadableFingerprint | undefined;
  /** Messages up to this seq were history when the room was entered (not news to announce). */
  historySeq: number;
  /** Unique by seq, ascending. */
  messages: ChatMessage[];
  presence: PresenceLine[];
  outbox: OutgoingMessage[];
  typing: TypingMap;
  /** History was cut on resume: some messages between the old and new ones are missing. */
  gap: boolean;
  roomChange: { previous: RoomInfo; current: RoomInfo } | undefined;
  /** Something worth knowing that is not an error (e.g. the room is not advertised). */
  notice: { code: string; message: string } | undefined;
  ended: EndReason | undefined;
  /** Makes presence keys unique within this state's lifetime. */
  presenceCounter: number;
}

export function createRoomState(summary?: RoomSummary): RoomState {
  return {
    connection: summary ? 'open' : 'connecting',
    room: summary?.room,
    self: summary?.self,
    peers: summary?.peers ?? [],
    hosting: summary?.hosting ?? false,
    addresses: summary?.addresses ?? [],
    invites: summary?.invites ?? [],
    fingerprint: summary?.fingerprint,
    historySeq: summary?.lastSeq ?? 0,
    messages: [],
    presence: [],
    outbox: [],
    typing: new Map(),
    gap: false,
    roomChange: undefined,
    notice: undefined,
    ended: undefined,
    presenceCounter: 0,
  };
}

export function applyRoomEvent(state: RoomState, event: RoomEvent, now: number): RoomState {
  switch (event.type) {
    case 'state':
      return { ...state, connection: event.state };
    case 'summary':
      return {
        ...state,
        room: event.summary.room,
        self: event.summary.self,
        peers: event.summary.peers,
        hosting: event.summary.hosting,
        addresses: event.summary.addresses,
        invites: event.summary.invites ?? [],
        fingerprint: event.summary.fingerprint,
        historySeq: Math.max(state.historySeq, event.summary.lastSeq ?? 0),
        ended: undefined,
      };
    case 'message':
      return withoutTypingOf(insertMessages(state, [event.message]), [event.message.from.id]);
    case 'outbox':
      return { ...state, outbox: event.outbox };
    case 'peers':
      return { ...state, peers: event.peers };
    case 'joined':
      return addPresence(
        {
          ...state,
          peers: state.peers.some((peer) => peer.id === event.peer.id)
            ? state.peers
            : [...state.peers, event.peer],
        },
        'joined',
        event.peer,
        now,
      );
    case 'left':
      return addPresence(
        withoutTypingOf(
          { ...state, peers: state.peers.filter((peer) => peer.id !== event.peer.id) },
          [event.peer.id],
        ),
        'left',
        event.peer,
        now,
      );
    case 'typing': {
      if (event.peer.id === state.self?.id) return state;
      const typing = new Map(state.typing);
      typing.set(event.peer.id, { peer: event.peer, until: now + TYPING_EXPIRY_MS });
      return { ...state, typing };
    }
    case 'error':
      // The app shows an error as it arrives (parley-app.ts); the room keeps nothing of it.
      return state;
    case 'gap':
      return { ...state, gap: true };
    case 'roomChanged':
      // A different room id is a different room: its seqs start over, so nothing carries across.
      return {
        ...state,
        room: event.current,
        messages: [],
        presence: [],
        typing: new Map(),
        gap: false,
        roomChange: { previous: event.previous, current: event.current },
      };
    case 'notice':
      return { ...state, notice: { code: event.code, message: event.message } };
    case 'rooms':
    case 'invite':
      // Rooms found on the LAN and invites opened belong to the start screen, not to the room.
      return state;
    case 'ended':
      return { ...state, connection: 'closed', ended: event.reason, typing: new Map() };
  }
}

/**
 * Folds a batch of events, in order, to the same state as folding them one by one. Runs of
 * `message` events are merged in one step, so a frame with hundreds of messages copies the
 * message list once.
 */
export function applyRoomEvents(
  state: RoomState,
  events: readonly RoomEvent[],
  now: number,
): RoomState {
  let current = state;
  let run: ChatMessage[] = [];
  const foldRun = () => {
    if (run.length === 0) return;
    const authors = run.map((message) => message.from.id);
    current = withoutTypingOf(insertMessages(current, run), authors);
    run = [];
  };
  for (const event of events) {
    if (event.type === 'message') {
      run.push(event.message);
      continue;
    }
    // Anything else may depend on the messages before it (a presence line's place): fold them first.
    foldRun();
    current = applyRoomEvent(current, event, now);
  }
  foldRun();
  return current;
}

/** Adds a page of older messages (or any batch) in one step. */
export function insertMessages(state: RoomState, incoming: readonly ChatMessage[]): RoomState {
  if (incoming.length === 0) return state;
  const messages = mergeBySeq(state.messages, incoming);
  return messages === state.messages ? state : { ...state, messages };
}

/** The seq before which older messages can still be asked for, or undefined when none exist. */
export function olderBeforeSeq(state: RoomState): number | undefined {
  const first = state.messages[0];
  // Seqs start at 1 and grow by exactly 1, so anything above 1 means older messages exist.
  if (first === undefined || first.seq <= 1) return undefined;
  return first.seq;
}

/**
 * What the typing selectors read: a whole RoomState, or just its typing map (a peer list is given
 * only that).
 */
type TypingSource = Pick<RoomState, 'typing'>;

/** The peers whose typing indicator shows at `now`. */
export function activeTypers({ typing }: TypingSource, now: number): Peer[] {
  const peers: Peer[] = [];
  for (const { peer, until } of typing.values()) {
    if (until > now) peers.push(peer);
  }
  return peers;
}

/** When the next typing indicator expires, so a view can schedule one re-render for it. */
export function nextTypingExpiry({ typing }: TypingSource, now: number): number | undefined {
  let next: number | undefined;
  for (const { until } of typing.values()) {
    if (until > now && (next === undefined || until < next)) next = until;
  }
  return next;
}

export function dismissNotices(state: RoomState): RoomState {
  return { ...state, gap: false, roomChange: undefined, notice: undefined };
}

/**
 * `current` with the messages of `incoming` whose seq it does not hold yet, ascending by seq;
 * `current` itself when nothing is new. Existing message objects are kept, never replaced.
 */
function mergeBySeq(current: ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const last = current[current.length - 1];
  // The common case, live messages: an ascending run after everything held; one copy.
  if (isAscendingAfter(incoming, last?.seq ?? Number.NEGATIVE_INFINITY)) {
    return current.concat(incoming);
  }
  if (last === undefined) return sortedUnique(incoming);
  // Otherwise (a page of older messages, history after a reconnect): one linear merge.
  const added = sortedUnique(incoming);
  const merged: ChatMessage[] = [];
  let at = 0;
  let changed = false;
  for (const message of added) {
    while (at < current.length && current[at]!.seq < message.seq) merged.push(current[at++]!);
    if (at < current.length && current[at]!.seq === message.seq) continue;
    merged.push(message);
    changed = true;
  }
  if (!changed) return current;
  while (at < current.length) merged.push(current[at++]!);
  return merged;
}

/** True when every seq is above `after` and above the one before it. */
function isAscendingAfter(messages: readonly ChatMessage[], after: number): boolean {
  let previous = after;
  for (const message of messages) {
    if (message.seq <= previous) return false;
    previous = message.seq;
  }
  return true;
}

/** Ascending by seq, the first of each seq kept. */
function sortedUnique(messages: readonly ChatMessage[]): ChatMessage[] {
  // A stable sort keeps the first of equal seqs first.
  const sorted = [...messages].sort((a, b) => a.seq - b.seq);
  return sorted.filter((message, index) => index === 0 || sorted[index - 1]!.seq !== message.seq);
}

function withoutTypingOf(state: RoomState, peerIds: readonly string[]): RoomState {
  if (state.typing.size === 0 || !peerIds.some((id) => state.typing.has(id))) return state;
  const typing = new Map(state.typing);
  for (const id of peerIds) typing.delete(id);
  return { ...state, typing };
}

function addPresence(
  state: RoomState,
  kind: PresenceLine['kind'],
  peer: Peer,
  now: number,
): RoomState {
  const counter = state.presenceCounter + 1;
  const afterSeq = state.messages[state.messages.length - 1]?.seq ?? 0;
  return {
    ...state,
    presenceCounter: counter,
    presence: [...state.presence, { key: `p${counter}`, kind, peer, afterSeq, at: now }],
  };
}
