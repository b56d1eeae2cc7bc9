/**
 * Folds the bridge's RoomEvents into what the room screen shows: the room, its people, its
 * conversations (with the one on screen) and each conversation's log. Pure and immutable: every
 * change returns a new state object, so Lit sees it as a changed property. A batch of events
 * (one animation frame's worth) folds in one step whose cost grows with the batch, not with the
 * entries already held: one array copy per conversation the batch touched, never one per entry.
 */
import type { RoomInfo } from '../protocol/wire/frames';
import type { Entry, PeerV2 } from '../protocol/wire/entries';
import type {
  ConversationView,
  RoomAddress,
  RoomEvent,
  RoomInvite,
  RoomSummary,
  TransferView,
} from '../protocol/bridge';
import type {
  ConnectionState,
  EndReason,
  OutgoingChange,
  OutgoingMessage,
} from '../protocol/client/client-types';
import type { ReadableFingerprint } from '../protocol/client/fingerprint';
import {
  EMPTY_LOG,
  lastShownSeq,
  mergeEntries,
  olderBefore,
  withHistoryUpTo,
  type ConversationLog,
} from './conversation-log';
import { GENERAL, isOpenable } from './conversation-views';
import { TYPING_EXPIRY_MS, clearTypers, withTyper, type TypingMap } from './typing';

export { GENERAL } from './conversation-views';
export { TYPING_EXPIRY_MS, activeTypers, nextTypingExpiry } from './typing';
export type { TypingMap } from './typing';

/** A person arriving in or leaving the room (not a channel): a line in `general`. */
export interface PresenceLine {
  key: string;
  kind: 'joined' | 'left';
  peer: PeerV2;
  /** Shown right after the entry of `general` with this seq (0: before every entry). */
  afterSeq: number;
  at: number;
}

export interface RoomState {
  connection: ConnectionState;
  room: RoomInfo | undefined;
  self: PeerV2 | undefined;
  /** The people this client knows of (everyone, up to 1,000). */
  peers: PeerV2[];
  /** How many people the room has in all. */
  peerCount: number;
  hosting: boolean;
  addresses: RoomAddress[];
  /** Invites (links and QR codes) per address; desktop host only. */
  invites: RoomInvite[];
  /** The room's certificate fingerprint (hosted, or pinned when joined), to compare aloud. */
  fingerprint: ReadableFingerprint | undefined;
  /** Every channel and this person's direct conversations, with unread counts. */
  conversations: ConversationView[];
  /** The id of the conversation on screen. */
  current: string;
  /** Each conversation's entries, by conversation id (absent: nothing seen yet). */
  logs: ReadonlyMap<string, ConversationLog>;
  /** People arriving and leaving, shown in `general`. */
  presence: PresenceLine[];
  /** This person's messages not yet acknowledged, of every conversation. */
  outbox: OutgoingMessage[];
  /** This person's edits, deletions and reactions not yet acknowledged (or refused). */
  changes: OutgoingChange[];
  /** Uploads and (desktop) downloads, by transfer id, in the order they started. */
  transfers: ReadonlyMap<string, TransferView>;
  /** Who is typing, per conversation id. */
  typing: ReadonlyMap<string, TypingMap>;
  /** Conversations whose history was cut on resume: some entries between old and new are missing. */
  gaps: ReadonlySet<string>;
  roomChange: { previous: RoomInfo; current: RoomInfo } | undefined;
  /** Something worth knowing that is not an error (e.g. the room is not advertised). */
  notice: { code: string; message: string } | undefined;
  ended: EndReason | undefined;
  /** Makes presence keys unique within this state's lifetime. */
  presenceCounter: number;
}

const NO_TYPING: TypingMap = new Map();

/**
 * Events whose fold neither reads nor changes what folding entries does (entries, typing), so
 * folding them before entries that came first ends in the same state. (A `conversations` event
 * raises history marks, which merging entries keeps as they are.)
 */
const COMMUTES_WITH_ENTRIES: ReadonlySet<RoomEvent['type']> = new Set([
  'conversations',
  'outbox',
  'transfer',
  'state',
  'peers',
  'notice',
  'error',
  'rooms',
]);

export function createRoomState(summary?: RoomSummary): RoomState {
  const empty: RoomState = {
    connection: summary ? 'open' : 'connecting',
    room: undefined,
    self: undefined,
    peers: [],
    peerCount: 0,
    hosting: false,
    addresses: [],
    invites: [],
    fingerprint: undefined,
    conversations: [],
    current: GENERAL,
    logs: new Map(),
    presence: [],
    outbox: [],
    changes: [],
    transfers: new Map(),
    typing: new Map(),
    gaps: new Set(),
    roomChange: undefined,
    notice: undefined,
    ended: undefined,
    presenceCounter: 0,
  };
  return summary ? withSummary(empty, summary) : empty;
}

