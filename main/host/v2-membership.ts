/**
 * Who takes part where (parley.v2): `join` and `leave` a channel (a `joined_channel` /
 * `left_channel` entry each), `open_direct` (a direct conversation of two identities, created
 * without an entry) and `rename_channel` (by its creator; not an entry). Each is answered with a
 * `conversation` frame; a member's connections get the conversation's entries from the moment its
 * membership is shown, after a catchup.
 */
import type { ClientFrameV2Of } from '../../protocol/wire/frames-v2';
import { directConversationId, IDENTITY_PEER_PREFIX } from '../../protocol/wire/identity';
import { checkName, describeNameProblem } from '../../protocol/wire/text';
import { Conversation } from './conversations';
import {
  announceConversation,
  conversationFrame,
  hideConversation,
  showConversation,
} from './conversation-view';
import { isUnavailable } from './entry-log';
import { isShown } from './room';
import { createMessageId } from './tokens';
import { readable, refuse, storeUnavailable, withinRate, type V2Request } from './v2-request';

/** The channel a `join` or `leave` may change; refuses anything else (decision 7). */
function channelFor(request: V2Request, id: string): Conversation | undefined {
  const conversation = readable(request, id);
  if (!conversation) return undefined;
  if (conversation.isDirect) {
    refuse(request, 'not_allowed', 'a direct conversation is not joined or left');
    return undefined;
  }
  if (!isShown(conversation)) {
    refuse(request, 'no_such_conversation');
    return undefined;
  }
  return conversation;
}

function answer(request: V2Request, conversation: Conversation): void {
  request.member.channel.send(conversationFrame(request.room, conversation, request.person));
}

export function join(request: V2Request, frame: ClientFrameV2Of<'join'>): void {
  const channel = channelFor(request, frame.conv);
  if (!channel) return;
  const { room, person, member } = request;
  if (channel.hasMember(person.id)) {
    answer(request, channel);
    return;
  }
  if (room.closed || !withinRate(request)) return;
  const appended = room.log.append(
    channel,
    {
      kind: 'system',
      event: 'joined_channel',
      id: createMessageId(),
      from: person.peer,
      by: person.peer,
    },
    { shown: () => showConversation(room, channel, person, member), requester: member },
  );
  // A log shared by several hosts changes the membership when the entry comes back to show.
  if (appended === 'unavailable') storeUnavailable(request);
  else if (!room.log.sharedByHosts) room.conversations.addMember(channel, person.id);
}

export function leave(request: V2Request, frame: ClientFrameV2Of<'leave'>): void {
  const channel = channelFor(request, frame.conv);
  if (!channel) return;
  const { room, person, member } = request;
  if (channel.isGeneral) {
    refuse(request, 'not_allowed', 'everyone stays in general');
    return;
  }
  if (!channel.hasMember(person.id)) {
    answer(request, channel);
    return;
  }
  if (room.closed || !withinRate(request)) return;
  const appended = room.log.append(
    channel,
    {
      kind: 'system',
      event: 'left_channel',
      id: createMessageId(),
      from: person.peer,
      by: person.peer,
    },
    { shown: () => hideConversation(room, channel, person, member), requester: member },
  );
  if (appended === 'unavailable') storeUnavailable(request);
  else if (!room.log.sharedByHosts) room.conversations.removeMember(channel, person.id);
}

export function openDirect(request: V2Request, frame: ClientFrameV2Of<'open_direct'>): void {
  const { room, person, member } = request;
  if (frame.peer === person.id) {
    refuse(request, 'bad_message', 'a direct conversation needs someone else');
    return;
  }
  const present = room.people.get(frame.peer);
  const known = frame.peer.startsWith(IDENTITY_PEER_PREFIX)
    ? (present?.peer ?? room.store.knownPeer(frame.peer))
    : undefined;
  if (!person.hasIdentity || !known || present?.hasIdentity === false) {
    refuse(request, 'no_identity');
    return;
  }
  const id = directConversationId(person.id, frame.peer);
  const existing = room.conversations.get(id);
  if (existing) {
    answer(request, existing);
    return;
  }
  if (room.closed) return;
  const other = { id: known.id, name: known.name };
  try {
    room.store.ensureDirect(id, [{ id: person.id, name: person.name }, other]);
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    storeUnavailable(request);
    return;
  }
  const direct = new Conversation(
    { id, kind: 'direct', members: [person.id, other.id], lastSeq: 0, created: Date.now() },
    0,
  );
  room.conversations.add(direct);
  if (present) showConversation(room, direct, present);
  showConversation(room, direct, person, member);
}

export function renameChannel(request: V2Request, frame: ClientFrameV2Of<'rename_channel'>): void {
  const conversation = readable(request, frame.conv);
  if (!conversation) return;
  const { room, person } = request;
  const { limits, conversations } = room;
  if (!isShown(conversation)) {
    refuse(request, 'no_such_conversation');
    return;
  }
  if (conversation.isDirect || conversation.isGeneral || conversation.creator !== person.id) {
    refuse(request, 'not_allowed', 'only the creator of a channel renames it');
    return;
  }
  const checked = checkName(frame.name, limits.maxNameLength);
  if (!checked.ok) {
    refuse(request, 'bad_name', `${describeNameProblem(checked.problem, limits.maxNameLength)}.`);
    return;
  }
  const holder = conversations.channelNamed(checked.name);
  if (holder && holder !== conversation) {
    refuse(request, 'channel_exists');
    return;
  }
  if (room.closed || !withinRate(request)) return;
  try {
    room.store.renameChannel(conversation.id, checked.name);
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    storeUnavailable(request);
    return;
  }
  conversations.rename(conversation, checked.name);
  announceConversation(room, conversation);
}
