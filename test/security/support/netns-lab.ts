/**
 * The program run inside the test's network namespaces (bundled by netns.ts, started with
 * `ip netns exec`). `host FILE` starts the hosts FILE describes on 0.0.0.0 and prints their ports;
 * `probe FILE` connects as FILE says, from the namespace it runs in, and prints what came back.
 * Every step is bounded in time; results are one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import WebSocket from 'ws';
import { startHost } from '../../../main/host/server';
import type { HostOptions, ParleyHost } from '../../../main/host/types';

export interface LabHosts {
  staticDir: string;
  hosts: Record<string, HostOptions>;
}

export type Probe =
  | { kind: 'http'; url: string }
  | { kind: 'v1'; url: string; hello: Record<string, unknown> }
  | { kind: 'plain'; url: string }
  | { kind: 'tcp-cap'; host: string; port: number; open: number; from?: string }
  /** `open` connections from `from`, one more from there, then one from `other` meanwhile. */
  | {
      kind: 'tcp-cap-other';
      host: string;
      port: number;
      open: number;
      from: string;
      other: string;
    };

export type ProbeResult =
  | { kind: 'http'; status: number; body: string }
  | { kind: 'refused'; status: number; body: string }
  | { kind: 'v1'; first: Record<string, unknown> | undefined; closeCode: number | undefined }
  | { kind: 'plain'; first: string | undefined; closeCode: number | undefined }
  | { kind: 'tcp-cap'; stillOpen: number; extraClosedAtOnce: boolean; extraData: string }
  | { kind: 'tcp-cap-other'; overCapClosedAtOnce: boolean; otherClosedAtOnce: boolean }
  | { kind: 'error'; message: string };

const STEP_MS = 5000;

function deadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), STEP_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function httpProbe(url: string): Promise<ProbeResult> {
  const client = url.startsWith('https:') ? https : http;
  return deadline(
    new Promise((resolve, reject) => {
      const request = client.get(url, { rejectUnauthorized: false, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ kind: 'http', status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
    }),
    url,
  );
}

/** Opens a socket; resolves with the first message and the close code (or an HTTP refusal). */
function socketProbe(url: string, protocols: string[], first?: string): Promise<ProbeResult> {
  return deadline(
    new Promise((resolve) => {
      const socket = new WebSocket(url, protocols, { rejectUnauthorized: false });
      let message: string | undefined;
      const v1 = protocols.length > 0;
      const finish = (closeCode: number | undefined) => {
        socket.terminate();
        resolve(
          v1
            ? {
                kind: 'v1',
                first: message === undefined ? undefined : JSON.parse(message),
                closeCode,
              }
            : { kind: 'plain', first: message, closeCode },
        );
      };
      socket.on('open', () => {
        if (first !== undefined) socket.send(first);
      });
      socket.on('message', (data) => {
        message ??= String(data);
        const parsed = v1 ? (JSON.parse(message) as { type?: string }) : undefined;
        // Joined: nothing more to learn. Refused: the close code follows.
        if (
          v1
            ? parsed?.type === 'welcome'
            : message.startsWith('* ') && !message.startsWith('* error')
        ) {
          finish(undefined);
        }
      });
      socket.on('close', (code) => finish(code));
      socket.on('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          socket.terminate();
          resolve({ kind: 'refused', status: response.statusCode ?? 0, body });
        });
      });
      socket.on('error', (error) => resolve({ kind: 'error', message: error.message }));
    }),
    url,
  );
}

function connectFrom(host: string, port: number, localAddress?: string): Promise<net.Socket> {
  return deadline(
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ port, host, ...(localAddress && { localAddress }) }, () =>
        resolve(socket),
      );
      socket.on('error', reject);
    }),
    'a TCP connection',
  );
}

/** True when the host closes the socket within a second (it never does for a client it took). */
function closedAtOnce(socket: net.Socket): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 1000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Holds `open` idle connections, then tries one more: does the host drop it at once? */
async function capProbe(
  host: string,
  port: number,
  open: number,
  from?: string,
): Promise<ProbeResult> {
  const connect = () => connectFrom(host, port, from);
  const held: net.Socket[] = [];
  for (let index = 0; index < open; index++) held.push(await connect());
  const extra = await connect();
  let extraData = '';
  extra.on('data', (chunk: Buffer) => (extraData += chunk.toString('latin1')));
  const extraClosedAtOnce = await closedAtOnce(extra);
  const stillOpen = held.filter((socket) => !socket.destroyed).length;
  for (const socket of [...held, extra]) socket.destroy();
  return { kind: 'tcp-cap', stillOpen, extraClosedAtOnce, extraData };
}

/** The cap is per address: one address at its cap, another still gets in meanwhile. */
async function capOtherProbe(
  probe: Extract<Probe, { kind: 'tcp-cap-other' }>,
): Promise<ProbeResult> {
  const { host, port, open, from, other } = probe;
  const held: net.Socket[] = [];
  try {
    for (let index = 0; index < open; index++) held.push(await connectFrom(host, port, from));
    const overCap = await connectFrom(host, port, from);
    held.push(overCap);
    const overCapClosedAtOnce = await closedAtOnce(overCap);
    const another = await connectFrom(host, port, other);
    held.push(another);
    const otherClosedAtOnce = await closedAtOnce(another);
    return { kind: 'tcp-cap-other', overCapClosedAtOnce, otherClosedAtOnce };
  } finally {
    for (const socket of held) socket.destroy();
  }
}

async function runProbe(probe: Probe): Promise<ProbeResult> {
  try {
    switch (probe.kind) {
      case 'http':
        return await httpProbe(probe.url);
      case 'v1':
        return await socketProbe(probe.url, ['parley.v1'], JSON.stringify(probe.hello));
      case 'plain':
        return await socketProbe(probe.url, []);
      case 'tcp-cap':
        return await capProbe(probe.host, probe.port, probe.open, probe.from);
      case 'tcp-cap-other':
        return await capOtherProbe(probe);
    }
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

async function runHosts(file: string): Promise<void> {
  const lab = JSON.parse(readFileSync(file, 'utf8')) as LabHosts;
  const started: ParleyHost[] = [];
  const ports: Record<string, number> = {};
  for (const [name, options] of Object.entries(lab.hosts)) {
    const host = await startHost({
      ...options,
      host: '0.0.0.0',
      port: 0,
      staticDir: lab.staticDir,
    });
    started.push(host);
    ports[name] = host.port;
  }
  process.stdout.write(`${JSON.stringify({ ports })}\n`);
  // The test ends the lab by closing stdin.
  process.stdin.resume();
  process.stdin.on('end', () => {
    void Promise.all(started.map((host) => host.close())).then(() => process.exit(0));
  });
}

async function runProbes(file: string): Promise<void> {
  const probes = JSON.parse(readFileSync(file, 'utf8')) as Probe[];
  const results: ProbeResult[] = [];
  for (const probe of probes) results.push(await runProbe(probe));
  process.stdout.write(`${JSON.stringify(results)}\n`, () => process.exit(0));
}

const [mode, file] = process.argv.slice(2);
if (mode === 'host' && file) void runHosts(file);
else if (mode === 'probe' && file) void runProbes(file);
else {
  process.stderr.write('usage: netns-lab host|probe FILE\n');
  process.exit(2);
}
