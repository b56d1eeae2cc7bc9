/**
 * The host's options, defined once: each entry of `hostOptionsSchema` holds the option's check,
 * its default (`v.optional(schema, default)`) and its description. HostOptions (what startHost
 * takes) is the schema's input type, ResolvedHostOptions (what the host runs with) its output
 * type, and `parley host` takes its flags' help text and defaults from here (hostOptionHelp).
 */
import { createSecureContext } from 'node:tls';
import * as v from 'valibot';
import {
  DEFAULT_LIMITS,
  DEFAULT_PORT,
  resolveLimits,
  type Limits,
} from '../../protocol/wire/limits';
import { defaultStaticDir } from './package-root';
import { ROOM_ID_RULE } from './scale-out/keys';
import type { RoomInfo } from '../../protocol/wire/frames';
import { RECOMMENDED_SERVER_TIMEOUTS } from './security/connection-caps';
import type { RoomStore } from './store/room-store';

const storeShape = v.looseObject({
  room: v.object({ id: v.string(), name: v.string() }),
  conversations: v.function(),
  append: v.function(),
  findBySayId: v.function(),
  page: v.function(),
  textEntry: v.function(),
  saveSession: v.function(),
  findSession: v.function(),
  pruneSessions: v.function(),
  close: v.function(),
});

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];
/** Known limit names only: a typo must fail loudly rather than leave the default in place. */
const limitsSchema = v.record(v.picklist(LIMIT_KEYS), v.pipe(v.number(), v.minValue(0)));

const pem = v.pipe(v.string(), v.includes('-----BEGIN', 'must be PEM text'));
/** A pair Node cannot load (wrong key, broken PEM) must fail here, not at the first handshake. */
const tlsSchema = v.pipe(
  v.object({
    /** PEM certificate. */
    cert: pem,
    /** PEM private key. */
    key: pem,
  }),
  v.check((pair) => loadsAsSecureContext(pair), 'the certificate and key do not load as a pair'),
);

const GIB = 1024 ** 3;
const bytes = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

const timeout = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(600_000));
/** Defaults and reasons: RECOMMENDED_SERVER_TIMEOUTS (connection-caps.ts). */
const timeoutsSchema = v.pipe(
  v.object({
    /** From TCP accept to the first byte, and for the whole TLS handshake. */
    handshakeTimeout: v.optional(timeout, RECOMMENDED_SERVER_TIMEOUTS.handshakeTimeout),
    /** Request headers, an upgrade's included. */
    headersTimeout: v.optional(timeout, RECOMMENDED_SERVER_TIMEOUTS.headersTimeout),
    /** A whole HTTP request (not a WebSocket once upgraded). */
    requestTimeout: v.optional(timeout, RECOMMENDED_SERVER_TIMEOUTS.requestTimeout),
    /** An idle keep-alive connection between requests. */
    keepAliveTimeout: v.optional(timeout, RECOMMENDED_SERVER_TIMEOUTS.keepAliveTimeout),
  }),
  // Node refuses an http server whose headers may take longer than its whole request.
  v.check(
    (given) => given.headersTimeout <= given.requestTimeout,
    'headersTimeout must not be longer than requestTimeout',
  ),
);

// Checked here for a readable error; defaults and checks again: auth-throttle.ts.
const throttleSchema = v.object({
  delaysMs: v.optional(v.array(v.number())),
  maxFailures: v.optional(v.number()),
  windowMs: v.optional(v.number()),
  lockoutMs: v.optional(v.number()),
  maxAddresses: v.optional(v.number()),
  roomFreeFailures: v.optional(v.number()),
  roomSpacingMs: v.optional(v.number()),
  maxWaitMs: v.optional(v.number()),
});

