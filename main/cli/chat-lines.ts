/**
 * How the terminal shows a room: `[HH:MM] name: text` for messages of the conversation the
 * person is in, `[HH:MM] #chan name: text` (or `@name` for a direct conversation) for the others,
 * `[HH:MM] * name joined` for presence and notes. Times are the host's timestamps in the local
 * time zone. A message ends with its seq (`(#12)`), which /reply, /edit, /delete and /react
 * name; its Markdown shows as plain text, and each file it carries on a line of its own with the
 * address `parley get` takes.
 */
import type { ConversationView } from '../../protocol/bridge';
import type { Entry, FileInfo } from '../../protocol/wire/entries';
import { plainText } from './plain-text';

export function clock(ms: number): string {
  const time = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `[${pad(time.getHours())}:${pad(time.getMinutes())}]`;
}

// Control characters in someone else's text could move the cursor or recolour the terminal.
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;

/** Makes text from the network safe to print; a line break inside a message stays readable. */
export function printable(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, '\n    ')
    .replace(CONTROL, (char) => (char === '\n' ? char : '\uFFFD'));
}

/** What a conversation is called at the terminal: `#name` for a channel, `@name` for a person. */
export function conversationLabel(view: ConversationView | undefined): string {
  if (!view) return '#?';
  if (view.kind === 'direct') return `@${printable(view.peer?.name ?? '?')}`;
  return `#${printable(view.name ?? view.id)}`;
}

/**
 * The line of an entry, or undefined for one not worth a line (a reaction). `label` (the
 * conversation's) is given for conversations other than the one the person is in; `origin` (the
 * room's `https://host:port`) makes file addresses whole.
 */
export function entryLine(entry: Entry, label?: string, origin = ''): string | undefined {
  const where = label === undefined ? '' : `${label} `;
  const who = printable(entry.from.name);
  const at = clock(entry.ts);
  switch (entry.kind) {
    case 'text': {
      if (entry.deleted) return `${at} ${where}* ${who} deleted a message (#${entry.seq})`;
      const reply = entry.replyTo === undefined ? '' : ` (reply to #${entry.replyTo})`;
      const edited = entry.edited ? ' (edited)' : '';
      const words = printable(plainText(entry.text));
      const files = (entry.files ?? []).map((file) => `\n    ${fileWords(file, origin)}`);
      const body = words === '' ? '' : `${words} `;
      return `${at} ${where}${who}${reply}${edited}: ${body}(#${entry.seq})${files.join('')}`;
    }
    case 'edit':
      return `${at} ${where}* ${who} edited #${entry.target}: ${printable(plainText(entry.text))}`;
    case 'delete':
      return `${at} ${where}* ${who} deleted #${entry.target}`;
    case 'reaction':
      return undefined;
    case 'system':
      return `${at} ${where}* ${systemWords(entry, who)}`;
  }
}

/** `file: report.pdf (1.2 MB) https://host:port/api/files/...` */
export function fileWords(file: FileInfo, origin = ''): string {
  return `file: ${printable(file.name)} (${sizeWords(file.size)}) ${origin}${file.url}`;
}

/** A byte count as people read it: `512 B`, `1.2 kB`, `3.4 MB`, `1.1 GB`. */
export function sizeWords(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TB'}`;
}

function systemWords(entry: Extract<Entry, { kind: 'system' }>, who: string): string {
  switch (entry.event) {
    case 'channel_created':
      return `${who} created the channel`;
    case 'joined_channel':
      return `${who} joined the channel`;
    case 'left_channel':
      return `${who} left the channel`;
    case 'topic':
      return entry.topic
        ? `${who} set the topic: ${printable(entry.topic)}`
        : `${who} cleared the topic`;
  }
}

export function presenceLine(
  name: string,
  what: 'joined' | 'left',
  at: number = Date.now(),
): string {
  return `${clock(at)} * ${printable(name)} ${what}`;
}

/** A note from the client itself (reconnecting, errors), marked so it is not mistaken for chat. */
export function noteLine(text: string, at: number = Date.now()): string {
  return `${clock(at)} * ${text}`;
}

/** What a conversation's unread state says, e.g. ` (3 unread, mentions you)`; '' when read. */
export function unreadWords(view: ConversationView): string {
  const parts = [
    ...(view.member ? [] : ['not joined']),
    ...(view.unread > 0 ? [`${view.unread} unread`] : []),
    ...(view.mentioned ? ['mentions you'] : []),
  ];
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The /channels list: one line per conversation, the current one marked with `>`. */
export function conversationLines(views: readonly ConversationView[], current: string): string[] {
  return views.map(
    (view) =>
      `  ${view.id === current ? '>' : ' '} ${conversationLabel(view)}${unreadWords(view)}${
        view.topic ? ` - ${printable(view.topic)}` : ''
      }`,
  );
}
