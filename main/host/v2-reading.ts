/**
 * The parley.v2 frames that add nothing to a log: read markers, typing, history pages, pages of
 * people, and search.
 */
import type { ClientFrameV2Of } from '../../protocol/wire/frames-v2';
import { raiseRead } from './conversation-view';
import { encodeFrame } from './fan-out';
import { entryPage, replyBudget } from './history';
import { parseSearchQuery } from './store/search-query';
import { readable, refuse, type V2Request } from './v2-request';

/**
 * `read {conv, seq}`: clamped to what the conversation shows, never lowered; stored for an
 * identity (an ephemeral peer's live as long as it does), and echoed to the person's other
 * connections.
 */
export function markRead(request: V2Request, frame: ClientFrameV2Of<'read'>): void {
  const conversation = readable(request, frame.conv);
  if (!conversation) return;
  const { room, person, member } = request;
  const seq = Math.min(frame.seq, conversation.shownSeq);
  if (!raiseRead(room, person, conversation.id, seq)) return;
  if (person.hasIdentity) room.store.saveRead(person.id, conversation.id, seq);
  const echo = encodeFrame({ type: 'read', conv: conversation.id, seq });
  for (const other of person.members()) {
    if (other !== member && other.mode === 'v2') other.channel.send(echo);
  }
}

/** `typing {conv}`: relayed for members; a reader of a channel it has not joined is ignored. */
export function typing(request: V2Request, frame: ClientFrameV2Of<'typing'>): void {
  const conversation = readable(request, frame.conv);
  if (!conversation || !conversation.hasMember(request.person.id)) return;
  request.room.relayTyping(request.session, conversation);
}

/** `history {conv, before, limit}`: a page of any conversation the person may read. */
export function history(request: V2Request, frame: ClientFrameV2Of<'history'>): void {
  const conversation = readable(request, frame.conv);
  if (!conversation) return;
  const { room, member } = request;
  const page = entryPage(
    room.store,
    replyBudget(room.limits),
    conversation.id,
    conversation.shownSeq,
    frame.before,
    frame.limit,
  );
  member.channel.send(
    encodeFrame({
      type: 'history',
      conv: conversation.id,
      messages: page.entries,
      more: page.more,
    }),
  );
}

/** `peers {after, limit}`: the next page of the people present, by name. */
export function peers(request: V2Request, frame: ClientFrameV2Of<'peers'>): void {
  const page = request.room.people.sorted.page(frame.after, frame.limit);
  request.member.channel.send(encodeFrame({ type: 'peers', ...page }));
}

/**
 * `search {q, conv?, limit}`: the newest matches among what the person may read (`conv` narrows
 * it to one conversation it may read), as far as clients have been shown them.
 */
export function search(request: V2Request, frame: ClientFrameV2Of<'search'>): void {
  const query = parseSearchQuery(frame.q);
  if (!query) {
    refuse(request, 'bad_message', 'the search has no words to look for');
    return;
  }
  if (frame.conv !== undefined && !readable(request, frame.conv)) return;
  const { room, person, member } = request;
  const scope = frame.conv === undefined ? {} : { conv: frame.conv };
  const hits = room.store
    .search(query, { reader: person.id, ...scope }, frame.limit)
    .filter((hit) => hit.seq <= (room.conversations.get(hit.conv)?.shownSeq ?? 0));
  member.channel.send(encodeFrame({ type: 'search_results', q: frame.q, hits }));
}
