/**
 * The desktop app's rooms over TLS: hosting serves the app's own certificate; joining pins the
 * host's certificate (from an invite, a confirmed first use, or the known-rooms file), refuses a
 * changed identity until the room is forgotten, and keeps the pin on every reconnect.
 * Real hosts on 127.0.0.1 with port 0, real files in temp dirs.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  RoomController,
  type RoomControllerOptions,
} from '../../../../main/app/room/room-controller';
import { startHost } from '../../../../main/host/server';
import { createMemoryStore } from '../../../../main/host/store/memory-store';
import { openSqliteStore } from '../../../../main/host/store/sqlite-store';
import type { ParleyHost } from '../../../../main/host/types';
import { ensureCertificate, type HostCertificate } from '../../../../main/tls/certificate';
import { identityChangedWarning } from '../../../../main/tls/known-rooms';
import { pinnedTlsOptions, toWsClientOptions } from '../../../../main/tls/pinning';
import { firstUseNotice } from '../../../../main/tls/room-trust';
import type { RoomSummary } from '../../../../protocol/bridge';
import type { ClientSessionOptions } from '../../../../protocol/client/client-types';
import { ClientSession } from '../../../../protocol/client/client-session';
import { readableFingerprint } from '../../../../protocol/client/fingerprint';
import { buildInvite, parseInvite } from '../../../../protocol/client/invite';
import { quietAdvertiser } from '../helpers/fakes';
import { recordEvents } from '../helpers/room-events';

let root: string;
let identities: [HostCertificate, HostCertificate];
let dataDir: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'parley-controller-tls-'));
  identities = [
    await ensureCertificate(path.join(root, 'identity-a'), { hostnames: [] }),
    await ensureCertificate(path.join(root, 'identity-b'), { hostnames: [] }),
  ];
});

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(root, 'app-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function makeController(options: Partial<RoomControllerOptions> = {}) {
  const controller = new RoomController({
    dataDir,
    openStore: createMemoryStore,
    bindAddress: '127.0.0.1',
    sessionOptions: { backoff: { initialMs: 50, maxMs: 200 } },
    advertiseRoom: quietAdvertiser(),
    trustTimeoutMs: 5_000,
    log: () => undefined,
    ...options,
  });
  cleanups.push(() => controller.leave());
  return { controller, log: recordEvents(controller) };
}

/** A TLS host of room "Vault" on 127.0.0.1, with its history (and room id) in `storeDir`. */
async function vaultHost(identity: 0 | 1, storeDir: string, port = 0): Promise<ParleyHost> {
  const certificate = identities[identity];
  const host = await startHost({
    host: '127.0.0.1',
    port,
    roomName: 'Vault',
    store: await openSqliteStore(storeDir, 'Vault'),
    tls: { cert: certificate.cert, key: certificate.key },
  });
  cleanups.push(() => host.close());
  return host;
}

const failureOf = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

