/**
 * The broadcast path. Each frame is serialised, encoded, framed (and compressed, if any recipient
 * negotiated deflate) once, and that one OutboundFrame is handed to every recipient; nothing here
 * allocates per recipient.
 */
import type { ChatMessage, Peer } from '../../protocol/frames';
import type { Channel } from './channel';
import { OutboundFrame } from './frame-encoding';

/** The sockets that receive broadcasts, split by mode because each mode has its own wire form. */
export interface FanOutTargets {
  readonly v1: ReadonlySet<Channel>;
  readonly plain: ReadonlySet<Channel>;
}

export function encodeFrame(frame: object): Buffer {
  return Buffer.from(JSON.stringify(frame), 'utf8');
}

/** Sends one frame to every target but `except`. */
export function sendToAll(
  targets: ReadonlySet<Channel>,
  data: OutboundFrame | Buffer,
  except?: Channel,
): void {
  const frame = data instanceof OutboundFrame ? data : new OutboundFrame(data);
  // A target dropped as too slow during this loop removes itself from the set; Set iteration
  // tolerates that and skips nobody else.
  for (const target of targets) {
    if (target !== except) target.send(frame);
  }
}

export function broadcastMessage(targets: FanOutTargets, message: ChatMessage): void {
  if (targets.v1.size > 0) sendToAll(targets.v1, encodeFrame({ type: 'message', ...message }));
  if (targets.plain.size > 0) {
    sendToAll(targets.plain, Buffer.from(`${message.from.name}: ${message.text}`, 'utf8'));
  }
}

export function broadcastPresence(
  targets: FanOutTargets,
  change: 'joined' | 'left',
  peer: Peer,
): void {
  if (targets.v1.size > 0) sendToAll(targets.v1, encodeFrame({ type: change, peer }));
  if (targets.plain.size > 0) sendToAll(targets.plain, Buffer.from(`* ${peer.name} ${change}`));
}

/** Typing is parley.v1 only: a plain client has no way to show it. */
export function broadcastTyping(targets: FanOutTargets, peer: Peer, except: Channel): void {
  if (targets.v1.size > 1) sendToAll(targets.v1, encodeFrame({ type: 'typing', peer }), except);
}
