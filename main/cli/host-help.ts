/**
 * `parley host --help`. Each flag that sets a host option is described by the option's schema
 * (main/host/host-options.ts): what it does and its default, so the help cannot drift from what
 * the host does; each protocol limit shows its DEFAULT_LIMITS value.
 */
import { hostOptionDefault, hostOptionDescription } from '../host/host-options';
import { HOST_FLAGS, LIMIT_FLAGS, type HostFlag } from './host-flags';

/** Flags start their text in this column; a longer flag has its text on the next line. */
const TEXT_COLUMN = 20;
const LINE_WIDTH = 80;

export function hostHelp(defaultDataDir: string): string {
  // The command's own defaults, known only when the help is asked for.
  const commandDefaults: Record<string, string> = { data: defaultDataDir };
  const optionLines = HOST_FLAGS.flatMap((flag) =>
    flagLines(usageOf(flag), flagWords(flag, commandDefaults[flag.flag])),
  );
  const limitWidth = Math.max(...LIMIT_FLAGS.map(({ flag }) => flag.length)) + 2;
  const limitLines = LIMIT_FLAGS.map(
    ({ flag, help, defaultValue }) =>
      `  --${flag.padEnd(limitWidth)}${help} (default ${defaultValue})`,
  );
  return `Usage: parley host [options]

Hosts a chat room on this machine; others join with the invite it prints
(\`parley join INVITE\` or the Parley app), or a browser at https://ADDRESS/.

Connections are encrypted (TLS) with this host's own certificate, created on
first use in DIR/tls; its fingerprint is the room's identity: read it out to
people joining so they can check it. Unencrypted ws:// and http:// are
accepted only from this machine, unless --allow-cleartext. Passwords are
never accepted unencrypted from another machine.

Options:
${optionLines.join('\n')}

Protocol limits:
${limitLines.join('\n')}`;
}

function usageOf({ flag, short, value }: HostFlag): string {
  return `${short ? `-${short}, ` : ''}--${flag}${value ? ` ${value}` : ''}`;
}

/**
 * The flag's text as words to wrap: the option's description and default, or the command's own
 * help, then the flag's note. A default stays one word, never split from what it names.
 */
function flagWords(flag: HostFlag, commandDefault: string | undefined): string[] {
  let text = flag.help ?? '';
  let defaultValue: unknown = commandDefault;
  if (flag.option) {
    const description = hostOptionDescription(flag.option) ?? '';
    // A `no-` switch turns off what the option, on by default, does.
    text = flag.flag.startsWith('no-') ? `do not ${description}` : description;
    defaultValue = hostOptionDefault(flag.option);
  }
  const asides: string[][] = [];
  // A switch's default is that it is not given.
  if (defaultValue !== undefined && typeof defaultValue !== 'boolean') {
    asides.push([`default ${String(defaultValue)}`]);
  }
  if (flag.note) asides.push(flag.note.split(' '));
  const words = text.split(' ');
  if (asides.length === 0) return words;
  const aside = asides.flatMap((part, index) =>
    index < asides.length - 1 ? [...part.slice(0, -1), `${part.at(-1)};`] : part,
  );
  aside[0] = `(${aside[0]}`;
  aside[aside.length - 1] = `${aside.at(-1)})`;
  return [...words, ...aside];
}

/** The flag, then its words wrapped within LINE_WIDTH. */
function flagLines(usage: string, words: readonly string[]): string[] {
  const lines: string[] = [];
  const indent = ' '.repeat(TEXT_COLUMN);
  const head = `  ${usage}`;
  let line = head.length < TEXT_COLUMN ? head.padEnd(TEXT_COLUMN) : undefined;
  if (line === undefined) {
    lines.push(head);
    line = indent;
  }
  for (const word of words) {
    if (line.length > TEXT_COLUMN && line.length + 1 + word.length > LINE_WIDTH) {
      lines.push(line);
      line = indent;
    }
    line += line.length > TEXT_COLUMN ? ` ${word}` : word;
  }
  lines.push(line);
  return lines;
}
