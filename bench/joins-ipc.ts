/** Messages between bench/joins.ts and its joiner child (bench/children/joiner.ts), validated. */
import * as v from 'valibot';

/** What the joiner's clients speak: parley.v1, or parley.v2 with an identity each. */
export const JOIN_PROTOCOLS = ['v1', 'v2'] as const;
export type JoinProtocol = (typeof JOIN_PROTOCOLS)[number];

/** The servers the joins case measures: the baseline, and the host joined by each protocol. */
export const JOIN_SERVER_NAMES = ['ws-presence', 'parley', 'parley-v2'] as const;
export type JoinServerName = (typeof JOIN_SERVER_NAMES)[number];

export const joinerCommandSchema = v.variant('type', [
  v.object({
    type: v.literal('join'),
    port: v.number(),
    clients: v.number(),
    concurrency: v.number(),
    deflate: v.boolean(),
    protocol: v.picklist(JOIN_PROTOCOLS),
    timeoutMs: v.number(),
    quietMs: v.number(),
  }),
  v.object({ type: v.literal('close') }),
]);
export type JoinerCommand = v.InferOutput<typeof joinerCommandSchema>;

export const joinerEventSchema = v.variant('type', [
  v.object({ type: v.literal('booted'), pid: v.number(), openFileLimit: v.number() }),
  v.object({
    type: v.literal('joined'),
    open: v.number(),
    failed: v.number(),
    /** Until the last welcome arrived. */
    welcomedMs: v.number(),
    /** Until no frame had arrived for quietMs (the quiet itself left out). */
    settledMs: v.number(),
    errors: v.array(v.string()),
  }),
  v.object({ type: v.literal('failed'), message: v.string() }),
]);
export type JoinerEvent = v.InferOutput<typeof joinerEventSchema>;
