/**
 * Entries, conversation views and summaries as the bridge hands them over, made short for tests.
 * Pure TypeScript: imported by test files under Node and, through fixture-page.ts, in the page.
 */
import type { ConversationView, RoomEvent, RoomSummary } from '../../../protocol/bridge';
import type { PeerV2, SystemEntry, TextEntry } from '../../../protocol/wire/entries';

export interface TextEntryInit {
  seq: number;
  from: PeerV2;
  text: string;
  ts?: number;
  id?: string;
  /** `general` unless said. */
  conv?: string;
}

export function textEntry({ seq, from, text, ts, id, conv }: TextEntryInit): TextEntry {
  return {
    seq,
    conv: conv ?? 'general',
    id: id ?? `id-${seq}`,
    from,
    ts: ts ?? Date.now(),
    kind: 'text',
    text,
  };
}

/** A text entry as the room event that brings it. */
export function entryEvent(init: TextEntryInit): RoomEvent {
  return { type: 'entry', entry: textEntry(init) };
}

export function systemEntry(
  init: Omit<SystemEntry, 'kind' | 'id' | 'from'> & { id?: string },
): SystemEntry {
  return { ...init, id: init.id ?? `sys-${init.seq}`, from: init.by, kind: 'system' };
}

type ViewInit = Partial<ConversationView> & { id: string };

export function channelView(init: ViewInit): ConversationView {
  return {
    kind: 'channel',
    name: init.id === 'general' ? 'general' : init.id.replace(/^c_/, ''),
    member: true,
    lastSeq: 0,
    readSeq: 0,
    unread: 0,
    mentioned: false,
    muted: false,
    ...init,
  };
}

export function directView(init: ViewInit & { peer: PeerV2 }): ConversationView {
  return {
    kind: 'direct',
    member: true,
    lastSeq: 0,
    readSeq: 0,
    unread: 0,
    mentioned: false,
    muted: false,
    ...init,
  };
}

export const GENERAL_VIEW: ConversationView = channelView({ id: 'general' });

/** A guest's summary of room `Lab` with `peers`, the first being this person. */
export function summaryOf(peers: PeerV2[], overrides: Partial<RoomSummary> = {}): RoomSummary {
  return {
    room: { id: 'r1', name: 'Lab' },
    self: peers[0]!,
    peers,
    peerCount: peers.length,
    conversations: [GENERAL_VIEW],
    hosting: false,
    addresses: [],
    ...overrides,
  };
}
