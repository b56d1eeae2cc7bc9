/**
 * Writing one entry with its effects (room-store.ts, `append`), inside the commit's transaction:
 * what an edit, delete, reaction or system entry changes is stored atomically with the entry.
 */
import type { Entry } from '../../../protocol/wire/entries';
import { createdChannel } from './conversation-book';
import type { LogStatements } from './sqlite-log-statements';
import type { SideStatements } from './sqlite-side-statements';

/**
 * Told before an effect changes the text entry `conv`/`target` (and, with `purge`, the texts of
 * its edits), so readers can keep seeing the state as it was until the entry is durable.
 */
export type BeforeChange = (conv: string, target: number, purge: boolean) => void;

export function writeEntry(
  log: LogStatements,
  side: SideStatements,
  entry: Entry,
  beforeChange: BeforeChange,
): void {
  switch (entry.kind) {
    case 'text':
      log.insertTextState(log.insertEntry(entry), entry);
      return;
    case 'edit': {
      const target = log.liveTextRow(entry.conv, entry.target);
      if (target === undefined) {
        // Nothing to change: the edit keeps no text, as a deleted target keeps none.
        log.insertEntry(entry, '');
        return;
      }
      beforeChange(entry.conv, entry.target, false);
      log.setText(target, entry.text, entry.ts);
      log.insertEntry(entry);
      return;
    }
    case 'delete': {
      const target = log.liveTextRow(entry.conv, entry.target);
      if (target !== undefined) {
        beforeChange(entry.conv, entry.target, true);
        log.purge(target, entry.conv, entry.target);
      }
      log.insertEntry(entry);
      return;
    }
    case 'reaction': {
      if (log.liveTextRow(entry.conv, entry.target) !== undefined) {
        beforeChange(entry.conv, entry.target, false);
        log.react(entry.conv, entry.target, entry.emoji, entry.from.id, entry.on);
      }
      log.insertEntry(entry);
      return;
    }
    case 'system':
      log.insertEntry(entry);
      switch (entry.event) {
        case 'channel_created':
          side.insertConversation(createdChannel(entry));
          return;
        case 'joined_channel':
          side.addMember(entry.conv, entry.from.id);
          return;
        case 'left_channel':
          side.removeMember(entry.conv, entry.from.id);
          return;
        case 'topic':
          side.setTopic(entry.conv, entry.topic);
          return;
      }
  }
}
