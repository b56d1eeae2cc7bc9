/**
 * TLS hosts for the terminal client's tests: two identities made once per test file, hosts on
 * 127.0.0.1 port 0, and a config home (known rooms) per test in a temp dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startHost } from '../../../../main/host/server';
import type { HostOptions, ParleyHost } from '../../../../main/host/types';
import { ensureCertificate, type HostCertificate } from '../../../../main/tls/certificate';
import { openKnownRooms, type KnownRooms } from '../../../../main/tls/known-rooms';
import { memoryIo, type MemoryIo } from './memory-io';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export async function tempDir(prefix = 'parley-cli-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

let identities: Promise<[HostCertificate, HostCertificate]> | undefined;

/** Two different host certificates (for "the identity changed"). */
export function hostIdentities(): Promise<[HostCertificate, HostCertificate]> {
  identities ??= (async () => [
    await ensureCertificate(await tempDir(), { hostnames: [] }),
    await ensureCertificate(await tempDir(), { hostnames: [] }),
  ])();
  return identities;
}

export interface TlsRoom {
  host: ParleyHost;
  /** `127.0.0.1:PORT`, as a person types it: TLS, trusted on first use. */
  address: string;
  /** The cleartext socket URL, for the other participants of a test (loopback). */
  url: string;
}

export async function tlsRoom(
  cleanups: (() => Promise<unknown>)[],
  options: HostOptions = {},
  identity = 0,
): Promise<TlsRoom> {
  const certificate = (await hostIdentities())[identity]!;
  const host = await startHost({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: certificate.cert, key: certificate.key },
    ...options,
  });
  cleanups.push(() => host.close());
  return { host, address: `127.0.0.1:${host.port}`, url: `ws://127.0.0.1:${host.port}/ws` };
}

/** An io whose known-rooms file lives in `configHome` (a fresh temp dir when omitted). */
export async function clientIo(
  options: { tty?: boolean; configHome?: string } = {},
): Promise<{ io: MemoryIo; knownRooms: KnownRooms; configHome: string }> {
  const configHome = options.configHome ?? (await tempDir('parley-config-'));
  const io = memoryIo({
    tty: options.tty ?? false,
    env: { XDG_CONFIG_HOME: configHome, HOME: configHome },
  });
  const knownRooms = openKnownRooms(join(configHome, 'parley', 'known-rooms.json'));
  return { io, knownRooms, configHome };
}
