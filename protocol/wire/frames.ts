/**
 * Frame schemas and types of protocol v1 (parley.v1 subprotocol).
 * Client frames are validated by the host; host frames are validated by the client session,
 * so a confused or hostile host cannot crash a client either.
 */
import * as v from 'valibot';
import { codePointLength } from './text';
import type { ErrorCode } from './codes';
import type { Limits } from './limits';

const seqNumber = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

export const peerSchema = v.object({ id: v.string(), name: v.string() });
export type Peer = v.InferOutput<typeof peerSchema>;

export const messageSchema = v.object({
  seq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  id: v.string(),
  from: peerSchema,
  text: v.string(),
  ts: v.pipe(v.number(), v.safeInteger()),
});
export type ChatMessage = v.InferOutput<typeof messageSchema>;

export const roomSchema = v.object({ id: v.string(), name: v.string() });
export type RoomInfo = v.InferOutput<typeof roomSchema>;

/** Builds the schema of client-to-host frames for the host's configured limits. */
export function createClientFrameSchema(limits: Pick<Limits, 'maxSayIdLength' | 'historyPageMax'>) {
  const sayId = v.pipe(
    v.string(),
    v.check(
      (id) => id.length > 0 && codePointLength(id) <= limits.maxSayIdLength,
      `id must be 1 to ${limits.maxSayIdLength} characters`,
    ),
  );
  return v.variant('type', [
    v.object({
      type: v.literal('hello'),
      name: v.string(),
      password: v.optional(v.string()),
      resume: v.optional(v.object({ token: v.string(), lastSeq: seqNumber })),
    }),
    v.object({ type: v.literal('say'), id: sayId, text: v.string() }),
    v.object({ type: v.literal('typing') }),
    v.object({
      type: v.literal('history'),
      before: seqNumber,
      limit: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(limits.historyPageMax)),
    }),
    v.object({ type: v.literal('ping') }),
  ]);
}

export type ClientFrame = v.InferOutput<ReturnType<typeof createClientFrameSchema>>;
export type HelloFrame = Extract<ClientFrame, { type: 'hello' }>;
export type SayFrame = Extract<ClientFrame, { type: 'say' }>;
export type HistoryRequestFrame = Extract<ClientFrame, { type: 'history' }>;

export const hostFrameSchema = v.variant('type', [
  v.object({
    type: v.literal('welcome'),
    protocol: v.literal(1),
    room: roomSchema,
    self: peerSchema,
    token: v.string(),
    peers: v.array(peerSchema),
    history: v.array(messageSchema),
    lastSeq: seqNumber,
    gap: v.boolean(),
  }),
  v.object({ type: v.literal('message'), ...messageSchema.entries }),
  v.object({ type: v.literal('ack'), id: v.string(), seq: seqNumber }),
  v.object({ type: v.literal('joined'), peer: peerSchema }),
  v.object({ type: v.literal('left'), peer: peerSchema }),
  v.object({ type: v.literal('typing'), peer: peerSchema }),
  v.object({ type: v.literal('history'), messages: v.array(messageSchema), more: v.boolean() }),
  v.object({ type: v.literal('pong') }),
  v.object({
    type: v.literal('error'),
    code: v.string(),
    message: v.string(),
    ref: v.optional(v.string()),
  }),
]);

export type HostFrame = v.InferOutput<typeof hostFrameSchema>;
export type WelcomeFrame = Extract<HostFrame, { type: 'welcome' }>;
export type MessageFrame = Extract<HostFrame, { type: 'message' }>;
export type ErrorFrame = Extract<HostFrame, { type: 'error' }> & { code: ErrorCode | string };

/** Client frames as the client session builds them (before any host validation). */
export type OutgoingClientFrame =
  | { type: 'hello'; name: string; password?: string; resume?: { token: string; lastSeq: number } }
  | { type: 'say'; id: string; text: string }
  | { type: 'typing' }
  | { type: 'history'; before: number; limit: number }
  | { type: 'ping' };

/** Parses one host frame; returns undefined for anything that is not a valid host frame. */
export function parseHostFrame(data: string): HostFrame | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const result = v.safeParse(hostFrameSchema, json);
  return result.success ? result.output : undefined;
}
