/**
 * The broadcast path. Each frame is serialised, encoded and framed once, and that one
 * OutboundFrame is appended to the group's turn log (turn-log.ts): nothing here runs per
 * recipient, and the turn's flush writes each recipient one shared Buffer.
 */
import type { ChatMessage, Peer } from '../../protocol/wire/frames';
import type { Channel } from './channel';
import { OutboundFrame } from './frame-encoding';
import type { BroadcastGroup, Urgency } from './turn-log';

/** The sockets that receive broadcasts, split by mode because each mode has its own wire form. */
export interface FanOutTargets {
  readonly v1: BroadcastGroup;
  readonly plain: BroadcastGroup;
}

export function encodeFrame(frame: object): Buffer {
  return Buffer.from(JSON.stringify(frame), 'utf8');
}

/** Sends one frame to every member of `targets` but `except`. */
export function sendToAll(
  targets: BroadcastGroup,
  data: OutboundFrame | Buffer,
  except?: Channel,
  urgency: Urgency = 'now',
): void {
  const frame = data instanceof OutboundFrame ? data : new OutboundFrame(data);
  targets.broadcast(frame, except, urgency);
}

export function broadcastMessage(targets: FanOutTargets, message: ChatMessage): void {
  if (targets.v1.size > 0) sendToAll(targets.v1, encodeFrame({ type: 'message', ...message }));
  if (targets.plain.size > 0) {
    sendToAll(targets.plain, Buffer.from(`${message.from.name}: ${message.text}`, 'utf8'));
  }
}

/** Presence, like typing, may wait a few milliseconds to share a flush (turn-log.ts). */
export function broadcastPresence(
  targets: FanOutTargets,
  change: 'joined' | 'left',
  peer: Peer,
): void {
  if (targets.v1.size > 0) {
    sendToAll(targets.v1, encodeFrame({ type: change, peer }), undefined, 'ephemeral');
  }
  if (targets.plain.size > 0) {
    sendToAll(targets.plain, Buffer.from(`* ${peer.name} ${change}`), undefined, 'ephemeral');
  }
}

/** Typing is parley.v1 only: a plain client has no way to show it. */
export function broadcastTyping(targets: FanOutTargets, peer: Peer, except: Channel): void {
  if (targets.v1.size > 1) {
    sendToAll(targets.v1, encodeFrame({ type: 'typing', peer }), except, 'ephemeral');
  }
}
