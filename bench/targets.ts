/** The servers under test, in table order: the baseline first, the product last. */
import type { DialectName } from './ipc';
import { conversationLayout, meanReceivers } from './load/conversation-layout';

export const TARGET_NAMES = [
  'ws-coalesced',
  'ws-naive',
  'socket.io',
  'parley',
  'parley-v2',
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface TargetSpec {
  name: TargetName;
  label: string;
  dialect: DialectName;
  /** The child entry, relative to the built run.js (see bench/build.js). */
  entry: string;
  /**
   * Messages per second to send for each message per second of the plan, with `clients`
   * connected: where a message reaches fewer clients, more messages keep the deliveries per
   * second level with the other targets'. Default 1.
   */
  rateFactor?(clients: number): number;
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
  'parley-v2': {
    name: 'parley-v2',
    label: 'Parley host (SQLite), v2: 10 channels + direct',
    dialect: 'parley-v2',
    entry: 'children/parley-server.js',
    rateFactor: (clients) => clients / meanReceivers(conversationLayout(clients)),
  },
};

/** The case `parley-v2` is compared with in its own table: the same host, everyone in general. */
export const CONVERSATIONS_PAIR = { general: 'parley', conversations: 'parley-v2' } as const;

export const GENERATOR_ENTRY = 'children/generator.js';
