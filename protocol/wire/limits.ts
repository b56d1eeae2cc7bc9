/**
 * Every limit of the wire protocol with its documented default (docs/protocol.md, "Errors and limits").
 * Hosts take a Partial<Limits> and merge it over these defaults, the way `ws` merges options.
 */
export interface Limits {
  /** Time allowed between the socket opening and a valid `hello`. */
  helloTimeoutMs: number;
  /** Longest `text`, in Unicode code points. */
  maxTextLength: number;
  /** Messages a sender may post in one burst (token bucket size). */
  rateBurst: number;
  /** Sustained messages per second a sender may post (token bucket refill). */
  ratePerSecond: number;
  /** Unsent bytes queued for one client before it is dropped with 4008. */
  maxBacklogBytes: number;
  /** Largest inbound message, after decompression; larger closes with 1009. */
  maxPayloadBytes: number;
  /** Open connections the host accepts; more are closed with 1013. */
  maxConnections: number;
  /** The host pings every socket this often and drops one that missed two pings. */
  heartbeatIntervalMs: number;
  /** Messages in `welcome.history` for a fresh `hello`. */
  historyOnJoin: number;
  /** Messages in `welcome.history` for a resume before `gap: true`. */
  historyOnResume: number;
  /** Largest `limit` a `history` request may ask for. */
  historyPageMax: number;
  /** Longest name, in code points after trimming. */
  maxNameLength: number;
  /** Longest client-chosen `say` id, in code points. */
  maxSayIdLength: number;
  /** Outgoing messages of at least this many bytes are compressed when the client offered deflate. */
  compressThresholdBytes: number;
  /** Version 2: entries of a conversation in its `catchup` when the client has no cursor for it. */
  catchupOnJoin: number;
  /** Version 2: people listed in `welcome.peers`; more are paged with `peers` requests. */
  welcomePeersMax: number;
  /** Version 2: largest `limit` of a `peers` request. */
  peersPageMax: number;
  /** Version 2: files one `say` may carry. */
  maxFilesPerMessage: number;
  /** Version 2: largest `limit` of a `search` request. */
  searchResultsMax: number;
  /** Version 2: longest `search` query, in code points. */
  maxSearchQueryLength: number;
  /** Version 2: longest reaction emoji, in code points. */
  maxEmojiLength: number;
  /** Version 2: longest channel topic, in code points. */
  maxTopicLength: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  helloTimeoutMs: 10_000,
  maxTextLength: 4000,
  rateBurst: 20,
  ratePerSecond: 5,
  maxBacklogBytes: 4 * 1024 * 1024,
  maxPayloadBytes: 64 * 1024,
  maxConnections: 500,
  heartbeatIntervalMs: 15_000,
  historyOnJoin: 100,
  historyOnResume: 1000,
  historyPageMax: 200,
  maxNameLength: 32,
  maxSayIdLength: 64,
  compressThresholdBytes: 1024,
  catchupOnJoin: 50,
  welcomePeersMax: 1000,
  peersPageMax: 1000,
  maxFilesPerMessage: 10,
  searchResultsMax: 50,
  maxSearchQueryLength: 200,
  maxEmojiLength: 16,
  maxTopicLength: 250,
});

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  const merged: Limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof Limits, number | undefined][]) {
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`limit ${key} must be a non-negative number, got ${String(value)}`);
    }
    merged[key] = value;
  }
  return merged;
}

export const PROTOCOL_VERSION = 1;
export const SUBPROTOCOL = 'parley.v1';
export const PROTOCOL_VERSION_2 = 2;
export const SUBPROTOCOL_V2 = 'parley.v2';
/** What `/api/info` lists in `protocols`. */
export const PROTOCOL_VERSIONS = [PROTOCOL_VERSION, PROTOCOL_VERSION_2] as const;
export const DEFAULT_PORT = 7420;
