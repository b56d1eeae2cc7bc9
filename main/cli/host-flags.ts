/**
 * The flags of `parley host`. A flag that sets a host option names that option, and the help
 * (host-help.ts) shows the option's description and default from its schema
 * (main/host/host-options.ts). One flag per protocol limit is derived from DEFAULT_LIMITS
 * (camelCase -> kebab-case) so a new limit gets its flag, default and help line without anyone
 * remembering to add them here; the help table below is typed by the limit keys for the same reason.
 */
import * as v from 'valibot';
import { DEFAULT_LIMITS, type Limits } from '../../protocol/wire/limits';
import { hostOptionDefault, type HostOptions } from '../host/host-options';
import { ROOM_ID_RULE } from '../host/scale-out/keys';
import { UsageError, parseCommandArgs } from './usage-error';

/** One flag as `parseArgs` reads it and the help lists it. */
export interface HostFlag {
  readonly flag: string;
  readonly short?: string;
  /** What its value is called in the help; a switch takes none. */
  readonly value?: string;
  /**
   * The host option it sets: the help shows the option's description and default. A `no-`
   * switch turns a default-on option off.
   */
  readonly option?: keyof HostOptions;
  /** The help text of a flag of this command's own (no host option behind it). */
  readonly help?: string;
  /** What this command adds to the option, after its default in the help. */
  readonly note?: string;
}

/** In the order the help lists them. */
export const HOST_FLAGS: readonly HostFlag[] = [
  { flag: 'port', value: 'N', option: 'port' },
  { flag: 'bind', value: 'ADDRESS', option: 'host' },
  { flag: 'room', value: 'NAME', option: 'roomName', note: 'an existing room keeps its name' },
  { flag: 'password', value: 'PW', option: 'password', note: 'or set PARLEY_PASSWORD' },
  { flag: 'data', value: 'DIR', help: 'keep the history and the certificate in DIR' },
  {
    flag: 'memory',
    help: 'keep the history in memory only: it is gone when the host stops (the certificate stays in DIR/tls, so the fingerprint stays the same)',
  },
  { flag: 'no-plain', option: 'allowPlain' },
  { flag: 'no-browser', option: 'guestPage' },
  {
    flag: 'no-discovery',
    help: "do not advertise the room on the local network (DNS-SD, _parley._tcp): it then shows in nobody's list of rooms",
  },
  { flag: 'allow-cleartext', option: 'allowCleartext' },
  { flag: 'max-connections-per-address', value: 'N', option: 'maxConnectionsPerAddress' },
  { flag: 'max-channels', value: 'N', option: 'maxChannels' },
  { flag: 'session-retention-days', value: 'DAYS', option: 'sessionRetentionDays' },
  {
    flag: 'redis',
    value: 'URL',
    option: 'redis',
    note: 'the history then lives in Redis, with a copy in DIR or memory; see docs/scale-out.md',
  },
  { flag: 'room-id', value: 'ID', option: 'roomId' },
  {
    flag: 'cert',
    value: 'FILE',
    help: 'serve with this PEM certificate instead of the one in DIR/tls (every host of a shared room needs the same one; give --key too)',
  },
  { flag: 'key', value: 'FILE', help: 'the PEM private key of --cert' },
  {
    flag: 'files',
    value: 'DIR',
    help: 'keep the files people send in DIR (default DATA/files; with --memory a temporary folder, removed when the host stops)',
  },
  {
    flag: 'max-file-size',
    value: 'SIZE',
    help: 'largest file people may send, in bytes or with KiB, MiB, GiB (default 2GiB)',
  },
  {
    flag: 'max-room-files',
    value: 'SIZE',
    help: "room's storage for files, uploads in progress included (default 20GiB)",
  },
  { flag: 'max-uploads', value: 'N', option: 'maxUploads' },
  {
    flag: 'rate',
    value: 'N',
    help: `messages per second each person may send, sustained, after a burst of ${DEFAULT_LIMITS.rateBurst} (default ${DEFAULT_LIMITS.ratePerSecond}; the same as --rate-per-second)`,
  },
  { flag: 'help', short: 'h', help: 'show this help' },
];

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

