/** Messages between bench/joins.ts and its joiner child (bench/children/joiner.ts), validated. */
import * as v from 'valibot';

export const joinerCommandSchema = v.variant('type', [
  v.object({
    type: v.literal('join'),
    port: v.number(),
    clients: v.number(),
    concurrency: v.number(),
    deflate: v.boolean(),
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
