/**
 * What a parley.v2 request handler works with: the room, the connection that sent the frame, its
 * session and person; and the checks several handlers share, each answering the client itself
 * when the frame is refused (then it returns undefined or false).
 */
import type { ErrorCode } from '../../protocol/wire/codes';
import type { Conversation } from './conversations';
import type { Person, RoomMember, Session } from './people';
import type { Room } from './room';
import { hasControlCharacters, codePointLength } from '../../protocol/wire/text';

export interface V2Request {
  readonly room: Room;
  readonly member: RoomMember;
  readonly session: Session;
  readonly person: Person;
  /** The frame's client-chosen id, named in every error about it. */
  readonly ref: string | undefined;
}

/** Answers the request with an error that keeps the connection open. */
export function refuse(request: V2Request, code: ErrorCode, message?: string): void {
  request.member.channel.sendError(code, message, request.ref);
}

/** A conversation this person may read (`no_such_conversation` otherwise: it may not exist). */
export function readable(request: V2Request, id: string): Conversation | undefined {
  const conversation = request.room.conversations.get(id);
  if (!conversation || !conversation.readableBy(request.person.id)) {
    refuse(request, 'no_such_conversation');
    return undefined;
  }
  return conversation;
}

/** A conversation this person may post in (`not_member` for a channel it has not joined). */
export function postable(request: V2Request, id: string): Conversation | undefined {
  const conversation = readable(request, id);
  if (conversation && !conversation.hasMember(request.person.id)) {
    refuse(request, 'not_member');
    return undefined;
  }
  return conversation;
}

/** Takes a rate token; `rate_limited` when the person is sending too fast. */
export function withinRate(request: V2Request): boolean {
  if (request.room.takeRateToken(request.person)) return true;
  refuse(request, 'rate_limited');
  return false;
}

/** A topic: at most `max` code points without control characters; empty clears it. */
export function topicProblem(topic: string, max: number): string | undefined {
  if (codePointLength(topic) > max) return `topic must be at most ${max} characters`;
  if (hasControlCharacters(topic)) return 'topic must not contain control characters';
  return undefined;
}

/** The answer when the store refuses a write it cannot make now (nothing was stored). */
export function storeUnavailable(request: V2Request): void {
  refuse(request, 'unavailable');
}