export const hostOptionsSchema = v.object({
  /** TCP port; 0 picks a free one. */
  port: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.maxValue(65535),
      v.description('port to listen on; 0 picks a free one'),
    ),
    DEFAULT_PORT,
  ),
  /** Address to bind; '0.0.0.0' is every IPv4 interface. */
  host: v.optional(
    v.pipe(
      v.string(),
      v.nonEmpty(),
      v.description('address to listen on; 0.0.0.0 is every IPv4 interface'),
    ),
    '0.0.0.0',
  ),
  /** Room name used when the store creates a new room. */
  roomName: v.optional(
    v.pipe(v.string(), v.trim(), v.nonEmpty(), v.description('room name')),
    'Parley',
  ),
  /** Room password; undefined or '' means an open room. */
  password: v.optional(
    v.pipe(
      v.string(),
      v.description('password people need to join'),
      v.transform((password) => (password === '' ? undefined : password)),
    ),
  ),
  /**
   * History store, used as given (checked by shape only). Undefined: an in-memory store that the
   * host creates and closes (nothing survives the process).
   */
  store: v.optional(
    v.custom<RoomStore>((input) => v.is(storeShape, input), 'store must be a RoomStore'),
  ),
  /**
   * Channels the room may hold besides `general`: every welcome lists them all, so their number
   * bounds its size (a room with too many could not welcome anyone within the backlog limit).
   */
  maxChannels: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.description('channels people may create in the room'),
    ),
    1000,
  ),
  /** Resume tokens not used for this many days are forgotten (at start, then once a day). */
  sessionRetentionDays: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.description('days a resume token is kept after its last use'),
    ),
    30,
  ),
  /** Overrides of protocol limits; unspecified ones keep their docs/protocol.md defaults. */
  limits: v.optional(
    v.pipe(
      limitsSchema,
      v.transform((given) => resolveLimits(given)),
    ),
    {},
  ),
  /** Folder with the built guest UI served at GET /; by default dist/renderer of this package. */
  staticDir: v.optional(v.pipe(v.string(), v.nonEmpty()), () => defaultStaticDir()),
  /** Accept plain-mode (no subprotocol) clients. */
  allowPlain: v.optional(
    v.pipe(v.boolean(), v.description('accept plain WebSocket clients (wscat, websocat)')),
    true,
  ),
  /**
   * TLS on the same port as cleartext (the first byte of a connection decides). Absent: cleartext
   * only, which other machines may use only with allowCleartext.
   */
  tls: v.optional(tlsSchema),
  /**
   * Accept unencrypted connections from other machines. By default cleartext is accepted from
   * this machine only (loopback). Passwords never travel in cleartext across the network either way.
   */
  allowCleartext: v.optional(
    v.pipe(
      v.boolean(),
      v.description(
        'accept unencrypted connections from other machines too: anyone on the network can then read their messages (not for password rooms)',
      ),
    ),
    false,
  ),
  /** Serve the browser guest page at GET /. */
  guestPage: v.optional(v.pipe(v.boolean(), v.description('serve the browser guest page')), true),
  /** Open connections one client address may hold; this machine's own are not counted. */
  maxConnectionsPerAddress: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description('open connections one other machine may hold'),
    ),
    20,
  ),
  /** Page origins allowed to open the socket besides the host's own (e.g. a dev server). */
  allowedOrigins: v.optional(v.array(v.pipe(v.string(), v.url())), () => []),
  /** Delays and lockout for wrong passwords, per address and room-wide. Defaults: auth-throttle.ts. */
  authThrottle: v.optional(throttleSchema, {}),
  /** Server timeouts against connections that dawdle (slowloris), in milliseconds. */
  serverTimeouts: v.optional(timeoutsSchema, {}),
  /**
   * Several hosts, one room (docs/scale-out.md): the Redis the room lives in. The host's own store
   * (`openReplica`, or memory) is then a replica of it; `store` may not be given.
   */
  redis: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL'),
      v.description(
        'share the room with every other host started with the same Redis (redis://HOST:PORT/DB)',
      ),
    ),
  ),
  /** With `redis`: the room to serve; without it, the Redis's default room. */
  roomId: v.optional(
    v.pipe(
      v.string(),
      v.regex(ROOM_ID_RULE, 'must be 1 to 64 letters, digits, "_" or "-"'),
      v.description(
        'with --redis: the room to serve (default: the room the first host created in that Redis)',
      ),
    ),
  ),
  /** With `redis`: opens this host's own copy of the shared room (it must take the room's id). */
  openReplica: v.optional(
    v.custom<(room: RoomInfo) => Promise<RoomStore>>(
      (input) => typeof input === 'function',
      'openReplica must be a function',
    ),
  ),
  /** With `redis`: leases and timeouts (tests shorten them; the defaults suit a real room). */
  scaleOutTuning: v.optional(
    v.object({
      leaseMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100))),
      checkEveryMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(50))),
      commandTimeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(50))),
      streamLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10))),
    }),
  ),
  /**
   * Where files are stored, by content (hosts of one room share it). Undefined: a private
   * temporary folder, deleted when the host closes (like a memory store's history).
   */
  filesDir: v.optional(
    v.pipe(
      v.string(),
      v.nonEmpty(),
      v.description(
        'keep the files people send in DIR; every host of a shared room needs the same one',
      ),
    ),
  ),
  /** Uploads in progress; on the file system of filesDir. Default: filesDir/uploads. */
  uploadsDir: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** Largest file one upload may carry, in bytes (413 `too_large` before any byte is read). */
  maxFileSize: v.optional(
    v.pipe(bytes, v.description('largest file people may send, in bytes (or KiB, MiB, GiB)')),
    2 * GIB,
  ),
  /** Bytes of all the room's files together, uploads in progress included (507 `room_full`). */
  maxRoomFiles: v.optional(
    v.pipe(bytes, v.description("room's storage for files, in bytes (or KiB, MiB, GiB)")),
    20 * GIB,
  ),
  /** Uploads one person may run at once (429 `too_many_uploads`). */
  maxUploads: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description('uploads one person may run at once'),
    ),
    10,
  ),
  /** When files nobody needs are deleted (files/file-sweeper.ts); `now` is a clock for tests. */
  fileCleanup: v.optional(
    v.object({
      intervalMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
      keptMs: v.optional(v.pipe(v.number(), v.minValue(0))),
      abandonedMs: v.optional(v.pipe(v.number(), v.minValue(0))),
      strayMs: v.optional(v.pipe(v.number(), v.minValue(0))),
      strayScanMs: v.optional(v.pipe(v.number(), v.minValue(0))),
      now: v.optional(v.custom<() => number>((input) => typeof input === 'function')),
    }),
    {},
  ),
});

