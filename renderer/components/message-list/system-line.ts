/** What the message list says of its rows beyond messages: system lines, and where it starts. */
import type { SystemEntry } from '../../../protocol/wire/entries';
import type { TimelineRow } from '../../timeline';

/** The seq of the first entry among `rows` (a message or a system line), if any. */
export function firstSeq(rows: TimelineRow[]): number | undefined {
  for (const row of rows) {
    if (row.kind === 'message') return row.message.seq;
    if (row.kind === 'event') return row.entry.seq;
  }
  return undefined;
}

/** What a system entry says after the name of who did it: `joined #design`. */
export function systemLine(entry: SystemEntry, conversationName: string): string {
  const channel = entry.name ? `#${entry.name}` : conversationName || 'the channel';
  switch (entry.event) {
    case 'channel_created':
      return `created ${channel}`;
    case 'joined_channel':
      return `joined ${channel}`;
    case 'left_channel':
      return `left ${channel}`;
    case 'topic':
      return entry.topic ? `set the topic: ${entry.topic}` : 'cleared the topic';
  }
}
