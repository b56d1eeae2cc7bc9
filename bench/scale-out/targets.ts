/**
 * The scale-out case's targets, in table order: one Parley host (the light-load reference), two
 * Parley hosts sharing the room through Redis, and two Socket.IO 4 servers joined by
 * `@socket.io/redis-adapter` on the same kind of Redis. Clients are split across a target's
 * servers (client i on server i % servers); every client should receive every message.
 */
import type { SessionTarget } from '../run-target';

export interface ScaleOutTarget extends SessionTarget {
  label: string;
  /** The server child, relative to the built run.js (see bench/build.js). */
  entry: string;
  /** Server processes, started one after the other (the first creates the shared room). */
  servers: number;
  /** Started with its own redis-server, whose URL each server gets as its argument. */
  redis: boolean;
}

export const SCALE_OUT_TARGET_NAMES = ['parley-1', 'parley-2-redis', 'socket.io-2-redis'] as const;
export type ScaleOutTargetName = (typeof SCALE_OUT_TARGET_NAMES)[number];

export const SCALE_OUT_TARGETS: Record<ScaleOutTargetName, ScaleOutTarget> = {
  'parley-1': {
    name: 'parley-1',
    label: 'Parley, 1 host (SQLite)',
    dialect: 'parley',
    entry: 'children/parley-server.js',
    servers: 1,
    redis: false,
  },
  'parley-2-redis': {
    name: 'parley-2-redis',
    label: 'Parley, 2 hosts + Redis',
    dialect: 'parley',
    entry: 'scale-out/parley-shared-server.js',
    servers: 2,
    redis: true,
  },
  'socket.io-2-redis': {
    name: 'socket.io-2-redis',
    label: 'Socket.IO 4, 2 servers + redis-adapter',
    dialect: 'socket.io',
    entry: 'scale-out/socket-io-redis-server.js',
    servers: 2,
    redis: true,
  },
};

/** The ratios of the table are to this one: the light-load p99 target is "within 2× one host". */
export const SCALE_OUT_BASELINE: ScaleOutTargetName = 'parley-1';
/** The throughput target compares these two: Parley's ramp at least 10× Socket.IO's. */
export const THROUGHPUT_PAIR = { ours: 'parley-2-redis', theirs: 'socket.io-2-redis' } as const;
