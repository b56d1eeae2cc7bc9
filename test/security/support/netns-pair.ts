/**
 * Another machine without leaving this one: two network namespaces joined by a veth pair with
 * private addresses (10.231.x.1 and .2), created for a test and deleted after it, and a program
 * of the test's own (bundled with esbuild) run inside either with `ip netns exec`. Each namespace
 * has its loopback and its end of the pair, and a default route over the pair, as a machine on
 * a LAN has: multicast (mDNS) and unicast work as on a real network, yet every packet stays
 * inside the two namespaces. Nothing touches the namespace the tests themselves run in. Needs
 * root (`ip netns`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
export const STEP_TIMEOUT_MS = 20_000;

export type Side = 'host' | 'peer';

export interface NetnsPair {
  /** The host namespace's address on the veth link. */
  hostAddress: string;
  /** The peer namespace's address on the veth link. */
  peerAddress: string;
  /** A second address of the peer namespace: another client address, same link. */
  secondPeerAddress: string;
  /** A folder of the pair's own, deleted by close(). */
  dir: string;
  /** Writes `value` as JSON to a new file in `dir`; resolves with its path. */
  writeJson(value: unknown): Promise<string>;
  /** Starts the bundled program in a namespace with these arguments (ended by close()). */
  spawn(side: Side, args: string[]): ChildProcess;
  /** Ends every program still running (stdin closed, then SIGKILL after 5 s), deletes all. */
  close(): Promise<void>;
}

export async function createNetnsPair(programSource: string): Promise<NetnsPair> {
  const id = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  const names: Record<Side, string> = { host: `parley-h-${id}`, peer: `parley-p-${id}` };
  // 10.231.x.0/29: private, and unlikely to clash with anything (it exists only inside the pair).
  const subnet = `10.231.${randomBytes(1)[0]! % 250}`;
  const hostAddress = `${subnet}.1`;
  const peerAddress = `${subnet}.2`;
  const secondPeerAddress = `${subnet}.3`;
  const dir = await mkdtemp(join(tmpdir(), 'parley-netns-'));
  const program = join(dir, 'program.mjs');
  const children = new Set<ChildProcess>();

  const ip = (...args: string[]) => run('ip', args, { timeout: STEP_TIMEOUT_MS });
  const removeNamespaces = async () => {
    for (const ns of Object.values(names)) await ip('netns', 'del', ns).catch(() => undefined);
  };
  try {
    await ip('netns', 'add', names.host);
    await ip('netns', 'add', names.peer);
    const veth = ['veth-h', 'netns', names.host, 'type', 'veth'];
    await ip('link', 'add', ...veth, 'peer', 'name', 'veth-p', 'netns', names.peer);
    const ends = [
      [names.host, 'veth-h', hostAddress, peerAddress],
      [names.peer, 'veth-p', peerAddress, hostAddress],
    ] as const;
    for (const [ns, device, own, other] of ends) {
      await ip('-n', ns, 'addr', 'add', `${own}/29`, 'dev', device);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('-n', ns, 'link', 'set', device, 'up');
      // A LAN machine has a default route, which multicast to 224.0.0.251 follows too.
      await ip('-n', ns, 'route', 'add', 'default', 'via', other, 'dev', device);
    }
    await ip('-n', names.peer, 'addr', 'add', `${secondPeerAddress}/29`, 'dev', 'veth-p');
    await build({
      entryPoints: [programSource],
      outfile: program,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      // ws's optional native helpers; it works without them.
      external: ['bufferutil', 'utf-8-validate'],
      // The bundled CommonJS packages call require() for Node's own modules.
      banner: {
        js: "import { createRequire as parleyLabRequire } from 'node:module'; const require = parleyLabRequire(import.meta.url);",
      },
      logLevel: 'error',
    });
  } catch (error) {
    await removeNamespaces();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  let files = 0;
  return {
    hostAddress,
    peerAddress,
    secondPeerAddress,
    dir,
    async writeJson(value) {
      const file = join(dir, `input-${++files}.json`);
      await writeFile(file, JSON.stringify(value));
      return file;
    },
    spawn(side, args) {
      const child = spawn(
        'ip',
        ['netns', 'exec', names[side], process.execPath, program, ...args],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    async close() {
      await Promise.all([...children].map((child) => endChild(child)));
      children.clear();
      await removeNamespaces();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Closes the child's stdin (the programs' cue to clean up and exit); kills it after 5 s. */
export async function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** The lines a child prints on stdout, as they come, and what it printed on stderr. */
export class ChildLines {
  readonly lines: string[] = [];
  stderr = '';
  #waiters: (() => void)[] = [];
  #exited = false;

  constructor(readonly child: ChildProcess) {
    let partial = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      partial += chunk;
      let end: number;
      while ((end = partial.indexOf('\n')) >= 0) {
        this.lines.push(partial.slice(0, end));
        partial = partial.slice(end + 1);
      }
      this.#wake();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.once('exit', () => {
      this.#exited = true;
      this.#wake();
    });
  }

  /** Resolves with the first line from index `from` on that `accept` takes (as parsed JSON). */
  async next<T>(
    accept: (value: T) => boolean,
    what: string,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<{ value: T; index: number }> {
    const { from = 0, timeoutMs = STEP_TIMEOUT_MS } = options;
    const deadline = Date.now() + timeoutMs;
    for (let index = from; ;) {
      for (; index < this.lines.length; index++) {
        const value = JSON.parse(this.lines[index]!) as T;
        if (accept(value)) return { value, index };
      }
      if (this.#exited) throw new Error(`${what}: the program exited (${this.stderr})`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: nothing after ${timeoutMs} ms (${this.stderr})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}

export interface IsolatedRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in a network namespace of its own with nothing but loopback: a machine with no
 * network at all, for what must fail plainly when a download is impossible. Needs root.
 */
export async function runWithoutNetwork(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<IsolatedRun> {
  const ns = `parley-n-${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  await run('ip', ['netns', 'add', ns], { timeout: STEP_TIMEOUT_MS });
  try {
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up'], { timeout: STEP_TIMEOUT_MS });
    return await new Promise<IsolatedRun>((resolve, reject) => {
      const child = spawn('ip', ['netns', 'exec', ns, command, ...args], {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
      child.once('error', reject);
      child.once('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  } finally {
    await run('ip', ['netns', 'del', ns], { timeout: STEP_TIMEOUT_MS }).catch(() => undefined);
  }
}
