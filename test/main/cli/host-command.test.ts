/** `parley host` run in-process: what it prints, and that it stops cleanly when asked. */
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLEARTEXT_WARNING, runHost } from '../../../main/cli/host-command';
import { ClientSession } from '../../../protocol/client/client-session';
import { fingerprintToBase64Url, readableFingerprint } from '../../../protocol/client/fingerprint';
import { until, withTimeout } from '../../support/wait';
import { memoryIo } from './support/memory-io';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-host-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs `parley host` with its default data directory in a temp dir (the certificate goes there).
 * Not advertised: host-discovery.test.ts tests that, on a loopback mDNS port of its own.
 */
async function hostInProcess(args: string[], dataHome?: string) {
  const home = dataHome ?? (await tempDir());
  const io = memoryIo({ env: { XDG_DATA_HOME: home, HOME: home } });
  const done = runHost(['--port', '0', '--bind', '127.0.0.1', '--no-discovery', ...args], io);
  cleanups.push(async () => {
    io.requestStop();
    await done;
  });
  const [, port] = await io.waitForOutput(/open on port (\d+)\./);
  await io.waitForOutput(/Press Ctrl\+C/);
  const dataFlag = args.indexOf('--data');
  const dataDir = dataFlag >= 0 ? args[dataFlag + 1]! : join(home, 'parley', 'host');
  const certificate = await readFile(join(dataDir, 'tls', 'cert.pem'), 'utf8');
  return {
    io,
    done,
    port: Number(port),
    url: `ws://127.0.0.1:${port}/ws`,
    address: `127.0.0.1:${port}`,
    fingerprint: new X509Certificate(certificate).fingerprint256,
  };
}

function client(url: string, name: string) {
  const session = new ClientSession({
    url,
    name,
    WebSocket: WebSocket,
    reconnect: false,
  });
  cleanups.push(() => session.close());
  return session;
}

function get(port: number, path: string): Promise<number> {
  return withTimeout(
    new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
        .on('error', reject);
    }),
    3000,
    `GET ${path}`,
  );
}