export function applyRoomEvent(state: RoomState, event: RoomEvent, now: number): RoomState {
  switch (event.type) {
    case 'state':
      return { ...state, connection: event.state };
    case 'summary':
      return { ...withSummary(state, event.summary), ended: undefined };
    case 'entry':
      return foldEntries(state, [event.entry]);
    case 'conversations':
      return withConversations(state, event.conversations);
    case 'openConversation':
      return selectConversation(state, event.conv);
    case 'outbox':
      return { ...state, outbox: event.outbox, changes: event.changes ?? [] };
    case 'transfer':
      return {
        ...state,
        transfers: new Map(state.transfers).set(event.transfer.id, event.transfer),
      };
    case 'peers':
      return { ...state, peers: event.peers, peerCount: countAfter(state, event.peers) };
    case 'joined': {
      const known = state.peers.some((peer) => peer.id === event.peer.id);
      const joined = known
        ? state
        : { ...state, peers: [...state.peers, event.peer], peerCount: state.peerCount + 1 };
      return addPresence(joined, 'joined', event.peer, now);
    }
    case 'left': {
      const known = state.peers.some((peer) => peer.id === event.peer.id);
      const left = known
        ? {
            ...state,
            peers: state.peers.filter((peer) => peer.id !== event.peer.id),
            peerCount: Math.max(0, state.peerCount - 1),
          }
        : state;
      return addPresence(withoutTypers(left, undefined, [event.peer.id]), 'left', event.peer, now);
    }
    case 'typing': {
      if (event.peer.id === state.self?.id) return state;
      const typing = new Map(state.typing);
      typing.set(
        event.conv,
        withTyper(typing.get(event.conv) ?? NO_TYPING, event.peer, now + TYPING_EXPIRY_MS),
      );
      return { ...state, typing };
    }
    case 'error':
      // The app shows an error as it arrives (parley-app.ts); the room keeps nothing of it.
      return state;
    case 'gap':
      return { ...state, gaps: new Set(state.gaps).add(event.conv) };
    case 'roomChanged':
      // A different room id is a different room: its seqs start over, so nothing carries across.
      return {
        ...state,
        room: event.current,
        conversations: [],
        current: GENERAL,
        logs: new Map(),
        presence: [],
        typing: new Map(),
        gaps: new Set(),
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
 * `entry` events are merged in one step, so a frame with hundreds of entries copies each
 * conversation's entry list once.
 */
export function applyRoomEvents(
  state: RoomState,
  events: readonly RoomEvent[],
  now: number,
): RoomState {
  let current = state;
  let run: Entry[] = [];
  const foldRun = () => {
    if (run.length === 0) return;
    current = foldEntries(current, run);
    run = [];
  };
  for (const event of events) {
    if (event.type === 'entry') {
      run.push(event.entry);
      continue;
    }
    // Most events may depend on the entries before them (a presence line's place, a typing
    // indicator an entry ends): those fold the run first. The conversation list that follows every
    // delivery and the others below touch nothing entries do, so they keep the run going.
    if (!COMMUTES_WITH_ENTRIES.has(event.type)) foldRun();
    current = applyRoomEvent(current, event, now);
  }
  foldRun();
  return current;
}

/** Adds a page of older entries (or any batch) of one conversation in one step. */
export function insertEntries(state: RoomState, entries: readonly Entry[]): RoomState {
  return foldEntries(state, entries);
}

/** Shows the conversation `conv`, when it is one this person can open. */
export function selectConversation(state: RoomState, conv: string): RoomState {
  if (conv === state.current) return state;
  const view = state.conversations.find((candidate) => candidate.id === conv);
  return view && isOpenable(view) ? { ...state, current: conv } : state;
}

/**
 * The state knowing `view` as it is now (a request's answer may come before the `conversations`
 * event that lists it), so it can be shown at once.
 */
export function withConversation(state: RoomState, view: ConversationView): RoomState {
  const index = state.conversations.findIndex((candidate) => candidate.id === view.id);
  const conversations =
    index < 0
      ? [...state.conversations, view]
      : state.conversations.map((candidate, at) => (at === index ? view : candidate));
  return withConversations(state, conversations);
}

/** The log of `conv`, empty when nothing of it was seen. */
export function logOf(state: Pick<RoomState, 'logs'>, conv: string): ConversationLog {
  return state.logs.get(conv) ?? EMPTY_LOG;
}

/** The conversation on screen, when the room has told of it. */
export function currentConversation(state: RoomState): ConversationView | undefined {
  return state.conversations.find((view) => view.id === state.current);
}

/** The seq before which older entries of `conv` can still be asked for, or undefined. */
export function olderBeforeSeq(state: RoomState, conv: string = state.current): number | undefined {
  return olderBefore(logOf(state, conv));
}

/** Who is typing in `conv`. */
export function typingIn(state: Pick<RoomState, 'typing'>, conv: string): TypingMap {
  return state.typing.get(conv) ?? NO_TYPING;
}

/** The state without transfer `id` (a finished or failed one the person put away). */
export function dismissTransfer(state: RoomState, id: string): RoomState {
  if (!state.transfers.has(id)) return state;
  const transfers = new Map(state.transfers);
  transfers.delete(id);
  return { ...state, transfers };
}

export function dismissNotices(state: RoomState): RoomState {
  return { ...state, gaps: new Set(), roomChange: undefined, notice: undefined };
}

function withSummary(state: RoomState, summary: RoomSummary): RoomState {
  const next: RoomState = {
    ...state,
    room: summary.room,
    self: summary.self,
    peers: summary.peers,
    peerCount: summary.peerCount,
    hosting: summary.hosting,
    addresses: summary.addresses,
    invites: summary.invites ?? [],
    fingerprint: summary.fingerprint,
  };
  // What the room already held when this client (re)entered it is history, not news.
  return withConversations(next, summary.conversations, summary.conversations);
}

/**
 * The state with `conversations` as the list; the logs of conversations in `history` (by
 * default: those the list did not hold before) count everything up to their lastSeq as history.
 * The conversation on screen stays unless it can no longer be opened (a channel left, say).
 */
function withConversations(
  state: RoomState,
  conversations: ConversationView[],
  history: readonly ConversationView[] = newViews(state.conversations, conversations),
): RoomState {
  let logs = state.logs;
  for (const view of history) {
    const log = logOf(state, view.id);
    const raised = withHistoryUpTo(log, view.lastSeq);
    if (raised === log) continue;
    if (logs === state.logs) logs = new Map(logs);
    (logs as Map<string, ConversationLog>).set(view.id, raised);
  }
  const shown = conversations.find((view) => view.id === state.current);
  const current = shown === undefined || isOpenable(shown) ? state.current : GENERAL;
  return { ...state, conversations, logs, current };
}

function newViews(
  before: readonly ConversationView[],
  after: readonly ConversationView[],
): ConversationView[] {
  if (before.length === 0) return [...after];
  const known = new Set(before.map((view) => view.id));
  return after.filter((view) => !known.has(view.id));
}

/** Merges entries of any conversations into their logs; their authors stop typing there. */
function foldEntries(state: RoomState, entries: readonly Entry[]): RoomState {
  if (entries.length === 0) return state;
  const byConv = new Map<string, Entry[]>();
  for (const entry of entries) {
    const list = byConv.get(entry.conv);
    if (list) list.push(entry);
    else byConv.set(entry.conv, [entry]);
  }
  let logs = state.logs;
  let next = state;
  for (const [conv, list] of byConv) {
    const log = logOf(state, conv);
    const merged = mergeEntries(log, list);
    if (merged !== log) {
      if (logs === state.logs) logs = new Map(logs);
      (logs as Map<string, ConversationLog>).set(conv, merged);
    }
    next = withoutTypers(
      next,
      conv,
      list.map((entry) => entry.from.id),
    );
  }
  return logs === state.logs ? next : { ...next, logs };
}

/** The state without these peers typing in `conv` (every conversation when undefined). */
function withoutTypers(
  state: RoomState,
  conv: string | undefined,
  peerIds: readonly string[],
): RoomState {
  if (state.typing.size === 0) return state;
  let typing: Map<string, TypingMap> | undefined;
  const convs = conv === undefined ? [...state.typing.keys()] : [conv];
  for (const id of convs) {
    const map = state.typing.get(id);
    if (!map) continue;
    const cleared = clearTypers(map, peerIds);
    if (cleared === map) continue;
    typing ??= new Map(state.typing);
    typing.set(id, cleared);
  }
  return typing ? { ...state, typing } : state;
}

/**
 * How many people the room has once the list this client knows of becomes `peers`: the list
 * changed by someone arriving or leaving (a very large room has more than the list holds).
 */
function countAfter(
  state: Pick<RoomState, 'peers' | 'peerCount'>,
  peers: readonly PeerV2[],
): number {
  return Math.max(peers.length, state.peerCount - state.peers.length + peers.length);
}

function addPresence(
  state: RoomState,
  kind: PresenceLine['kind'],
  peer: PeerV2,
  now: number,
): RoomState {
  const counter = state.presenceCounter + 1;
  const afterSeq = lastShownSeq(logOf(state, GENERAL));
  return {
    ...state,
    presenceCounter: counter,
    presence: [...state.presence, { key: `p${counter}`, kind, peer, afterSeq, at: now }],
  };
}
