/** HostOptions validated and merged with their defaults. */
import * as v from 'valibot';
import { DEFAULT_LIMITS, DEFAULT_PORT, resolveLimits, type Limits } from '../../protocol/limits';
import { defaultStaticDir } from './package-root';
import type { MessageStore } from './store/message-store';
import type { HostOptions } from './types';

export const HOST_DEFAULTS = Object.freeze({
  port: DEFAULT_PORT,
  host: '0.0.0.0',
  roomName: 'Parley',
  allowPlain: true,
});

export interface ResolvedHostOptions {
  port: number;
  host: string;
  roomName: string;
  /** Undefined for an open room ('' counts as none). */
  password: string | undefined;
  store: MessageStore | undefined;
  limits: Limits;
  staticDir: string;
  allowPlain: boolean;
}

const storeShape = v.looseObject({
  room: v.object({ id: v.string(), name: v.string() }),
  append: v.function(),
  findSeqBySayId: v.function(),
  page: v.function(),
  saveSession: v.function(),
  findSession: v.function(),
  close: v.function(),
});

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];
/** Known limit names only: a typo must fail loudly rather than leave the default in place. */
const limitsSchema = v.record(v.picklist(LIMIT_KEYS), v.pipe(v.number(), v.minValue(0)));

const hostOptionsSchema = v.object({
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535))),
  host: v.optional(v.pipe(v.string(), v.nonEmpty())),
  roomName: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty())),
  password: v.optional(v.string()),
  // Checked by shape but passed through as is: the host must use the caller's store object.
  store: v.optional(
    v.custom<MessageStore>((input) => v.is(storeShape, input), 'store must be a MessageStore'),
  ),
  limits: v.optional(limitsSchema),
  staticDir: v.optional(v.pipe(v.string(), v.nonEmpty())),
  allowPlain: v.optional(v.boolean()),
});

/** Throws an Error with code `invalid_options` naming the first bad option. */
export function resolveHostOptions(options: HostOptions = {}): ResolvedHostOptions {
  const parsed = v.safeParse(hostOptionsSchema, options);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = v.getDotPath(issue) ?? 'options';
    throw Object.assign(new Error(`Invalid host option ${where}: ${issue.message}`), {
      code: 'invalid_options',
    });
  }
  const given = parsed.output;
  return {
    port: given.port ?? HOST_DEFAULTS.port,
    host: given.host ?? HOST_DEFAULTS.host,
    roomName: given.roomName ?? HOST_DEFAULTS.roomName,
    password: given.password === '' ? undefined : given.password,
    store: given.store,
    limits: resolveLimits(given.limits),
    staticDir: given.staticDir ?? defaultStaticDir(),
    allowPlain: given.allowPlain ?? HOST_DEFAULTS.allowPlain,
  };
}