describe('hosting from the desktop app', () => {
  it('serves TLS with the app’s certificate: a client pinned to the summary’s fingerprint joins', async () => {
    const asked: string[] = [];
    const sessionUrls: string[] = [];
    const { controller } = makeController({
      tlsDir: path.join(dataDir, 'tls-here'),
      ensureCertificate: async (dir) => {
        asked.push(dir);
        return identities[0];
      },
      createSession: (options: ClientSessionOptions) => {
        sessionUrls.push(options.url);
        return new ClientSession(options);
      },
    });
    const hosted = await controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    expect(asked).toEqual([path.join(dataDir, 'tls-here')]);
    expect(hosted.fingerprint).toEqual(readableFingerprint(identities[0].fingerprint256));

    const address = hosted.addresses[0]?.address ?? '';
    const port = Number(address.split(':')[1]);
    // The app's own session stays on loopback cleartext.
    expect(sessionUrls).toEqual([`ws://127.0.0.1:${port}/ws`]);

    // Invites carry the fingerprint; the guest page is https.
    const [invite] = hosted.invites ?? [];
    const parsed = parseInvite(invite?.invite ?? '');
    expect(parsed.ok && parsed.invite).toMatchObject({
      secure: true,
      fingerprint: identities[0].fingerprint256,
      roomId: hosted.room.id,
    });
    expect(invite?.guestUrl).toBe(`https://${address}/`);

    const pinned = await pinnedTlsOptions(
      { host: '127.0.0.1', port },
      hosted.fingerprint?.full ?? '',
    );
    const socket = new WebSocket(`wss://${address}/ws`, 'parley.v1', toWsClientOptions(pinned));
    cleanups.push(async () => socket.close());
    const welcome = await new Promise<unknown>((resolve, reject) => {
      socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', name: 'Bob' })));
      socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString())));
      socket.once('error', reject);
    });
    expect(welcome).toMatchObject({ type: 'welcome', room: hosted.room, self: { name: 'Bob' } });
  });

  it('creates the certificate in the TLS folder on first use and keeps it', async () => {
    const tlsDir = path.join(dataDir, 'tls');
    const first = makeController({ tlsDir });
    const one = await first.controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    await first.controller.leave();
    const two = await first.controller.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    expect(two.fingerprint).toEqual(one.fingerprint);
    expect(await readFile(path.join(tlsDir, 'cert.pem'), 'utf8')).toMatch(/BEGIN CERTIFICATE/);
  });

  it('says which file is broken instead of hosting with a new identity', async () => {
    const tlsDir = path.join(dataDir, 'tls');
    await mkdir(tlsDir);
    await writeFile(path.join(tlsDir, 'cert.pem'), 'not a certificate');
    await writeFile(path.join(tlsDir, 'key.pem'), 'not a key');
    const { controller } = makeController({ tlsDir });
    const failure = await failureOf(controller.host({ roomName: 'Lab', name: 'Ada', port: 0 }));
    expect(failure).toEqual({
      code: 'certificate_failed',
      message: expect.stringContaining(`The room could not be started: ${tlsDir}/cert.pem`),
    });
    expect(controller.hosting).toBe(false);
    expect(await readFile(path.join(tlsDir, 'cert.pem'), 'utf8')).toBe('not a certificate');
  });
});

