import { describe, expect, it } from 'vitest';
import {
  UI_SECTION_END,
  UI_SECTION_START,
  buildUiTable,
  formatRatio,
  formatValue,
  renderText,
  renderUiSection,
  replaceUiSection,
  wrap,
} from '../../../bench/ui/ui-report';
import type { ModeResult, UiBenchResult } from '../../../bench/ui/ui-results';

const frames = {
  frames: 300,
  longestMs: 33.4,
  p95Ms: 16.7,
  medianMs: 16.7,
  dropped: 2,
  droppedPercent: 0.7,
  longFrames: 0,
  longestLongFrameMs: 0,
  blockingMs: 0,
};

function mode(name: ModeResult['mode'], scale: number): ModeResult {
  return {
    mode: name,
    frameIntervalMs: 16.7,
    longFrameSource: 'long-animation-frame',
    load: { messages: 10_000, shownMs: 150 * scale, renders: 2, frames },
    heapAfterLoadMiB: 4.3,
    stream: {
      sent: 2500,
      durationMs: 5000,
      renders: name === 'unbatched' ? 2500 : 250,
      events: 2500,
      backlogAtEnd: 3 * scale,
      catchUpMs: 20 * scale,
      frames: { ...frames, p95Ms: 16.7 * scale },
      peakHeapMiB: 14 * scale,
    },
    heapAfterStreamMiB: 6.9,
    failures: [],
  };
}

const RESULT: UiBenchResult = {
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 21_000,
  command: 'node dist/bench/ui-bench.js --write-docs',
  tiny: false,
  plan: { messages: 10_000, rate: 500, seconds: 5 },
  machine: { cpuModel: 'CPU', cores: 2, node: 'v20', chromium: '156.0', loadAverage: 1 },
  modes: [mode('batched', 1), mode('unbatched', 4), mode('formatted', 2)],
};

describe('ui bench report', () => {
  it('puts the modes side by side with their ratios to the batched plain-text run', () => {
    const rows = buildUiTable(RESULT);
    const byLabel = new Map(rows.map((row) => [row[0], row.slice(1)]));
    expect(byLabel.get('10,000 history messages: newest shown after (ms)')).toEqual([
      '150',
      '600',
      '×4.00',
      '300',
      '×2.00',
    ]);
    expect(byLabel.get('+500 msg/s for 5 s: room renders')).toEqual([
      '250',
      '2,500',
      '×10.00',
      '250',
      '×1.00',
    ]);
    expect(byLabel.get('+500 msg/s for 5 s: long frames (> 50 ms)')).toEqual([
      '0',
      '0',
      '—',
      '0',
      '—',
    ]);
    const text = renderText(rows);
    expect(text.split('\n')[0]).toMatch(/^measurement\s+batched \(as shipped\)\s+unbatched/);
  });

  it('shows a missing mode or number as n/a, never as a made-up ratio', () => {
    const rows = buildUiTable({ ...RESULT, modes: [mode('batched', 1)] });
    expect(rows[0]!.slice(1)).toEqual(['150', 'n/a', '—', 'n/a', '—']);
    expect(formatValue(null)).toBe('n/a');
    expect(formatValue(3.14159)).toBe('3.1');
    expect(formatValue(1234.5)).toBe('1,235');
    expect(formatValue(7, true)).toBe('7');
    expect(formatRatio(10, 0)).toBe('—');
    expect(formatRatio(null, 3)).toBe('—');
    expect(formatRatio(3, 2)).toBe('×1.50');
  });

  it('replaces only its own section of the docs page, or adds it at the end', () => {
    const section = renderUiSection(RESULT);
    expect(section.startsWith(UI_SECTION_START)).toBe(true);
    expect(section.endsWith(UI_SECTION_END)).toBe(true);
    expect(section).toContain('## UI under load');

    const page = `# Benchmarks\n\nintro\n\n${UI_SECTION_START}\nold numbers\n${UI_SECTION_END}\n\n## After\n\nkept\n`;
    const replaced = replaceUiSection(page, section);
    expect(replaced).toBe(`# Benchmarks\n\nintro\n\n${section}\n\n## After\n\nkept\n`);
    expect(replaceUiSection(replaced, section)).toBe(replaced);

    expect(replaceUiSection('# Benchmarks\n\nintro\n\n', section)).toBe(
      `# Benchmarks\n\nintro\n\n${section}\n`,
    );
    expect(replaceUiSection('', section)).toBe(`# Benchmarks\n\n${section}\n`);
    // An end marker before the start marker is not a section: the new one goes at the end.
    const broken = `${UI_SECTION_END}\n${UI_SECTION_START}\n`;
    expect(replaceUiSection(broken, section)).toBe(`${broken.trimEnd()}\n\n${section}\n`);
  });

  it('lists what did not finish under the table', () => {
    const failed = { ...mode('unbatched', 4), failures: ['the page did not finish streaming'] };
    const section = renderUiSection({ ...RESULT, modes: [mode('batched', 1), failed] });
    expect(section).toContain('Parts that did not finish:');
    expect(section).toContain('- unbatched: the page did not finish streaming');
  });

  it('wraps its prose at 100 columns, as the rest of the page is written', () => {
    expect(wrap('aaa bbb ccc', '  ', 7)).toBe('aaa bbb\n  ccc');
    expect(wrap('a-word-longer-than-the-width', '', 5)).toBe('a-word-longer-than-the-width');
    expect(wrap('')).toBe('');
    for (const line of renderUiSection(RESULT).split('\n')) {
      if (!line.startsWith('|')) expect(line.length, line).toBeLessThanOrEqual(100);
    }
  });
});
