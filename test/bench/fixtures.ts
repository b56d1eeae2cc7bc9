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

type JoinsResult = NonNullable<BenchResult['joins']>;
type AcksResult = NonNullable<BenchResult['acks']>;

function joinRun(
  server: JoinsResult['runs'][number]['server'],
  deflate: boolean,
  held: boolean,
): JoinsResult['runs'][number] {
  const scale = { parley: 1.2, 'parley-v2': 1.1, 'ws-presence': 1 }[server];
  const requested = held ? 19_800 : 10_000;
  return {
    server,
    deflate,
    requested,
    held,
    open: requested,
    failed: 0,
    welcomedMs: 4000 * scale,
    settledMs: 5000 * scale,
    rssPerConnectionKiB: 7 * scale,
    serverCpuMs: 3000 * scale,
    serverWaitMs: 0,
    errors: [],
  };
}

/** Parley 1.2 times `ws` in every join and held measurement, 1.1 times with parley.v2 clients. */
export function joinsResult(): JoinsResult {
  const runs = [false, true].flatMap((deflate) =>
    (['ws-presence', 'parley', 'parley-v2'] as const).map((server) =>
      joinRun(server, deflate, false),
    ),
  );
  runs.push(joinRun('ws-presence', false, true), joinRun('parley', false, true));
  return {
    mode: 'full',
    clients: 10_000,
    held: 19_800,
    openFiles: 20_000,
    machine: benchResult([]).machine,
    runs,
  };
}

/** fdatasync 0.25 ms at p50; SQLite at 2,000 acked msg/s with one in flight. */
export function acksResult(): AcksResult {
  const latency = (p50Ms: number, p99Ms: number) => ({
    count: 1000,
    p50Ms,
    p95Ms: p99Ms,
    p99Ms,
    maxMs: p99Ms,
  });
  return {
    mode: 'full',
    senders: 50,
    steadyPerSecond: 1000,
    machine: benchResult([]).machine,
    fsync: latency(0.25, 0.4),
    plainWs: {
      oneInFlightPerSecond: 12_000,
      oneInFlight: latency(0.08, 0.15),
      oneInFlightCpuUs: 40,
      manySendersPerSecond: 40_000,
      manySenders: latency(0.5, 0.9),
      manySendersCpuUs: 20,
      steadySendersPerSecond: 1000,
      steadySenders: latency(0.2, 0.8),
    },
    plainWsFsync: {
      oneInFlightPerSecond: 2600,
      oneInFlight: latency(0.35, 0.5),
      oneInFlightCpuUs: 90,
      manySendersPerSecond: 30_000,
      manySenders: latency(0.9, 1.3),
      manySendersCpuUs: 25,
      steadySendersPerSecond: 1000,
      steadySenders: latency(0.5, 1.1),
    },
    plainWsFsyncBusy: {
      oneInFlightPerSecond: 2200,
      oneInFlight: latency(0.42, 0.6),
      oneInFlightCpuUs: 130,
      manySendersPerSecond: 12_000,
      manySenders: latency(1.2, 1.8),
      manySendersCpuUs: 70,
      steadySendersPerSecond: 1000,
      steadySenders: latency(0.6, 1.3),
    },
    busyMsPerSay: 0.045,
    memory: {
      oneInFlightPerSecond: 8000,
      oneInFlight: latency(0.12, 0.2),
      oneInFlightCpuUs: 100,
      manySendersPerSecond: 20_000,
      manySenders: latency(0.8, 1.2),
      manySendersCpuUs: 40,
      steadySendersPerSecond: 1000,
      steadySenders: latency(0.3, 0.9),
    },
    sqlite: {
      oneInFlightPerSecond: 2000,
      oneInFlight: latency(0.45, 0.6),
      oneInFlightCpuUs: 180,
      manySendersPerSecond: 15_000,
      manySenders: latency(1.0, 1.4),
      manySendersCpuUs: 50,
      steadySendersPerSecond: 1000,
      steadySenders: latency(0.6, 1.3),
    },
    diskBoundPerSecond: 1000 / (0.25 + 0.125),
    p99CeilingMs: 1.5,
  };
}
