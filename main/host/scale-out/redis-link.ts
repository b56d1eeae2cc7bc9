/**
 * The host's connections to Redis (node-redis): one for commands and scripts, one that blocks on
 * the event stream, one for pub/sub. Each has an `error` listener (node-redis throws an unhandled
 * `error` otherwise) and reconnects by itself with capped backoff; commands are not queued while
 * Redis is away (`disableOfflineQueue`), so a post is refused at once with `unavailable` instead of
 * waiting for a Redis that may not come back, and a command that got no answer in time is given up
 * (it may still have run: the exactly-once record makes a client's retry safe).
 */
import { createHash } from 'node:crypto';
import { createClient, ErrorReply } from '@redis/client';
import type { ScriptSource } from './scripts';

export type RedisClient = ReturnType<typeof makeClient>;
export type Reply = string | number | null | Reply[];

export interface RedisLinkOptions {
  url: string;
  /** How long a command may wait for its answer before the host gives up on it (ms). */
  commandTimeoutMs: number;
  /** Longest pause between two reconnection attempts (ms). */
  maxReconnectDelayMs: number;
  /** Called with every connection error (they are frequent while Redis is down: log sparingly). */
  onError: (error: Error) => void;
}

export const REDIS_LINK_DEFAULTS = {
  commandTimeoutMs: 3000,
  maxReconnectDelayMs: 1000,
} as const;

/** Redis could not be asked, or did not answer in time: nothing is known to have happened. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
  readonly code = 'unavailable';
}

export class RedisLink {
  readonly commands: RedisClient;
  /** Blocks on XREAD: its own connection, so it never holds up a command. */
  readonly stream: RedisClient;
  readonly pubsub: RedisClient;
  readonly #shas = new Map<ScriptSource, string>();
  readonly #options: RedisLinkOptions;

  constructor(options: RedisLinkOptions) {
    this.#options = options;
    this.commands = makeClient(options, 'parley-commands');
    this.stream = makeClient(options, 'parley-stream');
    this.pubsub = makeClient(options, 'parley-pubsub');
  }

  /** Connects all three; rejects when Redis cannot be reached now. */
  async connect(): Promise<void> {
    try {
      await Promise.all([this.commands.connect(), this.stream.connect(), this.pubsub.connect()]);
    } catch (error) {
      this.destroy();
      throw new UnavailableError(`cannot reach Redis at ${this.#options.url}: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  get isReady(): boolean {
    return this.commands.isReady;
  }

  /** Runs a command; UnavailableError when Redis is away or silent, Redis's own error otherwise. */
  async command(
    args: readonly string[],
    timeoutMs = this.#options.commandTimeoutMs,
  ): Promise<Reply> {
    if (!this.commands.isReady) throw new UnavailableError('Redis is not connected');
    try {
      return await this.commands.sendCommand<Reply>(args, {
        timeout: timeoutMs,
        rejectInFlight: true,
      });
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  /** Runs a script by its SHA-1, loading it first when Redis does not have it (after a restart). */
  async run(
    script: ScriptSource,
    keys: readonly string[],
    args: readonly string[],
  ): Promise<Reply[]> {
    let sha = this.#shas.get(script);
    if (!sha) this.#shas.set(script, (sha = createHash('sha1').update(script.lua).digest('hex')));
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return (await this.command(['EVALSHA', sha, ...tail])) as Reply[];
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await this.command(['EVAL', script.lua, ...tail])) as Reply[];
    }
  }

  /** Closes every connection, waiting for answers already on their way. */
  async close(): Promise<void> {
    await Promise.allSettled(
      [this.commands, this.stream, this.pubsub].map((client) =>
        client.isOpen ? client.close() : Promise.resolve(),
      ),
    );
  }

  destroy(): void {
    for (const client of [this.commands, this.stream, this.pubsub]) {
      try {
        client.destroy();
      } catch {
        // Not open: nothing to destroy.
      }
    }
  }
}

function makeClient(options: RedisLinkOptions, name: string) {
  const client = createClient({
    url: options.url,
    name,
    // Replies as flat arrays, as the scripts and events.ts read them.
    RESP: 2,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.commandTimeoutMs,
      reconnectStrategy: (retries: number) =>
        Math.min(options.maxReconnectDelayMs, 50 * 2 ** Math.min(retries, 10)),
    },
  });
  client.on('error', (error: Error) => options.onError(error));
  return client;
}

/** Connection errors and timeouts mean "unavailable"; a script's own error stays what it is. */
function asUnavailable(error: unknown): Error {
  if (error instanceof ErrorReply) return error;
  return new UnavailableError(`Redis did not answer: ${describe(error)}`, { cause: error });
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
