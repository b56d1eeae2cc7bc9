/**
 * Folds the bridge's RoomEvents into what the room screen shows. Pure and immutable: every
 * change returns a new state object, so Lit sees it as a changed property.
 */
import type { ChatMessage, Peer, RoomInfo } from '../protocol/frames';
import type { RoomAddress, RoomEvent, RoomInvite, RoomSummary } from '../protocol/bridge';
import type { ConnectionState, EndReason, OutgoingMessage } from '../protocol/client-types';

/**
 * A typing indicator disappears this long after the last `typing` from that peer: about 3 s, with
 * room for the client session's own 3 s throttle plus the network, so steady typing never flickers.
 */
export const TYPING_EXPIRY_MS = 3500;

export interface PresenceLine {
  key: string;
  kind: 'joined' | 'left';
  peer: Peer;
  /** Shown right after the message with this seq (0: before every message). */
  afterSeq: number;
  at: number;
}

export interface RoomError {
  code: string;
  message: string;
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
  /** Messages up to this seq were history when the room was entered (not news to announce). */
  historySeq: number;
  /** Unique by seq, ascending. */
  messages: ChatMessage[];
  presence: PresenceLine[];
  outbox: OutgoingMessage[];
  /** Peer id to the time its typing indicator expires. */
  typing: ReadonlyMap<string, { peer: Peer; until: number }>;
  lastError: RoomError | undefined;
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
    historySeq: summary?.lastSeq ?? 0,
    messages: [],
    presence: [],
    outbox: [],
    typing: new Map(),
    lastError: undefined,
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
        historySeq: Math.max(state.historySeq, event.summary.lastSeq ?? 0),
        ended: undefined,
      };
    case 'message':
      return withoutTyping(insertMessages(state, [event.message]), event.message.from.id);
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
        withoutTyping(
          { ...state, peers: state.peers.filter((peer) => peer.id !== event.peer.id) },
          event.peer.id,
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
      return { ...state, lastError: { code: event.code, message: event.message, at: now } };
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
      // Rooms found on the LAN belong to the start screen, not to the room.
      return state;
    case 'ended':
      return { ...state, connection: 'closed', ended: event.reason, typing: new Map() };
  }
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

export function activeTypers(state: RoomState, now: number): Peer[] {
  const peers: Peer[] = [];
  for (const { peer, until } of state.typing.values()) {
    if (until > now) peers.push(peer);
  }
  return peers;
}

/** When the next typing indicator expires, so a view can schedule one re-render for it. */
export function nextTypingExpiry(state: RoomState, now: number): number | undefined {
  let next: number | undefined;
  for (const { until } of state.typing.values()) {
    if (until > now && (next === undefined || until < next)) next = until;
  }
  return next;
}

export function clearError(state: RoomState): RoomState {
  return state.lastError ? { ...state, lastError: undefined } : state;
}

export function dismissNotices(state: RoomState): RoomState {
  return { ...state, gap: false, roomChange: undefined, notice: undefined };
}

function mergeBySeq(current: ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const last = current[current.length - 1];
  // The common case: one new message after everything held.
  if (incoming.length === 1 && (last === undefined || incoming[0]!.seq > last.seq)) {
    return [...current, incoming[0]!];
  }
  const bySeq = new Map<number, ChatMessage>();
  for (const message of current) bySeq.set(message.seq, message);
  let added = false;
  for (const message of incoming) {
    if (bySeq.has(message.seq)) continue;
    bySeq.set(message.seq, message);
    added = true;
  }
  if (!added) return current;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function withoutTyping(state: RoomState, peerId: string): RoomState {
  if (!state.typing.has(peerId)) return state;
  const typing = new Map(state.typing);
  typing.delete(peerId);
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
