/**
 * The parley.v2 `hello`, once its password has passed the password gate: who the client is (the
 * peer id of its identity, or the ephemeral peer of its resume token, or a new ephemeral one), its
 * name (a present identity connecting again with another name is renamed), its session (a resume
 * token of a live session takes that session over), then the welcome and a catchup for every
 * conversation it is a member of.
 */
import type { PeerV2 } from '../../protocol/wire/entries';
import type { ClientFrameV2Of, WelcomeV2Frame } from '../../protocol/wire/frames-v2';
import { IDENTITY_PEER_PREFIX, peerIdOf } from '../../protocol/wire/identity';
import { PROTOCOL_VERSION_2 } from '../../protocol/wire/limits';
import { checkName, describeNameProblem } from '../../protocol/wire/text';
import { admitThen, type Admission } from './admission';
import type { HostContext } from './context';
import type { Conversation } from './conversations';
import { describeConversation, readsOf, sendCatchup } from './conversation-view';
import { OutboundFrame } from './frame-encoding';
import { replyBudget } from './history';
import type { Person, RoomMember, Session } from './people';
import { isShown, type Room } from './room';
import { createPeerId, createToken, hashToken } from './tokens';

type HelloV2 = ClientFrameV2Of<'hello'>;

const WELCOME_TAIL = Buffer.from(']}');

interface Resumed {
  token: string;
  tokenHash: string;
  peer: PeerV2;
}

/**
 * Answers a hello on `member`'s connection. Returns true once the member is in the room; false
 * after `bad_name` (the client may send another hello) or a closing error. In a room several
 * hosts share, the answer waits for the shared room to admit the session (admission.ts).
 */
export function answerHelloV2(
  member: RoomMember,
  frame: HelloV2,
  context: HostContext,
  ref: string | undefined,
): boolean | Promise<boolean> {
  const admission = context.room.scaleOut?.admission;
  if (!admission) return helloV2(member, frame, context, ref, undefined);
  return admission
    .knowSession(frame.resume?.token)
    .then(() => member.channel.isOpen && helloV2(member, frame, context, ref, admission));
}

function helloV2(
  member: RoomMember,
  frame: HelloV2,
  context: HostContext,
  ref: string | undefined,
  admission: Admission | undefined,
): boolean | Promise<boolean> {
  const { room, store, limits } = context;
  const identityId = frame.identity === undefined ? undefined : peerIdOf(frame.identity);
  const resumed = resumedSession(context, frame, identityId);
  const checked = checkName(frame.name, limits.maxNameLength);
  if (!checked.ok) {
    const message = describeNameProblem(checked.problem, limits.maxNameLength);
    member.channel.sendError('bad_name', `${message}.`, ref);
    return false;
  }
  const name = checked.name;
  const peerId = identityId ?? resumed?.peer.id ?? createPeerId();
  const holder = room.people.nameHolder(name);
  if (holder !== undefined && holder !== peerId) {
    member.channel.fail('name_taken', undefined, ref);
    return false;
  }

  const peer: PeerV2 = identityId ? { id: peerId, name } : { id: peerId, name, ephemeral: true };
  const token = resumed?.token ?? createToken();
  const tokenHash = resumed?.tokenHash ?? hashToken(token);
  return admitThen(admission, member, peer, tokenHash, ref, () => {
    // Saved again on a resume: the session now goes by this name.
    store.saveSession(tokenHash, peer);
    if (identityId) store.rememberPeer({ id: peerId, name });
    const present = room.people.get(peerId);
    if (present && present.name !== name) room.rename(present, name);

    // Cursors are this client's own view of the room: trusted with its token or its identity.
    const cursors = resumed || identityId ? frame.resume?.cursors : undefined;
    const greet = (session: Session) => sendWelcome(member, context, session, token, cursors);
    const live = room.people.sessionOf(tokenHash);
    if (live) room.takeOver(live, member, greet);
    else room.enter(member, peer, tokenHash, greet);
    return true;
  });
}

/**
 * The session a resume token names, when it may be resumed by this hello: an identity's session
 * only with that identity, an ephemeral one only without any (a fresh session otherwise).
 */
function resumedSession(
  { store }: HostContext,
  frame: HelloV2,
  identityId: string | undefined,
): Resumed | undefined {
  if (!frame.resume) return undefined;
  const tokenHash = hashToken(frame.resume.token);
  const peer = store.findSession(tokenHash);
  if (!peer) return undefined;
  const ofIdentity = peer.id.startsWith(IDENTITY_PEER_PREFIX);
  const matches = identityId === undefined ? !ofIdentity : peer.id === identityId;
  return matches ? { token: frame.resume.token, tokenHash, peer } : undefined;
}

/**
 * The conversations a person is shown, in welcome order: `general`, the channels by name, then
 * its direct conversations by the other member's name.
 */
export function conversationsShownTo(room: Room, person: Person): Conversation[] {
  const { conversations } = room;
  const channels = [...conversations.channels()]
    .filter((channel) => !channel.isGeneral && isShown(channel))
    .sort((a, b) => byKey(a.name ?? '', b.name ?? '') || byKey(a.id, b.id));
  const otherName = (direct: Conversation) => {
    const other = [...direct.members].find((id) => id !== person.id) ?? person.id;
    return room.people.get(other)?.name ?? room.store.knownPeer(other)?.name ?? other;
  };
  const directs = [...conversations.memberOf(person.id)]
    .filter((conversation) => conversation.isDirect)
    .map((direct) => ({ direct, name: otherName(direct) }))
    .sort((a, b) => byKey(a.name, b.name) || byKey(a.direct.id, b.direct.id))
    .map(({ direct }) => direct);
  return [conversations.general, ...channels, ...directs];
}

function byKey(a: string, b: string): number {
  const [left, right] = [a.normalize('NFC').toLowerCase(), b.normalize('NFC').toLowerCase()];
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The welcome, then a catchup for every conversation the person is a member of. */
function sendWelcome(
  member: RoomMember,
  { room, limits }: HostContext,
  session: Session,
  token: string,
  cursors: Record<string, number> | undefined,
): void {
  const { person } = session;
  readsOf(room, person);
  const shown = conversationsShownTo(room, person);
  const welcome: Omit<WelcomeV2Frame, 'peers'> = {
    type: 'welcome',
    protocol: PROTOCOL_VERSION_2,
    room: room.info,
    self: person.peer,
    token,
    peerCount: room.people.size,
    conversations: shown.map((conversation) => describeConversation(room, conversation, person)),
  };
  // The peer list is the room's shared encoding, framed as a part of its own (as in hello.ts).
  const json = JSON.stringify(welcome);
  const head = Buffer.from(`${json.slice(0, -1)},"peers":[`, 'utf8');
  const peers = room.people.sorted.welcomeItemsBytes(limits.welcomePeersMax);
  member.channel.send(new OutboundFrame([head, peers, WELCOME_TAIL]));
  // One budget for all the catchups: together they never push the client past its backlog.
  let budget = replyBudget(limits);
  for (const conversation of shown) {
    if (!conversation.hasMember(person.id)) continue;
    const used = sendCatchup(room, member, conversation, cursors?.[conversation.id], budget);
    budget = Math.max(0, budget - used);
  }
}