describe('parley host', () => {
  // Needs the version 2 host: a client joins, and the client session speaks parley.v2 only.
  it('prints the room, its loopback address, and who joins and leaves; stops with 0', async () => {
    const { io, done, url, address } = await hostInProcess(['--memory', '--room', 'Kitchen']);
    expect(io.output()).toContain('Room "Kitchen" is open on port');
    expect(io.output()).toContain('History is kept in memory only (--memory)');
    expect(io.output()).toMatch(new RegExp(`  ${address.replace(/\./g, '\\.')}\\s+\\(loopback\\)`));

    const carol = client(url, 'carol');
    await carol.connect();
    await io.waitForOutput(/\[\d\d:\d\d\] \* carol joined\n/);
    await carol.close();
    await io.waitForOutput(/\[\d\d:\d\d\] \* carol left\n/);

    io.requestStop();
    expect(await withTimeout(done, 5000, 'the host to stop')).toBe(0);
    expect(io.errors()).toBe('');
  });

  it('prints the fingerprint in both forms, and an invite and guest URL per address', async () => {
    const { io, address, fingerprint } = await hostInProcess(['--memory']);
    const readable = readableFingerprint(fingerprint);
    const output = io.output();
    expect(output).toContain(`Fingerprint: ${readable.short}\n`);
    expect(output).toContain(`  full SHA-256: ${readable.full}\n`);
    const [, roomId] = /room=([\w.~-]+)/.exec(output) ?? [];
    expect(output).toContain(
      `    invite: parley://${address}/?fp=${fingerprintToBase64Url(fingerprint)}&room=${roomId}\n`,
    );
    expect(output).toContain(`    guest:  https://${address}/\n`);
    expect(output).toContain("Created this host's certificate in");
  });

  it('keeps its certificate in the data directory, so the fingerprint survives a restart', async () => {
    const home = await tempDir();
    const first = await hostInProcess(['--memory'], home);
    first.io.requestStop();
    expect(await first.done).toBe(0);
    const second = await hostInProcess(['--memory'], home);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.io.output()).not.toContain('Created');
    expect(second.io.output()).toContain(readableFingerprint(first.fingerprint).short);
  });

  // Needs the version 2 host: a client joins, and the client session speaks parley.v2 only.
  it('keeps the room and its history in --data, and an explicit --room renames it', async () => {
    const dataDir = await tempDir();
    const first = await hostInProcess(['--data', dataDir, '--room', 'Before']);
    expect(first.io.output()).toContain(`History is saved in ${join(dataDir, 'parley.db')}`);
    expect(first.io.output()).toContain(`certificate in ${join(dataDir, 'tls')}`);
    const writer = client(first.url, 'writer');
    const welcome = await writer.connect();
    writer.send({ conv: 'general', text: 'kept on disk' });
    await withTimeout(writer.whenSettled(), 5000, 'the message stored');
    await writer.close();
    first.io.requestStop();
    expect(await first.done).toBe(0);

    const second = await hostInProcess(['--data', dataDir, '--room', 'After']);
    expect(second.io.output()).toContain('Room "After"');
    const reader = client(second.url, 'reader');
    const texts: string[] = [];
    reader.on('entry', (entry) => {
      if (entry.kind === 'text') texts.push(entry.text);
    });
    const again = await reader.connect();
    expect(again.room).toEqual({ id: welcome.room.id, name: 'After' });
    await until(() => texts.length === 1, 2000, 'the catchup');
    expect(texts).toEqual(['kept on disk']);
  });

  it('shows only the bound address when bound to one', async () => {
    const { io, address } = await hostInProcess(['--memory']);
    const listed = io.output().match(/^ {2}\S+:\d+\s+\(.*\)$/gm);
    expect(listed).toEqual([expect.stringContaining(address)]);
  });

  it('warns on stderr about --allow-cleartext', async () => {
    const { io } = await hostInProcess(['--memory', '--allow-cleartext']);
    expect(io.errors()).toBe(`parley: ${CLEARTEXT_WARNING}\n`);
    expect(CLEARTEXT_WARNING).toMatch(/anyone on the network can read their messages/);
  });

  it('serves no guest page with --no-browser, and says so nowhere in the banner', async () => {
    const { io, port } = await hostInProcess(['--memory', '--no-browser']);
    expect(io.output()).not.toContain('guest:');
    expect(io.output()).not.toContain('browser');
    expect(await get(port, '/')).toBe(404);
    expect(await get(port, '/api/info')).toBe(200);
  });

  it('leaves no new data folder behind when it cannot start, and keeps one that was there', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const { port } = blocker.address() as AddressInfo;
    const root = await tempDir();
    const argv = (dataDir: string) => {
      const flags = ['--port', String(port), '--bind', '127.0.0.1', '--no-discovery'];
      return [...flags, '--data', dataDir];
    };

    const fresh = memoryIo();
    expect(await runHost(argv(join(root, 'new', 'data')), fresh)).toBe(2);
    expect(fresh.errors()).toMatch(/already in use/);
    expect(await readdir(root)).toEqual([]);

    await mkdir(join(root, 'kept'));
    const existing = memoryIo();
    expect(await runHost(argv(join(root, 'kept')), existing)).toBe(2);
    expect(await readdir(root)).toEqual(['kept']);
  });

  it('refuses a data folder under a file, with exit code 2', async () => {
    const file = join(await tempDir(), 'file');
    await writeFile(file, 'plain file');
    const io = memoryIo();
    const argv = ['--port', '0', '--bind', '127.0.0.1', '--no-discovery', '--memory'];
    expect(await runHost([...argv, '--data', join(file, 'data')], io)).toBe(2);
    expect(io.errors()).toBe(
      `parley: cannot open the history and certificate folder ${join(file, 'data')}: part of the path is not a folder\n`,
    );
  });

  it('refuses a certificate pair it cannot use, naming the file, with exit code 2', async () => {
    const home = await tempDir();
    const first = await hostInProcess(['--memory'], home);
    first.io.requestStop();
    await first.done;
    const keyFile = join(home, 'parley', 'host', 'tls', 'key.pem');
    await rm(keyFile);
    const io = memoryIo({ env: { XDG_DATA_HOME: home, HOME: home } });
    const argv = ['--port', '0', '--bind', '127.0.0.1', '--no-discovery', '--memory'];
    expect(await runHost(argv, io)).toBe(2);
    expect(io.errors()).toContain(keyFile);
    expect(io.output()).toBe('');
  });
});
