import { describe, expect, it } from 'vitest';
import { buildConversationsTable } from '../../../bench/report/conversations-table';
import { buildTable } from '../../../bench/report/table';
import type { TargetResult } from '../../../bench/results';
import { benchResult, phase, target } from '../fixtures';

/** The conversations case: more messages, each reaching fewer clients, as many deliveries. */
function conversations(): TargetResult {
  const general = target('parley-v2', 1.05);
  const session = general.sessions[0]!;
  session.light = phase({ offeredRate: 124, deliveriesPerSecond: 10_000 });
  session.load = phase({ offeredRate: 1244, serverCpuPerDeliveryUs: 2.1 });
  return general;
}

describe('the conversations table', () => {
  const result = benchResult([target('base', 1), target('parley', 1), conversations()]);

  it('puts the conversations case beside general, with their ratio', () => {
    const table = buildConversationsTable(result)!;
    expect(table.headers).toEqual([
      'measurement',
      'label of parley',
      'label of parley-v2',
      'conversations ÷ general',
    ]);
    const cpu = table.rows.find((row) => row[0] === 'C=1,000, load: server CPU per delivery (µs)');
    expect(cpu).toEqual(['C=1,000, load: server CPU per delivery (µs)', '2.00', '2.10', '×1.05']);
    const offered = table.rows.find((row) => row[0] === 'C=1,000, load: msg/s offered');
    expect(offered?.slice(1)).toEqual(['100', '1,244', '×12.44']);
  });

  it('is left out when the run lacks either case', () => {
    expect(buildConversationsTable(benchResult([target('parley', 1)]))).toBeUndefined();
  });

  it('makes the main table name each target its offered rate when they differ', () => {
    const rows = buildTable(result).rows.map((row) => row[0]);
    expect(rows).toContain('C=1,000, load: msg/s offered');
    expect(rows).toContain('C=1,000, load: p99 latency (ms)');
    expect(rows).not.toContain('C=1,000, 100 msg/s: p99 latency (ms)');
  });
});
