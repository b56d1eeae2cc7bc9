/**
 * How a parley.v2 client is shown its conversations: the `conversation` object as one person sees
 * it (its own read marker, whether it is a member), the `conversation` frames that tell people of
 * a change, and `catchup` frames. Frames that differ per person are encoded once per distinct
 * content, not once per recipient.
 */
import type { Conversation as ConversationFields, PeerV2 } from '../../protocol/wire/entries';
import type { Conversation } from './conversations';
import { encodeFrame } from './fan-out';
import { OutboundFrame } from './frame-encoding';
import { catchupEntries, replyBudget, type EntryPage } from './history';
import type { Person, RoomMember, Session } from './people';
import type { Room } from './room';

const NO_READS: ReadonlyMap<string, number> = new Map();

/** The person's read markers, loaded from the store on first use (ephemeral: this session's). */
export function readsOf(room: Room, person: Person): ReadonlyMap<string, number> {
  if (person.reads === undefined) {
    const stored = person.hasIdentity ? Object.entries(room.store.readMarkers(person.id)) : [];
    person.reads = stored.length > 0 ? new Map(stored) : null;
  }
  return person.reads ?? NO_READS;
}

/**
 * Raises the person's read marker of `conv` to `seq`, loading their markers first (else this one
 * would stand in for all of them); false if it was there already.
 */
export function raiseRead(room: Room, person: Person, conv: string, seq: number): boolean {
  if (seq <= (readsOf(room, person).get(conv) ?? 0)) return false;
  (person.reads ??= new Map()).set(conv, seq);
  return true;
}

/** The conversation as `person` sees it. */
export function describeConversation(
  room: Room,
  conversation: Conversation,
  person: Person,
): ConversationFields {
  const readSeq = Math.min(readsOf(room, person).get(conversation.id) ?? 0, conversation.shownSeq);
  const fields: ConversationFields = {
    id: conversation.id,
    kind: conversation.kind,
    lastSeq: conversation.shownSeq,
    readSeq,
  };
  if (conversation.isDirect) {
    fields.members = [...conversation.members].sort().map((id) => memberPeer(room, id));
    return fields;
  }
  if (conversation.name !== undefined) fields.name = conversation.name;
  if (conversation.topic !== undefined) fields.topic = conversation.topic;
  if (conversation.creator !== undefined) fields.creator = conversation.creator;
  fields.member = conversation.hasMember(person.id);
  return fields;
}

/** A member of a direct conversation, named as it is now or was last seen. */
function memberPeer(room: Room, id: string): PeerV2 {
  const name = room.people.get(id)?.name ?? room.store.knownPeer(id)?.name ?? id;
  return { id, name };
}

/** The `conversation` frame of `conversation` for `person`'s eyes. */
export function conversationFrame(
  room: Room,
  conversation: Conversation,
  person: Person,
): OutboundFrame {
  return new OutboundFrame(
    encodeFrame({ type: 'conversation', ...describeConversation(room, conversation, person) }),
  );
}

/** The live parley.v2 sessions of everyone present. */
export function* v2Sessions(room: Room): IterableIterator<Session> {
  for (const person of room.people.all()) {
    for (const session of person.sessions) {
      if (session.member.mode === 'v2' && session.member.channel.isOpen) yield session;
    }
  }
}

/**
 * Tells everyone present (but `except`) about a channel (created, renamed, its topic changed), or
 * both members about a direct conversation: a `conversation` frame to each parley.v2 connection.
 */
export function announceConversation(
  room: Room,
  conversation: Conversation,
  except?: Person,
): void {
  const encoded = new Map<string, OutboundFrame>();
  const recipients = conversation.isDirect
    ? [...conversation.members].flatMap((id) => sessionsOf(room.people.get(id)))
    : v2Sessions(room);
  for (const session of recipients) {
    const { person } = session;
    if (person === except) continue;
    const key = `${conversation.hasMember(person.id)}:${readsOf(room, person).get(conversation.id) ?? 0}`;
    let frame = encoded.get(key);
    if (!frame) encoded.set(key, (frame = conversationFrame(room, conversation, person)));
    session.member.channel.send(frame);
  }
}

function sessionsOf(person: Person | undefined): Session[] {
  if (!person) return [];
  return [...person.sessions].filter((session) => session.member.mode === 'v2');
}

/**
 * A `catchup` of `conversation` for `member`: the entries after `cursor`, or the newest
 * `catchupOnJoin` without one, within `budget` bytes. Returns the bytes it used.
 */
export function sendCatchup(
  room: Room,
  member: RoomMember,
  conversation: Conversation,
  cursor: number | undefined,
  budget: number,
): number {
  const { store, limits } = room;
  const page: EntryPage = catchupEntries(
    store,
    limits,
    budget,
    conversation.id,
    conversation.shownSeq,
    cursor,
  );
  const frame = encodeFrame({
    type: 'catchup',
    conv: conversation.id,
    messages: page.entries,
    gap: page.more,
  });
  member.channel.send(frame);
  return frame.length;
}

/**
 * Starts sending `conversation`'s entries to the person's parley.v2 connections that do not get
 * them yet, each told with a `conversation` frame and a catchup first; `requester`, the connection
 * that asked, gets the `conversation` frame in any case. The asker of a direct conversation is
 * shown it after the other side.
 */
export function showConversation(
  room: Room,
  conversation: Conversation,
  person: Person,
  requester?: RoomMember,
): void {
  const frame = conversationFrame(room, conversation, person);
  let answered = false;
  for (const session of sessionsOf(person)) {
    if (!room.enterAudience(session, conversation)) continue;
    session.member.channel.send(frame);
    sendCatchup(room, session.member, conversation, undefined, replyBudget(room.limits));
    answered ||= session.member === requester;
  }
  if (requester && !answered) requester.channel.send(frame);
}

/** Stops sending `conversation`'s entries to the person's connections, each told with a frame. */
export function hideConversation(
  room: Room,
  conversation: Conversation,
  person: Person,
  requester?: RoomMember,
): void {
  const frame = conversationFrame(room, conversation, person);
  let answered = false;
  for (const session of sessionsOf(person)) {
    if (!room.leaveAudience(session, conversation)) continue;
    session.member.channel.send(frame);
    answered ||= session.member === requester;
  }
  if (requester && !answered) requester.channel.send(frame);
}
