/**
 * A clean stop (SIGTERM to `parley host`) in the middle of a stream: every client is told with
 * close code 1001, the process exits 0 after flushing, and the host restarted on the same
 * directory shows every acknowledged message, to the returning clients and to a newcomer.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useCliTestFile } from './helpers/cli-test-file';
import { startCliHost } from './helpers/cli-process';
import { ChatClient, postNumbered } from './helpers/chat-client';
import { RawClient } from './helpers/raw-client';
import { readStoredHistory } from './helpers/stored-history';
import { streamKey } from './helpers/stream-checks';
import { ackCount, expectStreamOutcome } from './helpers/stream-outcome';
import { until, withTimeout } from '../support/wait';

const dirs = useCliTestFile('clean-shutdown');

const NAMES = ['ada', 'grace', 'linus'];
const PER_CLIENT = 30;
const PACE_MS = 50;
const FLAGS = ['--rate-burst', '40', '--rate-per-second', '25'];
const GOING_AWAY = 1001;

describe('host stopped with SIGTERM mid-stream', () => {
  it('closes every client with 1001, exits 0, and a restart shows every acknowledged message', async () => {
    const dir = await dirs.make();
    const first = await startCliHost({ dataDir: dir, flags: FLAGS });
    const clients = NAMES.map((name) => new ChatClient({ url: first.url, name }));
    await Promise.all(clients.map((client) => client.connect()));
    const roomId = clients[0]!.welcomes[0]!.roomId;

    const streaming = Promise.all(
      clients.map((client) => postNumbered(client, PER_CLIENT, PACE_MS)),
    );
    await until(() => ackCount(clients) >= 20, 20_000, 'acks');
    const sockets = clients.map((client) => client.sockets.latest!);
    expect(sockets.map(({ socket }) => socket.readyState)).toEqual(NAMES.map(() => WebSocket.OPEN));
    const ackedBeforeStop = clients.map((client) => [...client.acks]);

    const exit = await first.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(first.process.stdout()).toMatch(/Stopping the room/);
    expect(first.process.stderr()).toBe('');
    const closeCodes = await withTimeout(
      Promise.all(sockets.map(({ closed }) => closed)),
      5000,
      'the clients to see the close',
    );
    expect(closeCodes).toEqual(NAMES.map(() => GOING_AWAY));
    // Everything acknowledged before the stop is on disk already.
    const afterStop = await readStoredHistory(dir);
    for (const [index, acks] of ackedBeforeStop.entries()) {
      for (const { id, seq } of acks) {
        expect(afterStop.messages[seq - 1]?.id, `${NAMES[index]}'s ${id}`).toBe(id);
      }
    }

    const second = await startCliHost({ dataDir: dir, port: first.port, flags: FLAGS });
    await withTimeout(streaming, 30_000, 'the clients to post everything');
    const total = NAMES.length * PER_CLIENT;
    await Promise.all(clients.map((client) => client.settled(total, 30_000)));

    // Someone new sees the whole history in the welcome (it is under the 100 of a fresh join).
    const { client: newcomer, welcome } = await RawClient.join(second.url, 'newcomer');
    expect(welcome.room.id).toBe(roomId);
    expect(streamKey(welcome.history)).toEqual(streamKey(clients[0]!.received));
    newcomer.terminate();

    await Promise.all(clients.map((client) => client.close()));
    expect((await second.stop('SIGTERM')).code).toBe(0);
    expectStreamOutcome(await readStoredHistory(dir), clients, PER_CLIENT);
  }, 90_000);
});
