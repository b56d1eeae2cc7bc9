/**
 * The flags of `parley host`. One flag per protocol limit, derived from DEFAULT_LIMITS
 * (camelCase -> kebab-case) so a new limit gets its flag, default and help line without anyone
 * remembering to add them here; the help table below is typed by the limit keys for the same reason.
 */
import * as v from 'valibot';
import { DEFAULT_LIMITS, type Limits } from '../../protocol/wire/limits';
import { HOST_DEFAULTS } from '../host/host-options';
import { UsageError, parseCommandArgs } from './usage-error';

const LIMIT_HELP: Record<keyof Limits, string> = {
  helloTimeoutMs: 'ms a new connection has to send its hello',
  maxTextLength: 'longest message, in characters',
  rateBurst: 'messages one person may send in a burst',
  ratePerSecond: 'messages per second one person may send, sustained',
  maxBacklogBytes: 'unsent bytes queued for a slow client before it is dropped',
  maxPayloadBytes: 'largest incoming frame, in bytes',
  maxConnections: 'open connections accepted',
  heartbeatIntervalMs: 'ms between pings to each client',
  historyOnJoin: 'recent messages sent to someone who joins',
  historyOnResume: 'missed messages sent on a reconnect',
  historyPageMax: 'largest page of older messages one request may ask for',
  maxNameLength: 'longest name, in characters',
  maxSayIdLength: 'longest client message id, in characters',
  compressThresholdBytes: 'messages this large or larger are compressed',
  catchupOnJoin: 'recent entries per conversation sent to a v2 client without a cursor',
  welcomePeersMax: 'people listed in a v2 welcome; more are paged',
  peersPageMax: 'largest page of people one v2 request may ask for',
  maxFilesPerMessage: 'files one message may carry',
  searchResultsMax: 'largest number of search results one request may ask for',
  maxSearchQueryLength: 'longest search query, in characters',
  maxEmojiLength: 'longest reaction emoji, in characters',
  maxTopicLength: 'longest channel topic, in characters',
};

