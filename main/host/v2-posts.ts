/**
 * The parley.v2 frames that add an entry to a log with a client-chosen id: `say`, `edit`,
 * `delete`, `react`, `set_topic` and `create_channel`. Each is exactly once by (peer id, id): a
 * retry of an id already used, wherever and by whatever frame, is answered with the original's
 * ack. Then the frame's rules, the rate limit, and the append (entry-log.ts); the store applies
 * the effects of edits, deletions and reactions.
 */
import type { ClientFrameV2Of } from '../../protocol/wire/frames-v2';
import type { FileInfo, TextEntry } from '../../protocol/wire/entries';
import { checkName, codePointLength, describeNameProblem } from '../../protocol/wire/text';
import { Conversation } from './conversations';
import { announceConversation, showConversation } from './conversation-view';
import type { EntryDraft } from './entry-log';
import { filesForSay } from './files/say-files';
import { isSayable, tooLongMessage } from './room';
import { createChannelId } from './tokens';
import {
  postable,
  refuse,
  storeUnavailable,
  topicProblem,
  withinRate,
  type V2Request,
} from './v2-request';

export type PostFrame = ClientFrameV2Of<
  'say' | 'edit' | 'delete' | 'react' | 'set_topic' | 'create_channel'
>;

/** One emoji: an RGI emoji sequence, or one grapheme with an emoji in it (`v` needs Node 20). */
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function isOneEmoji(text: string): boolean {
  if (RGI_EMOJI.test(text)) return true;
  const [first, second] = graphemes.segment(text);
  return first !== undefined && second === undefined && PICTOGRAPHIC.test(text);
}

export function handlePost(request: V2Request, frame: PostFrame): void {
  const { room, member, person } = request;
  if (room.closed) return;
  if (room.log.acknowledgeRetry(member, person.id, frame.id)) return;
  switch (frame.type) {
    case 'say':
      return say(request, frame);
    case 'edit':
    case 'delete':
    case 'react':
      return change(request, frame);
    case 'set_topic':
      return setTopic(request, frame);
    case 'create_channel':
      return createChannel(request, frame);
  }
}

function append(
  request: V2Request,
  conversation: Conversation,
  draft: EntryDraft,
  shown?: () => void,
): boolean {
  const appended = request.room.log.append(conversation, draft, {
    sender: request.member,
    shown,
  });
  if (appended === 'unavailable') storeUnavailable(request);
  return appended === 'appended';
}

function say(request: V2Request, frame: ClientFrameV2Of<'say'>): void {
  const conversation = postable(request, frame.conv);
  if (!conversation) return;
  const { room, person } = request;
  let files: FileInfo[] | undefined;
  if (frame.files && frame.files.length > 0) {
    const found = filesForSay(room.store.fileBook(), person.id, conversation.id, frame.files);
    if ('missing' in found) {
      refuse(request, 'no_such_file', `no finished upload ${found.missing} for ${conversation.id}`);
      return;
    }
    files = found.files;
  }
  const { maxTextLength } = room.limits;
  // A message with files may have no text.
  const textFits = files
    ? codePointLength(frame.text) <= maxTextLength
    : isSayable(frame.text, maxTextLength);
  if (!textFits) {
    refuse(request, 'too_long', tooLongMessage(maxTextLength));
    return;
  }
  if (frame.replyTo !== undefined && !shownText(request, conversation, frame.replyTo)) {
    refuse(request, 'no_such_message', `no message ${frame.replyTo} in ${conversation.id}`);
    return;
  }
  if (!withinRate(request)) return;
  const { replyTo } = frame;
  append(request, conversation, {
    kind: 'text',
    id: frame.id,
    from: person.peer,
    text: frame.text,
    ...(replyTo !== undefined && { replyTo }),
    ...(files !== undefined && { files }),
  });
}