type HostOptionEntries = typeof hostOptionsSchema.entries;

/** What startHost takes: every option may be left out. */
export type HostOptions = v.InferInput<typeof hostOptionsSchema>;
/** HostOptions checked and merged with their defaults. */
export type ResolvedHostOptions = v.InferOutput<typeof hostOptionsSchema>;
/** The host's TLS identity, e.g. from ensureCertificate (main/tls/certificate.ts). */
export type HostTls = v.InferOutput<typeof tlsSchema>;
export type HostServerTimeouts = v.InferOutput<typeof timeoutsSchema>;

/** Throws an Error with code `invalid_options` naming the first bad option. */
export function resolveHostOptions(options: HostOptions = {}): ResolvedHostOptions {
  const parsed = v.safeParse(hostOptionsSchema, options);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  const where = v.getDotPath(issue) ?? 'options';
  throw Object.assign(new Error(`Invalid host option ${where}: ${issue.message}`), {
    code: 'invalid_options',
  });
}

/** The default of one option, as the host fills it in (a front end shows it in its help). */
export function hostOptionDefault<K extends keyof HostOptionEntries>(
  key: K,
): v.InferDefault<HostOptionEntries[K]> {
  return v.getDefault(hostOptionsSchema.entries[key]);
}

/** What an option does, in a few words for a person (the `parley host` help). */
export function hostOptionDescription(key: keyof HostOptionEntries): string | undefined {
  return v.getDescription(hostOptionsSchema.entries[key].wrapped);
}

function loadsAsSecureContext(pair: { cert: string; key: string }): boolean {
  try {
    createSecureContext({ cert: pair.cert, key: pair.key });
    return true;
  } catch {
    return false;
  }
}
