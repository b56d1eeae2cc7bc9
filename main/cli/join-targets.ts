/**
 * Finding what the person names at the terminal: a channel (`#name`, any case) or a person
 * (`@name` or just the name) whose direct conversation to open. People are looked up among those
 * the session knows, then page by page from the host (a room may list only its first 1,000).
 */
import type { ConversationView } from '../../protocol/bridge';
import type { ClientSession } from '../../protocol/client/client-session';
import type { PeerV2 } from '../../protocol/wire/entries';
import { nameKey } from '../../protocol/wire/text';

/** Most pages of people asked for while looking one up. */
const MAX_PEER_PAGES = 50;

export type TargetSession = Pick<
  ClientSession,
  | 'peers'
  | 'peerCount'
  | 'self'
  | 'morePeers'
  | 'channelNamed'
  | 'conversations'
  | 'joinChannel'
  | 'createChannel'
  | 'openDirect'
>;

/** A target that is not there, in a sentence fit to print. */
export class TargetProblem extends Error {
  override readonly name = 'TargetProblem';
}

/** The person called `name` (without `@`, any case) in the room, if anyone is. */
export async function findPeer(session: TargetSession, name: string): Promise<PeerV2 | undefined> {
  const key = nameKey(name.replace(/^@/, '').trim());
  const known = session.peers.find((peer) => nameKey(peer.name) === key);
  if (known || session.peers.length >= session.peerCount) return known;
  let after: string | undefined;
  for (let page = 0; page < MAX_PEER_PAGES; page++) {
    const { peers, more } = await session.morePeers(after);
    const found = peers.find((peer) => nameKey(peer.name) === key);
    if (found) return found;
    if (!more || peers.length === 0) return undefined;
    after = peers.at(-1)?.name;
  }
  return undefined;
}

/** The direct conversation with the person called `name`, opened if needed. */
export async function directWith(session: TargetSession, name: string): Promise<ConversationView> {
  const peer = await findPeer(session, name);
  const bare = name.replace(/^@/, '');
  if (!peer) throw new TargetProblem(`nobody called ${bare} is in the room`);
  if (peer.id === session.self?.id) throw new TargetProblem('that is you');
  return session.openDirect(peer.id);
}

/**
 * The channel `#name`, joined if need be; with `create`, made when there is none (as /join
 * does). Without `create`, a channel that is not there is a TargetProblem.
 */
export async function channel(
  session: TargetSession,
  name: string,
  create = false,
): Promise<ConversationView> {
  const bare = name.replace(/^#/, '').trim();
  const known = session.channelNamed(bare);
  if (known) return known.member ? known : session.joinChannel(known.id);
  if (!create) throw new TargetProblem(`there is no channel #${bare} in this room`);
  return session.createChannel(bare);
}

/** `#name` is a channel, anything else (`@name`, `name`) a person. */
export function conversationNamed(session: TargetSession, spec: string): Promise<ConversationView> {
  return spec.startsWith('#') ? channel(session, spec) : directWith(session, spec);
}
