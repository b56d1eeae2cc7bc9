/**
 * The broadcast path. Each frame is serialised, encoded and framed once, and that one
 * OutboundFrame is appended to the group's turn log (turn-log.ts): nothing here runs per
 * recipient, and the turn's flush writes each recipient one shared Buffer.
 *
 * Three groups, one per wire form: parley.v1 and plain clients live in `general` and see only its
 * text entries (as v1 messages and `NAME: TEXT` lines); parley.v2 clients get every entry of
 * their conversations, a conversation's entries going only to its audience (audience.ts).
 */
import type { Entry, PeerV2 } from '../../protocol/wire/entries';
import type { ChatMessage } from '../../protocol/wire/frames';
import type { Channel } from './channel';
import type { Conversation } from './conversations';
import { OutboundFrame } from './frame-encoding';
import type { BroadcastGroup, TurnAudience, TurnExcept, Urgency } from './turn-log';

/** The sockets that receive broadcasts, split by mode because each mode has its own wire form. */
export interface FanOutTargets {
  readonly v1: BroadcastGroup;
  readonly plain: BroadcastGroup;
  readonly v2: BroadcastGroup;
}

export function encodeFrame(frame: object): Buffer {
  return Buffer.from(JSON.stringify(frame), 'utf8');
}

/** Sends one frame to every member of `targets` but `except` (and only to `audience`, if given). */
export function sendToAll(
  targets: BroadcastGroup,
  data: OutboundFrame | Buffer,
  except?: TurnExcept,
  urgency: Urgency = 'now',
  audience?: TurnAudience,
): void {
  const frame = data instanceof OutboundFrame ? data : new OutboundFrame(data);
  targets.broadcast(frame, except, urgency, audience);
}

/** A `general` text message to parley.v1 clients (as a v1 message) and plain ones (a line). */
export function broadcastMessage(
  targets: Pick<FanOutTargets, 'v1' | 'plain'>,
  message: ChatMessage,
): void {
  if (targets.v1.size > 0) sendToAll(targets.v1, encodeFrame({ type: 'message', ...message }));
  if (targets.plain.size > 0) {
    sendToAll(targets.plain, Buffer.from(`${message.from.name}: ${message.text}`, 'utf8'));
  }
}

/**
 * A stored entry to everyone its conversation's entries go to: `general` to every client
 * (parley.v1 and plain only its text entries), other conversations to their audience.
 */
export function broadcastEntry(
  targets: FanOutTargets,
  entry: Entry,
  conversation: Conversation,
): void {
  if (!conversation.isGeneral) {
    if (conversation.audience.size > 0) {
      sendToAll(targets.v2, messageFrameBytes(entry), undefined, 'now', conversation.audience);
    }
    return;
  }
  if (entry.kind === 'text' && targets.v1.size + targets.plain.size > 0) {
    broadcastMessage(targets, v1MessageOf(entry));
  }
  if (targets.v2.size > 0) sendToAll(targets.v2, messageFrameBytes(entry));
}

/** The parley.v2 `message` frame of an entry: its fields beside `type`. */
export function messageFrameBytes(entry: Entry): Buffer {
  return encodeFrame({ type: 'message', ...entry });
}

/** A text entry of `general` as parley.v1 shows it. */
export function v1MessageOf(entry: Extract<Entry, { kind: 'text' }>): ChatMessage {
  const { seq, id, from, text, ts } = entry;
  return { seq, id, from: { id: from.id, name: from.name }, text, ts };
}

/** Presence, like typing, may wait a few milliseconds to share a flush (turn-log.ts). */
export function broadcastPresence(
  targets: FanOutTargets,
  change: 'joined' | 'left',
  peer: PeerV2,
): void {
  if (targets.v1.size > 0) {
    const v1Peer = { id: peer.id, name: peer.name };
    sendToAll(targets.v1, encodeFrame({ type: change, peer: v1Peer }), undefined, 'ephemeral');
  }
  if (targets.plain.size > 0) {
    sendToAll(targets.plain, Buffer.from(`* ${peer.name} ${change}`), undefined, 'ephemeral');
  }
  if (targets.v2.size > 0) {
    sendToAll(targets.v2, encodeFrame({ type: change, peer }), undefined, 'ephemeral');
  }
}

/**
 * A present peer took another name: parley.v2 clients get `peer`, parley.v1 ones (which have no
 * such frame) see the old name leave and the new one join, plain ones a line.
 */
export function broadcastRename(targets: FanOutTargets, before: PeerV2, after: PeerV2): void {
  if (targets.v1.size > 0) {
    const left = encodeFrame({ type: 'left', peer: { id: before.id, name: before.name } });
    const joined = encodeFrame({ type: 'joined', peer: { id: after.id, name: after.name } });
    sendToAll(targets.v1, left, undefined, 'ephemeral');
    sendToAll(targets.v1, joined, undefined, 'ephemeral');
  }
  if (targets.plain.size > 0) {
    const line = Buffer.from(`* ${before.name} is now ${after.name}`);
    sendToAll(targets.plain, line, undefined, 'ephemeral');
  }
  if (targets.v2.size > 0) {
    sendToAll(targets.v2, encodeFrame({ type: 'peer', peer: after }), undefined, 'ephemeral');
  }
}

/** Typing is parley.v1 only: a plain client has no way to show it. */
export function broadcastTyping(
  targets: Pick<FanOutTargets, 'v1'>,
  peer: PeerV2,
  except?: Channel,
): void {
  if (targets.v1.size > (except ? 1 : 0)) {
    const v1Peer = { id: peer.id, name: peer.name };
    sendToAll(targets.v1, encodeFrame({ type: 'typing', peer: v1Peer }), except, 'ephemeral');
  }
}

/**
 * parley.v2 `typing {conv, peer}` to the conversation's members (everyone for `general`) but
 * the typist's own connections.
 */
export function broadcastTypingV2(
  targets: Pick<FanOutTargets, 'v2'>,
  conversation: Conversation,
  peer: PeerV2,
  except: ReadonlySet<Channel>,
): void {
  const audience = conversation.isGeneral ? undefined : conversation.audience;
  if ((audience ?? targets.v2).size === 0) return;
  const frame = encodeFrame({ type: 'typing', conv: conversation.id, peer });
  sendToAll(targets.v2, frame, except, 'ephemeral', audience);
}
