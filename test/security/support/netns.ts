/**
 * A second machine without leaving this one: two network namespaces joined by a veth pair with
 * private addresses, created for the test and deleted after it. The host runs in one namespace,
 * probes run in the other (a peer on the "LAN") or next to the host (loopback). Nothing touches
 * the namespace the tests themselves run in, nor any address outside the pair. Needs root.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { HostOptions } from '../../../main/host/types';
import type { Probe, ProbeResult } from './netns-lab';

const run = promisify(execFile);
const LAB_SOURCE = fileURLToPath(new URL('./netns-lab.ts', import.meta.url));
const STEP_TIMEOUT_MS = 20_000;

export interface Lab {
  /** The host's address on the veth link, as seen from the peer namespace. */
  hostAddress: string;
  /** The peer's address: what the host sees as a non-loopback client. */
  peerAddress: string;
  /** Ports of the hosts started by startHosts, by name. */
  ports: Record<string, number>;
  startHosts(hosts: Record<string, HostOptions>): Promise<Record<string, number>>;
  /** Runs probes from the peer namespace ('peer') or next to the host ('host', for loopback). */
  probe(from: 'peer' | 'host', probes: Probe[]): Promise<ProbeResult[]>;
  close(): Promise<void>;
}

export async function createLab(): Promise<Lab> {
  const id = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  const hostNs = `parley-h-${id}`;
  const peerNs = `parley-p-${id}`;
  // 10.231.x.0/30: private, and unlikely to clash with anything (it exists only inside the pair).
  const subnet = `10.231.${randomBytes(1)[0]! % 250}`;
  const lab = { hostAddress: `${subnet}.1`, peerAddress: `${subnet}.2` };
  const dir = await mkdtemp(join(tmpdir(), 'parley-netns-'));
  const children = new Set<ChildProcess>();
  let ports: Record<string, number> = {};

  const ip = (...args: string[]) => run('ip', args, { timeout: STEP_TIMEOUT_MS });
  const removeNamespaces = async () => {
    for (const ns of [hostNs, peerNs]) await ip('netns', 'del', ns).catch(() => undefined);
  };
  try {
    await ip('netns', 'add', hostNs);
    await ip('netns', 'add', peerNs);
    await ip(
      'link',
      'add',
      'veth-h',
      'netns',
      hostNs,
      'type',
      'veth',
      'peer',
      'name',
      'veth-p',
      'netns',
      peerNs,
    );
    await ip('-n', hostNs, 'addr', 'add', `${lab.hostAddress}/30`, 'dev', 'veth-h');
    await ip('-n', peerNs, 'addr', 'add', `${lab.peerAddress}/30`, 'dev', 'veth-p');
    for (const [ns, device] of [
      [hostNs, 'veth-h'],
      [peerNs, 'veth-p'],
    ] as const) {
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('-n', ns, 'link', 'set', device, 'up');
    }
    await build({
      entryPoints: [LAB_SOURCE],
      outfile: join(dir, 'lab.mjs'),
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

  const labCommand = (ns: string, mode: string, file: string) =>
    spawn('ip', ['netns', 'exec', ns, process.execPath, join(dir, 'lab.mjs'), mode, file], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });

  const firstLine = (child: ChildProcess, what: string) =>
    new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(
        () => reject(new Error(`${what}: no answer (${err})`)),
        STEP_TIMEOUT_MS,
      );
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const end = out.indexOf('\n');
        if (end < 0) return;
        clearTimeout(timer);
        resolve(out.slice(0, end));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!out.includes('\n')) reject(new Error(`${what} exited with ${code}: ${err}`));
      });
    });

  let files = 0;
  const writeJson = async (value: unknown) => {
    const file = join(dir, `input-${++files}.json`);
    await writeFile(file, JSON.stringify(value));
    return file;
  };

  return {
    ...lab,
    get ports() {
      return ports;
    },
    async startHosts(hosts) {
      const staticDir = join(dir, 'static');
      await mkdir(staticDir, { recursive: true });
      const file = await writeJson({ staticDir, hosts });
      const child = labCommand(hostNs, 'host', file);
      children.add(child);
      const line = await firstLine(child, 'the hosts in the namespace');
      ports = (JSON.parse(line) as { ports: Record<string, number> }).ports;
      return ports;
    },
    async probe(from, probes) {
      const file = await writeJson(probes);
      const child = labCommand(from === 'peer' ? peerNs : hostNs, 'probe', file);
      children.add(child);
      child.once('exit', () => children.delete(child));
      return JSON.parse(await firstLine(child, 'the probes')) as ProbeResult[];
    },
    async close() {
      for (const child of children) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.stdin?.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      children.clear();
      await removeNamespaces();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