describe('joining a TLS room', () => {
  it('asks to confirm a room never seen, then joins with the confirmed fingerprint and remembers it', async () => {
    const host = await vaultHost(0, await mkdtemp(path.join(root, 'vault-')));
    const { controller } = makeController();
    const address = `127.0.0.1:${host.port}`;

    const question = await failureOf(controller.join({ address, name: 'Bob' }));
    const fingerprint = readableFingerprint(identities[0].fingerprint256);
    expect(question).toEqual({
      code: 'confirm_identity',
      message: firstUseNotice(host.room, identities[0].fingerprint256),
      fingerprint,
      roomName: 'Vault',
      roomId: host.room.id,
    });
    // Nothing joined while the person looks at the fingerprint.
    expect(host.peers()).toEqual([]);

    const joined = await controller.join({ address, name: 'Bob', fingerprint: fingerprint.full });
    expect(joined.room).toEqual(host.room);
    expect(joined.fingerprint).toEqual(fingerprint);
    const known = JSON.parse(await readFile(path.join(dataDir, 'known-rooms.json'), 'utf8'));
    expect(known.rooms).toEqual([
      expect.objectContaining({ id: host.room.id, fingerprint256: fingerprint.full }),
    ]);

    // Known now: the next visit joins without asking.
    await controller.leave();
    const again = await controller.join({ address, name: 'Bob' });
    expect(again.room).toEqual(host.room);
  });

  it('joins by an invite with a fingerprint at once, the first time too', async () => {
    const host = await vaultHost(0, await mkdtemp(path.join(root, 'vault-')));
    const { controller } = makeController();
    const invite = buildInvite({
      host: '127.0.0.1',
      port: host.port,
      fingerprint: identities[0].fingerprint256,
      roomId: host.room.id,
    });
    const joined = await controller.join({ address: invite, name: 'Bob' });
    expect(joined.room).toEqual(host.room);
    expect(host.peers().map((peer) => peer.name)).toEqual(['Bob']);
  });

  it('refuses a fingerprint the host does not present, sending it nothing', async () => {
    const host = await vaultHost(0, await mkdtemp(path.join(root, 'vault-')));
    const { controller } = makeController();
    const failure = await failureOf(
      controller.join({
        address: `127.0.0.1:${host.port}`,
        name: 'Bob',
        fingerprint: identities[1].fingerprint256,
      }),
    );
    expect(failure).toMatchObject({
      code: 'fingerprint_mismatch',
      message: expect.stringMatching(/Nothing was sent/),
    });
    expect(host.peers()).toEqual([]);
  });

  it('refuses a changed identity with the warning until the room is forgotten', async () => {
    const storeDir = await mkdtemp(path.join(root, 'vault-'));
    const before = await vaultHost(0, storeDir);
    const { controller } = makeController();
    const first = await controller.join({
      address: `127.0.0.1:${before.port}`,
      name: 'Bob',
      fingerprint: identities[0].fingerprint256,
    });
    await controller.leave();
    await before.close();

    // Same room (same history and id), another certificate.
    const after = await vaultHost(1, storeDir);
    expect(after.room.id).toBe(first.room.id);
    const address = `127.0.0.1:${after.port}`;
    const refusal = await failureOf(controller.join({ address, name: 'Bob' }));
    expect(refusal).toEqual({
      code: 'identity_changed',
      message: identityChangedWarning({
        roomId: first.room.id,
        roomName: 'Vault',
        known: identities[0].fingerprint256,
        presented: identities[1].fingerprint256,
      }),
      fingerprint: readableFingerprint(identities[1].fingerprint256),
      roomName: 'Vault',
      roomId: first.room.id,
    });
    expect(after.peers()).toEqual([]);
    // Asking again changes nothing: only forgetting does.
    await expect(controller.join({ address, name: 'Bob' })).rejects.toMatchObject({
      code: 'identity_changed',
    });

    await controller.forgetRoom(first.room.id);
    await expect(controller.join({ address, name: 'Bob' })).rejects.toMatchObject({
      code: 'confirm_identity',
      fingerprint: readableFingerprint(identities[1].fingerprint256),
    });
    const joined = await controller.join({
      address,
      name: 'Bob',
      fingerprint: identities[1].fingerprint256,
    });
    expect(joined.room).toEqual(after.room);
  });

  it('says so when the host does not speak TLS, naming the ws:// address to use on a trusted network', async () => {
    const plain = await startHost({ host: '127.0.0.1', port: 0, store: createMemoryStore('Old') });
    cleanups.push(() => plain.close());
    const { controller } = makeController();
    const address = `127.0.0.1:${plain.port}`;
    const failure = await failureOf(controller.join({ address, name: 'Bob' }));
    expect(failure).toEqual({
      code: 'not_tls',
      message: `The room at ${address} does not speak TLS, so Parley did not connect. If it is a Parley host without encryption and you trust this network, join with ws://${address}/ws instead.`,
    });
  });

  it('sends a password in cleartext to no other machine, and opens no socket to try', async () => {
    const sessions: string[] = [];
    const { controller } = makeController({
      createSession: (options: ClientSessionOptions) => {
        sessions.push(options.url);
        return new ClientSession(options);
      },
    });
    const failure = await failureOf(
      controller.join({ address: 'ws://parley-test.invalid:7420/ws', name: 'Bob', password: 'pw' }),
    );
    expect(failure).toEqual({
      code: 'insecure_password',
      message:
        'Parley does not send a password over an unencrypted connection, and the host would refuse it. Leave out ws:// to join encrypted.',
    });
    expect(sessions).toEqual([]);

    // Within this machine it travels nowhere: a loopback host takes it.
    const host = await startHost({
      host: '127.0.0.1',
      port: 0,
      password: 'pw',
      store: createMemoryStore('Local'),
    });
    cleanups.push(() => host.close());
    const joined = await controller.join({
      address: `ws://127.0.0.1:${host.port}/ws`,
      name: 'Bob',
      password: 'pw',
    });
    expect(joined.room).toEqual(host.room);
  });

  it('reports a damaged known-rooms file by name instead of trusting every room afresh', async () => {
    const host = await vaultHost(0, await mkdtemp(path.join(root, 'vault-')));
    const file = path.join(dataDir, 'mine.json');
    await writeFile(file, '{ not json');
    const { controller } = makeController({ knownRoomsFile: file });
    const failure = await failureOf(
      controller.join({ address: `127.0.0.1:${host.port}`, name: 'Bob' }),
    );
    expect(failure).toMatchObject({
      code: 'known_rooms_failed',
      message: expect.stringMatching(
        new RegExp(`^The list of known rooms could not be read: ${file}`),
      ),
    });
    await expect(controller.forgetRoom('r_any')).rejects.toMatchObject({
      code: 'known_rooms_failed',
    });
  });

  it('keeps the pin on reconnects: an impostor on the same port gets nothing, the host gets Bob back', async () => {
    const storeDir = await mkdtemp(path.join(root, 'vault-'));
    const host = await vaultHost(0, storeDir);
    const port = host.port;
    const { controller, log } = makeController();
    const joined: RoomSummary = await controller.join({
      address: buildInvite({ host: '127.0.0.1', port, fingerprint: identities[0].fingerprint256 }),
      name: 'Bob',
    });
    await host.close();
    await log.waitFor((e) => e.type === 'state' && e.state === 'reconnecting');
    const mark = log.events.length;
    const since = (event: unknown) => log.events.indexOf(event as never) >= mark;

    // Another certificate on the very same port.
    const impostor = await listenImpostor(port, identities[1]);
    await impostor.connections(2);
    expect(impostor.received()).toEqual([]);
    expect(log.events.slice(mark).filter((e) => e.type === 'summary')).toEqual([]);
    // The window hears why it does not come back, once however often it tries.
    const notice = await log.waitFor((e) => since(e) && e.type === 'notice');
    expect(notice).toMatchObject({ code: 'identity_mismatch' });
    await impostor.connections(4);
    expect(log.events.filter((e) => e.type === 'notice')).toHaveLength(1);
    await impostor.close();

    // The real host comes back on its port: the session resumes on its own.
    const back = await vaultHost(0, storeDir, port);
    const resumed = await log.waitFor((e) => since(e) && e.type === 'summary', 10_000);
    expect(resumed).toMatchObject({ summary: { room: joined.room, self: joined.self } });
    expect(back.peers().map((peer) => peer.name)).toEqual(['Bob']);
  });
});

interface Impostor {
  /** Resolves once `count` TCP connections arrived (within 10 s). */
  connections(count: number): Promise<void>;
  /** Application data any connection sent after a completed handshake. */
  received(): string[];
  close(): Promise<void>;
}

async function listenImpostor(port: number, certificate: HostCertificate): Promise<Impostor> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  let seen = 0;
  const waiters = new Set<() => void>();
  const server = tls.createServer({ cert: certificate.cert, key: certificate.key }, (socket) => {
    socket.on('data', (chunk: Buffer) => received.push(chunk.toString()));
  });
  server.on('connection', (socket: net.Socket) => {
    seen++;
    sockets.add(socket);
    for (const waiter of [...waiters]) waiter();
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return {
    connections(count) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`only ${seen} connections to the impostor within 10 s`));
        }, 10_000);
        const check = () => {
          if (seen < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    received: () => [...received],
    close,
  };
}
