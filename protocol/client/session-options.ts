/** ClientSessionOptions checked against their contract and merged with their defaults. */
import * as v from 'valibot';
import { identitySchema } from '../wire/identity';
import { DEFAULT_LIMITS } from '../wire/limits';
import type { ClientSessionOptions, MuteStore, SessionSnapshot } from './client-types';
import { postSchema } from './request-specs';

export const SESSION_DEFAULTS = Object.freeze({
  reconnect: true,
  heartbeatIntervalMs: DEFAULT_LIMITS.heartbeatIntervalMs,
  backoff: Object.freeze({ initialMs: 500, maxMs: 15_000 }),
  requestTimeoutMs: 20_000,
});

export interface ResolvedSessionOptions {
  url: string;
  name: string;
  password: string | undefined;
  identity: string | undefined;
  WebSocket: ClientSessionOptions['WebSocket'];
  reconnect: boolean;
  heartbeatIntervalMs: number;
  backoff: { initialMs: number; maxMs: number };
  requestTimeoutMs: number;
  resume: SessionSnapshot | undefined;
  createId: () => string;
  mutes: MuteStore | undefined;
}

const nonNegative = v.pipe(v.number(), v.minValue(0));
const optionsSchema = v.object({
  url: v.string(),
  name: v.string(),
  password: v.optional(v.string()),
  identity: v.optional(identitySchema),
  WebSocket: v.function(),
  reconnect: v.optional(v.boolean(), SESSION_DEFAULTS.reconnect),
  heartbeatIntervalMs: v.optional(
    v.pipe(v.number(), v.minValue(1)),
    SESSION_DEFAULTS.heartbeatIntervalMs,
  ),
  backoff: v.optional(
    v.object({
      initialMs: v.optional(nonNegative, SESSION_DEFAULTS.backoff.initialMs),
      maxMs: v.optional(nonNegative, SESSION_DEFAULTS.backoff.maxMs),
    }),
    {},
  ),
  requestTimeoutMs: v.optional(
    v.pipe(v.number(), v.minValue(1)),
    SESSION_DEFAULTS.requestTimeoutMs,
  ),
  resume: v.optional(
    v.object({
      token: v.string(),
      cursors: v.record(v.string(), v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
      roomId: v.string(),
      outbox: v.optional(v.array(postSchema)),
    }),
  ),
  createId: v.optional(v.function()),
  mutes: v.optional(v.object({ muted: v.function(), save: v.function() })),
});

/** Throws a TypeError naming the first option that breaks the contract. */
export function resolveSessionOptions(options: ClientSessionOptions): ResolvedSessionOptions {
  const result = v.safeParse(optionsSchema, options);
  if (!result.success) {
    const issue = result.issues[0];
    throw new TypeError(`ClientSession option ${v.getDotPath(issue) ?? ''}: ${issue.message}`);
  }
  const parsed = result.output;
  return {
    url: parsed.url,
    name: parsed.name,
    password: parsed.password,
    identity: parsed.identity,
    reconnect: parsed.reconnect,
    heartbeatIntervalMs: parsed.heartbeatIntervalMs,
    backoff: parsed.backoff,
    requestTimeoutMs: parsed.requestTimeoutMs,
    resume: parsed.resume,
    // The functions themselves, typed as the contract has them.
    WebSocket: options.WebSocket,
    createId: options.createId ?? (() => globalThis.crypto.randomUUID()),
    mutes: options.mutes,
  };
}
