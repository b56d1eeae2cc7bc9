/**
 * A real `redis-server` for tests of rooms that several hosts share: its own free port, its own
 * fresh folder, append-only file synced on every write (so a kill loses nothing acknowledged), and
 * stopped after use. A machine without the binary fails the test with how to install it: these
 * tests are never skipped (`.ci/run` installs Debian's redis-server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withTimeout } from './wait';

export const REDIS_SERVER_BINARY = process.env.PARLEY_REDIS_SERVER ?? '/usr/bin/redis-server';

const START_TIMEOUT_MS = 10_000;

export interface RedisServerOptions {
  /** Redis's `appendfsync` (default `always`). */
  appendfsync?: 'always' | 'everysec' | 'no';
  appendonly?: boolean;
}

export class TestRedis {
  #process: ChildProcess | undefined;
  #output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: Required<RedisServerOptions>,
  ) {}

  /** Starts a fresh server; throws (never skips) when redis-server is not installed. */
  static async start(options: RedisServerOptions = {}): Promise<TestRedis> {
    if (!existsSync(REDIS_SERVER_BINARY)) {
      throw new Error(
        `${REDIS_SERVER_BINARY} is missing: these tests need a real Redis ` +
          '(apt-get update && apt-get install -y redis-server, as .ci/run does)',
      );
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-redis-'));
    const redis = new TestRedis(await freePort(), dir, {
      appendfsync: options.appendfsync ?? 'always',
      appendonly: options.appendonly ?? true,
    });
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The server's process id while it runs (the benchmark pins it to a core). */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get running(): boolean {
    return this.#process !== undefined;
  }

  /** (Re)starts the server on the same port and folder; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.#process) throw new Error('redis-server is running already');
    const child = spawn(
      REDIS_SERVER_BINARY,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        this.options.appendonly ? 'yes' : 'no',
        '--appendfsync',
        this.options.appendfsync,
        '--daemonize',
        'no',
        '--logfile',
        '',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.#process = child;
    this.#output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.#output += String(chunk);
        if (this.#output.includes('Ready to accept connections')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`redis-server exited (${code}): ${this.#output}`)),
      );
    });
    child.once('exit', () => {
      if (this.#process === child) this.#process = undefined;
    });
    await withTimeout(ready, START_TIMEOUT_MS, () => `redis-server to start: ${this.#output}`);
  }

  /** Kills the server (SIGKILL: a crash) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#process;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await withTimeout(exited, START_TIMEOUT_MS, 'redis-server to exit');
    this.#process = undefined;
  }

  /** Stops the server and removes its folder. */
  async stop(): Promise<void> {
    await this.kill('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
