import { describe, expect, it } from 'vitest';
import {
  clock,
  conversationLabel,
  conversationLines,
  entryLine,
  presenceLine,
  printable,
  unreadWords,
} from '../../../main/cli/chat-lines';
import type { ConversationView } from '../../../protocol/bridge';
import type { Entry } from '../../../protocol/wire/entries';

const at = (hours: number, minutes: number) => new Date(2024, 0, 2, hours, minutes, 30).getTime();

describe('chat lines', () => {
  it('shows local time as [HH:MM]', () => {
    expect(clock(at(9, 5))).toBe('[09:05]');
    expect(clock(at(23, 59))).toBe('[23:59]');
  });

  it('formats messages of the current conversation as before, of others with their label', () => {
    const entry: Entry = {
      seq: 1,
      conv: 'general',
      id: 'x',
      from: { id: 'p', name: 'bob' },
      ts: at(14, 2),
      kind: 'text',
      text: 'hi there',
    };
    expect(entryLine(entry)).toBe('[14:02] bob: hi there (#1)');
    expect(entryLine(entry, '#crew')).toBe('[14:02] #crew bob: hi there (#1)');
    expect(entryLine(entry, '@bob')).toBe('[14:02] @bob bob: hi there (#1)');
    expect(entryLine({ ...entry, edited: 5 })).toBe('[14:02] bob (edited): hi there (#1)');
    expect(entryLine({ ...entry, replyTo: 7 })).toBe('[14:02] bob (reply to #7): hi there (#1)');
    expect(entryLine({ ...entry, text: '', deleted: true })).toBe(
      '[14:02] * bob deleted a message (#1)',
    );
  });

  it('shows Markdown as plain text, and each file with its address', () => {
    const entry: Entry = {
      seq: 4,
      conv: 'general',
      id: 'x',
      from: { id: 'p', name: 'bob' },
      ts: at(14, 2),
      kind: 'text',
      text: '**look** at `this` and [the site](https://example.org)',
      files: [
        {
          id: 'ab'.repeat(32),
          name: 'report.pdf',
          size: 1_234_567,
          mime: 'application/pdf',
          url: '/api/files/abab/cap/report.pdf',
        },
      ],
    };
    expect(entryLine(entry, undefined, 'https://10.0.0.2:7420')).toBe(
      '[14:02] bob: look at this and the site (https://example.org) (#4)\n' +
        '    file: report.pdf (1.2 MB) https://10.0.0.2:7420/api/files/abab/cap/report.pdf',
    );
  });

  it('says what other entries mean, and leaves reactions out', () => {
    const base = { seq: 2, conv: 'c_crew', id: 'y', from: { id: 'p', name: 'bob' }, ts: at(9, 0) };
    const by = base.from;
    expect(entryLine({ ...base, kind: 'system', event: 'channel_created', by, name: 'crew' })).toBe(
      '[09:00] * bob created the channel',
    );
    expect(entryLine({ ...base, kind: 'system', event: 'joined_channel', by }, '#crew')).toBe(
      '[09:00] #crew * bob joined the channel',
    );
    expect(entryLine({ ...base, kind: 'system', event: 'left_channel', by })).toBe(
      '[09:00] * bob left the channel',
    );
    expect(entryLine({ ...base, kind: 'system', event: 'topic', by, topic: 'Rota' })).toBe(
      '[09:00] * bob set the topic: Rota',
    );
    expect(entryLine({ ...base, kind: 'system', event: 'topic', by })).toBe(
      '[09:00] * bob cleared the topic',
    );
    expect(entryLine({ ...base, kind: 'edit', target: 1, text: 'fixed' })).toBe(
      '[09:00] * bob edited #1: fixed',
    );
    expect(entryLine({ ...base, kind: 'delete', target: 1 })).toBe('[09:00] * bob deleted #1');
    expect(entryLine({ ...base, kind: 'reaction', target: 1, emoji: '👍', on: true })).toBe(
      undefined,
    );
  });

  it('lists conversations with their unread state, the current one marked', () => {
    const view = (overrides: Partial<ConversationView>): ConversationView => ({
      id: 'general',
      kind: 'channel',
      name: 'general',
      member: true,
      lastSeq: 0,
      readSeq: 0,
      unread: 0,
      mentioned: false,
      muted: false,
      ...overrides,
    });
    // A direct conversation has no name of its own: it shows its peer's.
    const { name: _noName, ...direct } = view({
      id: 'd_x',
      kind: 'direct',
      peer: { id: 'u_b', name: 'bob' },
      unread: 1,
    });
    const views = [
      view({}),
      view({ id: 'c_crew', name: 'crew', unread: 3, mentioned: true, topic: 'Rota' }),
      view({ id: 'c_news', name: 'news', member: false }),
      direct,
    ];
    expect(conversationLines(views, 'c_crew')).toEqual([
      '    #general',
      '  > #crew (3 unread, mentions you) - Rota',
      '    #news (not joined)',
      '    @bob (1 unread)',
    ]);
    expect(conversationLabel(undefined)).toBe('#?');
    expect(unreadWords(view({}))).toBe('');
  });

  it('formats presence', () => {
    expect(presenceLine('bob', 'joined', at(14, 3))).toBe('[14:03] * bob joined');
    expect(presenceLine('bob', 'left', at(14, 4))).toBe('[14:04] * bob left');
  });

  it('keeps terminal control sequences from the network out of the terminal', () => {
    expect(printable('red \u001b[31mtext\u0007')).toBe('red \uFFFD[31mtext\uFFFD');
    expect(printable('two\nlines\r\nand\rthree')).toBe('two\n    lines\n    and\n    three');
  });
});