/** `edit`, `delete` and `react`: on a shown text entry; edit and delete by its author only. */
function change(request: V2Request, frame: ClientFrameV2Of<'edit' | 'delete' | 'react'>): void {
  const conversation = postable(request, frame.conv);
  if (!conversation) return;
  const { room, person } = request;
  const target = shownText(request, conversation, frame.target);
  if (!target) {
    refuse(request, 'no_such_message', `no message ${frame.target} in ${conversation.id}`);
    return;
  }
  if (target.deleted) {
    refuse(request, 'not_allowed', 'that message was deleted');
    return;
  }
  if (frame.type !== 'react' && target.from.id !== person.id) {
    refuse(request, 'not_allowed');
    return;
  }
  if (frame.type === 'edit' && !isSayable(frame.text, room.limits.maxTextLength)) {
    refuse(request, 'too_long', tooLongMessage(room.limits.maxTextLength));
    return;
  }
  if (frame.type === 'react' && !isOneEmoji(frame.emoji)) {
    refuse(request, 'bad_message', 'emoji must be one emoji');
    return;
  }
  if (!withinRate(request)) return;
  const base = { id: frame.id, from: person.peer, target: frame.target };
  const draft: EntryDraft =
    frame.type === 'edit'
      ? { ...base, kind: 'edit', text: frame.text }
      : frame.type === 'delete'
        ? { ...base, kind: 'delete' }
        : { ...base, kind: 'reaction', emoji: frame.emoji, on: frame.on };
  append(request, conversation, draft);
}

/** A text entry of the conversation that clients have been shown, in its current state. */
function shownText(
  { room }: V2Request,
  conversation: Conversation,
  seq: number,
): TextEntry | undefined {
  if (seq > conversation.shownSeq) return undefined;
  return room.store.textEntry(conversation.id, seq);
}

function setTopic(request: V2Request, frame: ClientFrameV2Of<'set_topic'>): void {
  const conversation = postable(request, frame.conv);
  if (!conversation) return;
  const { room, person } = request;
  if (conversation.isDirect) {
    refuse(request, 'not_allowed', 'direct conversations have no topic');
    return;
  }
  const problem = topicProblem(frame.topic, room.limits.maxTopicLength);
  if (problem) {
    refuse(request, 'bad_message', problem);
    return;
  }
  if (!withinRate(request)) return;
  const topic = frame.topic === '' ? undefined : frame.topic;
  const draft: EntryDraft = {
    kind: 'system',
    event: 'topic',
    id: frame.id,
    from: person.peer,
    by: person.peer,
    ...(topic !== undefined && { topic }),
  };
  append(request, conversation, draft, () => {
    conversation.topic = topic;
    announceConversation(room, conversation);
  });
}

function createChannel(request: V2Request, frame: ClientFrameV2Of<'create_channel'>): void {
  const { room, person } = request;
  const { limits, conversations } = room;
  const checked = checkName(frame.name, limits.maxNameLength);
  if (!checked.ok) {
    refuse(request, 'bad_name', `${describeNameProblem(checked.problem, limits.maxNameLength)}.`);
    return;
  }
  const name = checked.name;
  if (conversations.channelNamed(name)) {
    refuse(request, 'channel_exists');
    return;
  }
  if (conversations.channelCount >= room.maxChannels) {
    refuse(request, 'not_allowed', `this room holds at most ${room.maxChannels} channels`);
    return;
  }
  const topic = frame.topic === undefined || frame.topic === '' ? undefined : frame.topic;
  const problem = topic === undefined ? undefined : topicProblem(topic, limits.maxTopicLength);
  if (problem) {
    refuse(request, 'bad_message', problem);
    return;
  }
  if (!withinRate(request)) return;
  const channel = new Conversation(
    {
      id: createChannelId(),
      kind: 'channel',
      name,
      ...(topic !== undefined && { topic }),
      creator: person.id,
      members: [person.id],
      lastSeq: 0,
      created: Date.now(),
    },
    0,
  );
  const draft: EntryDraft = {
    kind: 'system',
    event: 'channel_created',
    id: frame.id,
    from: person.peer,
    by: person.peer,
    name,
    ...(topic !== undefined && { topic }),
  };
  // Everyone learns of the channel; the creator's connections get its catchup along.
  const shown = () => {
    const creator = room.people.get(person.id);
    announceConversation(room, channel, creator);
    if (creator) showConversation(room, channel, creator);
  };
  // A log shared by several hosts adds the channel when its entry comes back to show.
  if (append(request, channel, draft, shown) && !room.log.sharedByHosts) conversations.add(channel);
}
