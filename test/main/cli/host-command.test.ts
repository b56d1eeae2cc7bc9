/** `parley host` run in-process: what it prints, and that it stops cleanly when asked. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runHost } from '../../../main/cli/host-command';
import { ClientSession } from '../../../protocol/client-session';
import type { WebSocketConstructor } from '../../../protocol/client-types';
import { withTimeout } from '../../protocol/support/wait';
import { memoryIo } from './support/memory-io';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hostInProcess(args: string[]) {
  const io = memoryIo();
  const done = runHost(['--port', '0', '--bind', '127.0.0.1', ...args], io);
  cleanups.push(async () => {
    io.requestStop();
    await done;
  });
  const [, port] = await io.waitForOutput(/open on port (\d+)\./);
  await io.waitForOutput(/Press Ctrl\+C/);
  return { io, done, url: `ws://127.0.0.1:${port}/ws`, address: `127.0.0.1:${port}` };
}

function client(url: string, name: string) {
  const session = new ClientSession({
    url,
    name,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnect: false,
  });
  cleanups.push(() => session.close());
  return session;
}

describe('parley host', () => {
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
  });

  it('keeps the room and its history in --data, and an explicit --room renames it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-host-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const first = await hostInProcess(['--data', dataDir, '--room', 'Before']);
    expect(first.io.output()).toContain(`History is saved in ${join(dataDir, 'parley.db')}`);
    const writer = client(first.url, 'writer');
    const welcome = await writer.connect();
    writer.send('kept on disk');
    await withTimeout(writer.whenSettled(), 5000, 'the message stored');
    await writer.close();
    first.io.requestStop();
    expect(await first.done).toBe(0);

    const second = await hostInProcess(['--data', dataDir, '--room', 'After']);
    expect(second.io.output()).toContain('Room "After"');
    const reader = client(second.url, 'reader');
    const again = await reader.connect();
    expect(again.room).toEqual({ id: welcome.room.id, name: 'After' });
    expect(again.history.map((message) => message.text)).toEqual(['kept on disk']);
  });

  it('shows only the bound address when bound to one', async () => {
    const { io, address } = await hostInProcess(['--memory']);
    const listed = io.output().match(/^ {2}\S+:\d+\s+\(.*\)$/gm);
    expect(listed).toEqual([expect.stringContaining(address)]);
  });
});
