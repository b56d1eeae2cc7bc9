/** The servers under test, in table order: the baseline first, the product last. */
import type { DialectName } from './ipc';

export const TARGET_NAMES = ['ws-coalesced', 'ws-naive', 'socket.io', 'parley'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface TargetSpec {
  name: TargetName;
  label: string;
  dialect: DialectName;
  /** The child entry, relative to the built run.js (see bench/build.js). */
  entry: string;
}

export const BASELINE: TargetName = 'ws-coalesced';

export const TARGETS: Record<TargetName, TargetSpec> = {
  'ws-coalesced': {
    name: 'ws-coalesced',
    label: 'ws, coalesced writes (baseline)',
    dialect: 'ws',
    entry: 'children/coalesced-ws-server.js',
  },
  'ws-naive': {
    name: 'ws-naive',
    label: 'ws, naive broadcast',
    dialect: 'ws',
    entry: 'children/naive-ws-server.js',
  },
  'socket.io': {
    name: 'socket.io',
    label: 'Socket.IO 4',
    dialect: 'socket.io',
    entry: 'children/socket-io-server.js',
  },
  parley: {
    name: 'parley',
    label: 'Parley host (SQLite)',
    dialect: 'parley',
    entry: 'children/parley-server.js',
  },
};

export const GENERATOR_ENTRY = 'children/generator.js';