const PARSE_CONFIG: Record<string, FlagConfig> = Object.fromEntries([
  ...HOST_FLAGS.map(({ flag, value, short }): [string, FlagConfig] => [
    flag,
    { type: value ? 'string' : 'boolean', ...(short ? { short } : {}) },
  ]),
  ...LIMIT_FLAGS.map(({ flag }): [string, FlagConfig] => [flag, { type: 'string' }]),
]);

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
const SIZE_RULE = 'must be a size in bytes, or with KiB, MiB or GiB (e.g. 500MiB)';
const SIZE_UNITS: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};
/** `2147483648`, `2GiB`, `500 MiB`, `1.5g`: binary units, as file managers count. */
const sizeSchema = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d+(\.\d+)?\s*([kmgt](i?b)?|b)?$/i, SIZE_RULE),
  v.transform((typed) => {
    const [, number = '0', unit = ''] = /^([\d.]+)\s*([kmgt]?)/i.exec(typed) ?? [];
    return Math.floor(Number(number) * SIZE_UNITS[unit.toLowerCase()]!);
  }),
  v.safeInteger(SIZE_RULE),
);
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
  'max-channels': v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number, 0 or more'), v.transform(Number)),
  ),
  'session-retention-days': v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number, 0 or more'), v.transform(Number)),
  ),
  redis: v.optional(
    v.pipe(
      text('needs a URL'),
      v.regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL'),
    ),
  ),
  'room-id': v.optional(
    v.pipe(
      text('needs a room id'),
      v.regex(ROOM_ID_RULE, 'must be 1 to 64 letters, digits, "_" or "-"'),
    ),
  ),
  cert: v.optional(text('needs a file')),
  key: v.optional(text('needs a file')),
  rate: v.optional(fractionalLimitSchema),
  files: v.optional(text('needs a directory')),
  'max-file-size': v.optional(sizeSchema),
  'max-room-files': v.optional(sizeSchema),
  'max-uploads': v.optional(
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
  /** Channels people may create in the room. */
  maxChannels: number;
  /** Resume tokens unused for this many days are forgotten. */
  sessionRetentionDays: number;
  limits: Partial<Limits>;
  /** Several hosts, one room: the Redis it lives in. */
  redis: string | undefined;
  /** With --redis: the room to serve (the Redis's default room otherwise). */
  roomId: string | undefined;
  /** A certificate and key of the caller's (both or neither), instead of DIR/tls's. */
  cert: string | undefined;
  key: string | undefined;
  /** Where files are kept; undefined: DATA/files (a temporary folder with --memory). */
  files: string | undefined;
  maxFileSize: number;
  maxRoomFiles: number;
  maxUploads: number;
}

/** Parses `parley host` arguments; throws UsageError with a one-line problem. */
export function parseHostArgs(argv: string[], env: Record<string, string | undefined>): HostArgs {
  const { values } = parseCommandArgs(argv, PARSE_CONFIG, false);
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
  if (typeof args.rate === 'number') {
    if (limits.ratePerSecond !== undefined && limits.ratePerSecond !== args.rate) {
      throw new UsageError('--rate and --rate-per-second are the same limit: give one of them');
    }
    limits.ratePerSecond = args.rate;
  }
  if ((typeof args.cert === 'string') !== (typeof args.key === 'string')) {
    throw new UsageError('--cert and --key go together: give both, or neither');
  }
  if (typeof args['room-id'] === 'string' && typeof args.redis !== 'string') {
    throw new UsageError('--room-id names a room in Redis: give --redis too');
  }
  const optionalText = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    help: args.help === true,
    port: typeof args.port === 'number' ? args.port : hostOptionDefault('port'),
    bind: typeof args.bind === 'string' ? args.bind : hostOptionDefault('host'),
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
        : hostOptionDefault('maxConnectionsPerAddress'),
    maxChannels:
      typeof args['max-channels'] === 'number'
        ? args['max-channels']
        : hostOptionDefault('maxChannels'),
    sessionRetentionDays:
      typeof args['session-retention-days'] === 'number'
        ? args['session-retention-days']
        : hostOptionDefault('sessionRetentionDays'),
    limits,
    redis: optionalText(args.redis),
    roomId: optionalText(args['room-id']),
    cert: optionalText(args.cert),
    key: optionalText(args.key),
    files: optionalText(args.files),
    maxFileSize: numberOr(args['max-file-size'], hostOptionDefault('maxFileSize')),
    maxRoomFiles: numberOr(args['max-room-files'], hostOptionDefault('maxRoomFiles')),
    maxUploads: numberOr(args['max-uploads'], hostOptionDefault('maxUploads')),
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
