/**
 * Typing indicators of one conversation: who, and until when. Immutable maps, so a state holding
 * one changes identity when it changes.
 */
import type { PeerV2 } from '../protocol/wire/entries';

/**
 * A typing indicator disappears this long after the last `typing` from that peer: about 3 s, with
 * room for the client session's own 3 s throttle plus the network, so steady typing never flickers.
 */
export const TYPING_EXPIRY_MS = 3500;

/** Peer id to that peer and the time its typing indicator expires. */
export type TypingMap = ReadonlyMap<string, { peer: PeerV2; until: number }>;

/** What the typing selectors read: anything with a typing map (a peer list is given only that). */
type TypingSource = { typing: TypingMap };

/** The peers whose typing indicator shows at `now`. */
export function activeTypers({ typing }: TypingSource, now: number): PeerV2[] {
  const peers: PeerV2[] = [];
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

export function withTyper(typing: TypingMap, peer: PeerV2, until: number): TypingMap {
  const next = new Map(typing);
  next.set(peer.id, { peer, until });
  return next;
}

/** `typing` without these peers; `typing` itself when none of them was typing. */
export function clearTypers(typing: TypingMap, peerIds: readonly string[]): TypingMap {
  if (typing.size === 0 || !peerIds.some((id) => typing.has(id))) return typing;
  const next = new Map(typing);
  for (const id of peerIds) next.delete(id);
  return next;
}