export const LIMIT_FLAGS = (Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]).map((key) => ({
  key,
  flag: key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`),
  help: LIMIT_HELP[key],
  defaultValue: DEFAULT_LIMITS[key],
}));

type FlagConfig = { type: 'string' | 'boolean'; short?: string };

const HOST_FLAGS: Record<string, FlagConfig> = {
  port: { type: 'string' },
  bind: { type: 'string' },
  room: { type: 'string' },
  password: { type: 'string' },
  data: { type: 'string' },
  memory: { type: 'boolean' },
  'no-plain': { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  'no-discovery': { type: 'boolean' },
  'allow-cleartext': { type: 'boolean' },
  'max-connections-per-address': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(LIMIT_FLAGS.map(({ flag }) => [flag, { type: 'string' } as FlagConfig])),
};

const PORT_RULE = 'must be a port number from 0 to 65535';
const portSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,5}$/, PORT_RULE),
  v.transform(Number),
  v.maxValue(65535, PORT_RULE),
);
const wholeLimitSchema = v.pipe(
  v.string(),
  v.regex(/^\d+$/, 'must be a whole number, 0 or more'),
  v.transform(Number),
);
const fractionalLimitSchema = v.pipe(
  v.string(),
  v.regex(/^\d+(\.\d+)?$/, 'must be a number, 0 or more'),
  v.transform(Number),
);
/** Only rates are naturally fractional (one message every two seconds is 0.5). */
const FRACTIONAL_LIMITS: ReadonlySet<keyof Limits> = new Set(['ratePerSecond']);
const text = (rule: string) => v.pipe(v.string(), v.trim(), v.nonEmpty(rule));

const hostArgsSchema = v.object({
  port: v.optional(portSchema),
  bind: v.optional(text('needs an address to listen on, e.g. 0.0.0.0')),
  room: v.optional(
    v.pipe(text('needs a room name'), v.maxLength(64, 'takes at most 64 characters')),
  ),
  password: v.optional(v.string()),
  data: v.optional(text('needs a directory')),
  memory: v.optional(v.boolean()),
  'no-plain': v.optional(v.boolean()),
  'no-browser': v.optional(v.boolean()),
  'no-discovery': v.optional(v.boolean()),
  'allow-cleartext': v.optional(v.boolean()),
  'max-connections-per-address': v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number, 1 or more'),
      v.transform(Number),
      v.minValue(1, 'must be a whole number, 1 or more'),
    ),
  ),
  help: v.optional(v.boolean()),
  ...Object.fromEntries(
    LIMIT_FLAGS.map(({ key, flag }) => [
      flag,
      v.optional(FRACTIONAL_LIMITS.has(key) ? fractionalLimitSchema : wholeLimitSchema),
    ]),
  ),
});

export interface HostArgs {
  help: boolean;
  port: number;
  bind: string;
  /** Only when given: an existing room keeps its name otherwise. */
  room: string | undefined;
  password: string | undefined;
  /** The history (unless --memory) and the host's TLS identity live here. */
  data: string | undefined;
  memory: boolean;
  allowPlain: boolean;
  guestPage: boolean;
  /** Advertise the room on the LAN (DNS-SD), so it shows in lists of rooms. */
  discovery: boolean;
  allowCleartext: boolean;
  maxConnectionsPerAddress: number;
  limits: Partial<Limits>;
}

/** Parses `parley host` arguments; throws UsageError with a one-line problem. */
export function parseHostArgs(argv: string[], env: Record<string, string | undefined>): HostArgs {
  const { values } = parseCommandArgs(argv, HOST_FLAGS, false);
  const parsed = v.safeParse(hostArgsSchema, values);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const flag = v.getDotPath(issue) ?? 'argument';
    // The value as typed, not as far as the pipeline got with it.
    const typed = (values as Record<string, unknown>)[flag];
    throw new UsageError(`--${flag} ${issue.message} (got ${JSON.stringify(typed)})`);
  }
  const args = parsed.output as Record<string, string | number | boolean | undefined>;
  const limits: Partial<Limits> = {};
  for (const { key, flag } of LIMIT_FLAGS) {
    const value = args[flag];
    if (typeof value === 'number') limits[key] = value;
  }
  return {
    help: args.help === true,
    port: typeof args.port === 'number' ? args.port : HOST_DEFAULTS.port,
    bind: typeof args.bind === 'string' ? args.bind : HOST_DEFAULTS.host,
    room: typeof args.room === 'string' ? args.room : undefined,
    password: typeof args.password === 'string' ? args.password : env.PARLEY_PASSWORD,
    data: typeof args.data === 'string' ? args.data : undefined,
    memory: args.memory === true,
    allowPlain: args['no-plain'] !== true,
    guestPage: args['no-browser'] !== true,
    discovery: args['no-discovery'] !== true,
    allowCleartext: args['allow-cleartext'] === true,
    maxConnectionsPerAddress:
      typeof args['max-connections-per-address'] === 'number'
        ? args['max-connections-per-address']
        : HOST_DEFAULTS.maxConnectionsPerAddress,
    limits,
  };
}

export function hostHelp(defaultDataDir: string): string {
  const limitWidth = Math.max(...LIMIT_FLAGS.map(({ flag }) => flag.length)) + 2;
  const limitLines = LIMIT_FLAGS.map(
    ({ flag, help, defaultValue }) =>
      `  --${flag.padEnd(limitWidth)}${help} (default ${defaultValue})`,
  );
  return `Usage: parley host [options]

Hosts a chat room on this machine; others join with the invite it prints
(\`parley join INVITE\` or the Parley app), or a browser at https://ADDRESS/.

Connections are encrypted (TLS) with this host's own certificate, created on
first use in DIR/tls; its fingerprint is the room's identity: read it out to
people joining so they can check it. Unencrypted ws:// and http:// are
accepted only from this machine, unless --allow-cleartext. Passwords are
never accepted unencrypted from another machine.

Options:
  --port N          port to listen on; 0 picks a free one (default ${HOST_DEFAULTS.port})
  --bind ADDRESS    address to listen on (default ${HOST_DEFAULTS.host}: every IPv4 interface)
  --room NAME       room name (default "${HOST_DEFAULTS.roomName}"; an existing room keeps its name)
  --password PW     password people need to join (or set PARLEY_PASSWORD)
  --data DIR        keep the history and the certificate in DIR (default ${defaultDataDir})
  --memory          keep the history in memory only: it is gone when the host stops
                    (the certificate stays in DIR/tls, so the fingerprint stays the same)
  --no-plain        refuse plain WebSocket clients (wscat, websocat)
  --no-browser      do not serve the browser guest page
  --no-discovery    do not advertise the room on the local network (DNS-SD,
                    _parley._tcp): it then shows in nobody's list of rooms
  --allow-cleartext accept unencrypted connections from other machines too: anyone
                    on the network can then read their messages (not for password rooms)
  --max-connections-per-address N
                    open connections one other machine may hold (default ${HOST_DEFAULTS.maxConnectionsPerAddress})
  -h, --help        show this help

Protocol limits:
${limitLines.join('\n')}`;
}
