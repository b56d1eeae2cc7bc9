/** HostOptions validated and merged with their defaults. */
import { createSecureContext } from 'node:tls';
import * as v from 'valibot';
import {
  DEFAULT_LIMITS,
  DEFAULT_PORT,
  resolveLimits,
  type Limits,
} from '../../protocol/wire/limits';
import { defaultStaticDir } from './package-root';
import type { AuthThrottleOptions } from './security/auth-throttle';
import { RECOMMENDED_SERVER_TIMEOUTS } from './security/connection-caps';
import type { MessageStore } from './store/message-store';
import type { HostOptions, HostServerTimeouts, HostTls } from './types';

export const HOST_DEFAULTS = Object.freeze({
  port: DEFAULT_PORT,
  host: '0.0.0.0',
  roomName: 'Parley',
  allowPlain: true,
  allowCleartext: false,
  guestPage: true,
  maxConnectionsPerAddress: 20,
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
  tls: HostTls | undefined;
  allowCleartext: boolean;
  guestPage: boolean;
  maxConnectionsPerAddress: number;
  allowedOrigins: string[];
  authThrottle: Omit<AuthThrottleOptions, 'now'>;
  serverTimeouts: HostServerTimeouts;
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

const pem = v.pipe(v.string(), v.includes('-----BEGIN', 'must be PEM text'));
/** A pair Node cannot load (wrong key, broken PEM) must fail here, not at the first handshake. */
const tlsSchema = v.pipe(
  v.object({ cert: pem, key: pem }),
  v.check((pair) => loadsAsSecureContext(pair), 'the certificate and key do not load as a pair'),
);

const timeout = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(600_000));
const timeoutsSchema = v.pipe(
  v.object({
    handshakeTimeout: v.optional(timeout),
    headersTimeout: v.optional(timeout),
    requestTimeout: v.optional(timeout),
    keepAliveTimeout: v.optional(timeout),
  }),
  // Node refuses an http server whose headers may take longer than its whole request.
  v.check(
    (given) =>
      (given.headersTimeout ?? RECOMMENDED_SERVER_TIMEOUTS.headersTimeout) <=
      (given.requestTimeout ?? RECOMMENDED_SERVER_TIMEOUTS.requestTimeout),
    'headersTimeout must not be longer than requestTimeout',
  ),
);

// Checked here for a readable error; auth-throttle.ts checks the values again when it is created.
const throttleSchema = v.object({
  delaysMs: v.optional(v.array(v.number())),
  maxFailures: v.optional(v.number()),
  windowMs: v.optional(v.number()),
  lockoutMs: v.optional(v.number()),
  maxAddresses: v.optional(v.number()),
});

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
  tls: v.optional(tlsSchema),
  allowCleartext: v.optional(v.boolean()),
  guestPage: v.optional(v.boolean()),
  maxConnectionsPerAddress: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  allowedOrigins: v.optional(v.array(v.pipe(v.string(), v.url()))),
  authThrottle: v.optional(throttleSchema),
  serverTimeouts: v.optional(timeoutsSchema),
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
    tls: given.tls,
    allowCleartext: given.allowCleartext ?? HOST_DEFAULTS.allowCleartext,
    guestPage: given.guestPage ?? HOST_DEFAULTS.guestPage,
    maxConnectionsPerAddress:
      given.maxConnectionsPerAddress ?? HOST_DEFAULTS.maxConnectionsPerAddress,
    allowedOrigins: given.allowedOrigins ?? [],
    authThrottle: given.authThrottle ?? {},
    serverTimeouts: { ...RECOMMENDED_SERVER_TIMEOUTS, ...given.serverTimeouts },
  };
}

function loadsAsSecureContext(pair: HostTls): boolean {
  try {
    createSecureContext({ cert: pair.cert, key: pair.key });
    return true;
  } catch {
    return false;
  }
}
