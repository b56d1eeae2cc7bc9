import { describe, expect, it } from 'vitest';
import {
  FULL_PLAN,
  TINY_PLAN,
  UiBenchUsageError,
  parseUiBenchArgs,
} from '../../../bench/ui/ui-options';

describe('ui bench options', () => {
  it('runs the full plan by default and writes nothing but the table', () => {
    expect(parseUiBenchArgs([])).toEqual({
      plan: FULL_PLAN,
      modes: ['batched', 'formatted', 'unbatched'],
      tiny: false,
      json: undefined,
      writeDocs: false,
      docs: 'docs/benchmarks.md',
      help: false,
    });
    expect(FULL_PLAN).toEqual({ messages: 10_000, rate: 500, seconds: 5 });
  });

  it('takes the tiny plan, and single values over either plan', () => {
    expect(parseUiBenchArgs(['--tiny']).plan).toEqual(TINY_PLAN);
    const options = parseUiBenchArgs([
      '--tiny',
      '--seconds',
      '2.5',
      '--rate',
      '100',
      '--write-docs',
      '--docs',
      'x.md',
      '--json',
      'r.json',
    ]);
    expect(options.plan).toEqual({ messages: TINY_PLAN.messages, rate: 100, seconds: 2.5 });
    expect(options).toMatchObject({ writeDocs: true, docs: 'x.md', json: 'r.json', tiny: true });
  });

  it('runs only the modes asked for, in their usual order', () => {
    expect(parseUiBenchArgs(['--modes', 'formatted, batched']).modes).toEqual([
      'batched',
      'formatted',
    ]);
    expect(() => parseUiBenchArgs(['--modes', 'batched,fast'])).toThrow(/--modes/);
  });

  it('refuses what it cannot run in time, or cannot read, with a usage error', () => {
    for (const args of [
      ['--messages', '0'],
      ['--messages', '1e9'],
      ['--messages', '2.5'],
      ['--rate', 'fast'],
      ['--seconds', '600'],
      ['--seconds', '-1'],
      ['--json', ''],
      ['--unknown'],
      ['--rate'],
      ['--modes', ''],
    ]) {
      expect(() => parseUiBenchArgs(args), args.join(' ')).toThrow(UiBenchUsageError);
    }
    expect(() => parseUiBenchArgs(['--seconds', '600'])).toThrow(/--seconds/);
  });
});
