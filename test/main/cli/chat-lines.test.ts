import { describe, expect, it } from 'vitest';
import { clock, messageLine, presenceLine, printable } from '../../../main/cli/chat-lines';

const at = (hours: number, minutes: number) => new Date(2024, 0, 2, hours, minutes, 30).getTime();

describe('chat lines', () => {
  it('shows local time as [HH:MM]', () => {
    expect(clock(at(9, 5))).toBe('[09:05]');
    expect(clock(at(23, 59))).toBe('[23:59]');
  });

  it('formats messages and presence', () => {
    const message = {
      seq: 1,
      id: 'x',
      from: { id: 'p', name: 'bob' },
      text: 'hi there',
      ts: at(14, 2),
    };
    expect(messageLine(message)).toBe('[14:02] bob: hi there');
    expect(presenceLine('bob', 'joined', at(14, 3))).toBe('[14:03] * bob joined');
    expect(presenceLine('bob', 'left', at(14, 4))).toBe('[14:04] * bob left');
  });

  it('keeps terminal control sequences from the network out of the terminal', () => {
    expect(printable('red \u001b[31mtext\u0007')).toBe('red \uFFFD[31mtext\uFFFD');
    expect(printable('two\nlines\r\nand\rthree')).toBe('two\n    lines\n    and\n    three');
  });
});
