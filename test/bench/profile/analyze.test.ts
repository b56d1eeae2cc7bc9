import { describe, expect, it } from 'vitest';
import { areaOf, summarizeProfile, type CpuProfile } from '../../../bench/profile/analyze';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

/**
 * (root) -> onMessage (main/host/room.ts) -> send (ws) -> writev (node internals)
 *        -> (garbage collector), (idle)
 * Each sample is 1000 µs.
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    {
      id: 2,
      callFrame: frame('onMessage', 'file:///work/main/main/host/room.ts', 9),
      children: [3],
    },
    {
      id: 3,
      callFrame: frame('send', 'file:///work/main/node_modules/ws/lib/websocket.js', 40),
      children: [4],
    },
    { id: 4, callFrame: frame('writev', 'node:internal/stream_base_commons', 1) },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('(idle)') },
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [2, 3, 4, 4, 4, 5, 6, 6, 6, 6],
  timeDeltas: Array.from({ length: 10 }, () => 1000),
};

describe('summarizeProfile', () => {
  const summary = summarizeProfile(profile, { root: '/work/main' });
  const fn = (name: string) => summary.functions.find((f) => f.name.startsWith(`${name} `))!;

  it('separates busy time from idle time', () => {
    expect(summary.wallMs).toBe(10);
    expect(summary.busyMs).toBe(6);
  });

  it('gives each function its self and inclusive time', () => {
    expect(fn('onMessage')).toMatchObject({ selfMs: 1, totalMs: 5, area: 'main/host/room.ts' });
    expect(fn('send')).toMatchObject({ selfMs: 1, totalMs: 4, area: 'ws' });
    expect(fn('writev')).toMatchObject({ selfMs: 3, totalMs: 3, area: 'node internals' });
  });

  it('adds self time up per area, busiest first, without idle', () => {
    expect(summary.areas).toEqual([
      { area: 'node internals', selfMs: 3 },
      { area: 'main/host/room.ts', selfMs: 1 },
      { area: 'ws', selfMs: 1 },
      { area: '(garbage collector)', selfMs: 1 },
    ]);
  });

  it('counts a recursive function once per stack', () => {
    const recursive: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2] },
        { id: 2, callFrame: frame('walk', 'file:///x/main/a.ts'), children: [3] },
        { id: 3, callFrame: frame('walk', 'file:///x/main/a.ts') },
      ],
      startTime: 0,
      endTime: 2000,
      samples: [2, 3],
      timeDeltas: [1000, 1000],
    };
    const walk = summarizeProfile(recursive, { root: '/x' }).functions.find((f) =>
      f.name.startsWith('walk'),
    )!;
    expect(walk.totalMs).toBe(2);
    expect(walk.selfMs).toBe(2);
  });
});

describe('summarizeProfile with a resolver', () => {
  it('attributes bundle frames to the source files the resolver names', () => {
    const bundled: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2] },
        {
          id: 2,
          callFrame: frame('broadcast', 'file:///r/dist/bench/children/parley-server.js', 500),
        },
      ],
      startTime: 0,
      endTime: 1000,
      samples: [2],
      timeDeltas: [1000],
    };
    const summary = summarizeProfile(bundled, {
      root: '/r',
      resolve: () => ({ url: 'file:///r/main/host/fan-out.ts', lineNumber: 19 }),
    });
    expect(summary.areas).toEqual([{ area: 'main/host/fan-out.ts', selfMs: 1 }]);
    expect(summary.functions.map((f) => f.name)).toContain('broadcast main/host/fan-out.ts:20');
  });
});

describe('areaOf', () => {
  it('names packages, Parley files, Node internals and V8 pseudo-frames', () => {
    expect(areaOf('file:///r/node_modules/@scope/pkg/x.js', 'f')).toBe('@scope/pkg');
    expect(areaOf('file:///r/node_modules/libsql/index.js', 'f')).toBe('libsql');
    expect(areaOf('file:///work/main/protocol/wire/frames.ts', 'f', '/work/main')).toBe(
      'protocol/wire/frames.ts',
    );
    expect(areaOf('file:///elsewhere/x.js', 'f', '/work/main')).toBe('/elsewhere/x.js');
    expect(areaOf('node:events', 'emit')).toBe('node internals');
    expect(areaOf('', '(program)')).toBe('(program)');
    expect(areaOf('', 'writeUtf8String')).toBe('(native)');
  });
});
