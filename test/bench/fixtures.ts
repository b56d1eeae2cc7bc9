/** Result objects for report and ramp tests: plausible numbers, overridable per test. */
import type {
  BenchResult,
  ConnectionsResult,
  MeasuredPhase,
  TargetResult,
} from '../../bench/results';

export function phase(overrides: Partial<MeasuredPhase> = {}): MeasuredPhase {
  return {
    phase: 1,
    offeredRate: 100,
    senders: 25,
    receivers: 1000,
    sent: 500,
    windowMs: 5000,
    windowDeliveries: 500_000,
    deliveriesPerSecond: 100_000,
    latency: { count: 500_000, p50Ms: 2, p95Ms: 5, p99Ms: 8, maxMs: 20 },
    lost: 0,
    duplicates: 0,
    errorFrames: {},
    droppedClients: 0,
    drained: true,
    drainMs: 10,
    generatorCpu: 0.4,
    generatorCpuWait: 0.01,
    serverCpuMs: 1000,
    serverCpuPerDeliveryUs: 2,
    serverCpuShare: 0.2,
    serverCpuWait: 0.02,
    ...overrides,
  };
}

export function connections(overrides: Partial<ConnectionsResult> = {}): ConnectionsResult {
  return {
    requested: 1000,
    open: 1000,
    failed: 0,
    connectMs: 900,
    rssPerConnectionKiB: 10,
    serverRssKiB: 60_000,
    settled: true,
    errors: [],
    ...overrides,
  };
}

export function target(name: string, scale: number): TargetResult {
  return {
    name,
    label: `label of ${name}`,
    sessions: [
      {
        clients: 1000,
        connections: connections({ rssPerConnectionKiB: 10 * scale }),
        light: phase({
          offeredRate: 10,
          latency: { count: 10, p50Ms: 1 * scale, p95Ms: 2, p99Ms: 3 * scale, maxMs: 4 },
        }),
        load: phase({ serverCpuPerDeliveryUs: 2 * scale, deliveriesPerSecond: 100_000 / scale }),
        ramp: {
          steps: [phase({ offeredRate: 400 / scale })],
          best: phase({ offeredRate: 400 / scale, deliveriesPerSecond: 400_000 / scale }),
          stoppedBecause: 'test',
        },
      },
    ],
    hold: connections({ requested: 10_000, open: 10_000, rssPerConnectionKiB: 8 * scale }),
    failures: [],
  };
}

export function benchResult(targets: TargetResult[]): BenchResult {
  return {
    mode: 'full',
    command: 'npm run bench -- --write-docs',
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 480_000,
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      node: 'v20.0.0',
      os: 'Linux 6',
      memoryGiB: 8,
      loadAverage: 0.1,
    },
    baseline: 'base',
    notes: ['a note'],
    targets,
  };
}
