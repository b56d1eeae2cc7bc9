/**
 * "Never lose a message": the host process is killed with SIGKILL while several clients stream
 * numbered messages, then restarted on the same data directory and port. The clients must come
 * back by themselves and end with one identical stream that holds every acknowledged message
 * exactly once, in seq order, in the same room.
 */
import { describe, expect, it } from 'vitest';
import { useCliTestFile } from './helpers/cli-test-file';
import { startCliHost, type CliHost } from './helpers/cli-process';
import { ChatClient, postNumbered } from './helpers/chat-client';
import { readStoredHistory } from './helpers/stored-history';
import { ackCount, expectStreamOutcome } from './helpers/stream-outcome';
import { until, withTimeout } from '../support/wait';

const dirs = useCliTestFile('host-crash');

const NAMES = ['ada', 'grace', 'linus'];
const PER_CLIENT = 90;
const PACE_MS = 40;
/** 25 messages a second per client stays inside these; the burst covers a reconnect's re-send. */
const FLAGS = ['--rate-burst', '60', '--rate-per-second', '30'];
/**
 * Kill points, in acknowledged messages: early in the stream and a little later, with most of the
 * stream still to come even on a slow machine.
 */
const KILL_AFTER_ACKS = [25, 70];

describe('host killed with SIGKILL mid-stream', () => {
  it('loses no acknowledged message and every client ends with the same stream', async () => {
    const dir = await dirs.make();
    let host: CliHost = await startCliHost({ dataDir: dir, flags: FLAGS });
    const port = host.port;
    const clients = NAMES.map((name) => new ChatClient({ url: host.url, name }));
    await Promise.all(clients.map((client) => client.connect()));

    const streaming = Promise.all(
      clients.map((client) => postNumbered(client, PER_CLIENT, PACE_MS)),
    );
    for (const threshold of KILL_AFTER_ACKS) {
      await until(() => ackCount(clients) >= threshold, 20_000, `${threshold} acks`);
      // Mid-stream: the clients are still posting when the host dies.
      expect(clients.some((client) => client.posted.length < PER_CLIENT)).toBe(true);
      const exit = await host.stop('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      await until(
        () => clients.every((client) => client.session.state !== 'open'),
        10_000,
        'every client to notice the host is gone',
      );
      host = await startCliHost({ dataDir: dir, port, flags: FLAGS });
      expect(host.port).toBe(port);
      // Back by themselves, every one, before the host is killed again.
      await until(
        () => clients.every((client) => client.session.state === 'open'),
        20_000,
        'every client to be back',
      );
    }
    await withTimeout(streaming, 30_000, 'the clients to post everything');

    const total = NAMES.length * PER_CLIENT;
    await Promise.all(clients.map((client) => client.settled(total, 30_000)));
    await Promise.all(clients.map((client) => client.close()));
    expect((await host.stop('SIGTERM')).code).toBe(0);

    expectStreamOutcome(await readStoredHistory(dir), clients, PER_CLIENT);
    for (const client of clients) {
      // Back by themselves after each kill.
      expect(client.welcomes.length).toBeGreaterThan(KILL_AFTER_ACKS.length);
    }
  }, 90_000);
});
