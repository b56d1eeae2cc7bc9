/**
 * How the terminal shows a room: `[HH:MM] name: text` for messages, `[HH:MM] * name joined` for
 * presence. Times are the host's timestamps in the local time zone.
 */
import type { ChatMessage } from '../../protocol/wire/frames';

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

export function messageLine(message: ChatMessage): string {
  return `${clock(message.ts)} ${printable(message.from.name)}: ${printable(message.text)}`;
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
