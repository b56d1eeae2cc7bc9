/**
 * The host process freezes (SIGSTOP, like a laptop lid closing) mid-stream and thaws later. The
 * clients must notice the silence on their own (their heartbeat), keep reconnecting while the
 * host's kernel still accepts connections nobody answers, and once it thaws everything must
 * settle into one stream: the host then reads stale frames of sockets the clients already gave up
 * on, and resumes that race the old sessions.
 */
import { describe, expect, it } from 'vitest';
import { useCliTestFile } from './helpers/cli-test-file';
import { startCliHost } from './helpers/cli-process';
import { ChatClient, postNumbered } from './helpers/chat-client';
import { readStoredHistory } from './helpers/stored-history';
import { ackCount, expectStreamOutcome } from './helpers/stream-outcome';
import { delay, until, withTimeout } from '../support/wait';

const dirs = useCliTestFile('host-freeze');

const NAMES = ['ada', 'grace', 'linus'];
const PER_CLIENT = 40;
const PACE_MS = 50;
/** The clients call a silent host dead after three of these (two quiet, then an unanswered ping). */
const CLIENT_HEARTBEAT_MS = 150;
const FLAGS = ['--rate-burst', '60', '--rate-per-second', '25', '--heartbeat-interval-ms', '300'];
/** Long enough for several reconnect attempts to pile up unanswered in the host's backlog. */
const FROZEN_MS = 1500;

describe('host frozen with SIGSTOP mid-stream, then thawed', () => {
  it('settles into one complete stream with every acknowledged message once', async () => {
    const dir = await dirs.make();
    const host = await startCliHost({ dataDir: dir, flags: FLAGS });
    const clients = NAMES.map(
      (name) => new ChatClient({ url: host.url, name, heartbeatIntervalMs: CLIENT_HEARTBEAT_MS }),
    );
    await Promise.all(clients.map((client) => client.connect()));

    const streaming = Promise.all(
      clients.map((client) => postNumbered(client, PER_CLIENT, PACE_MS)),
    );
    await until(() => ackCount(clients) >= 20, 20_000, '20 acks');
    process.kill(host.pid, 'SIGSTOP');
    try {
      await until(
        () => clients.every((client) => client.session.state === 'reconnecting'),
        20 * CLIENT_HEARTBEAT_MS,
        'every client to give up on the silent host',
      );
      // Frozen on purpose: the point is what piles up meanwhile, not an event to wait for.
      await delay(FROZEN_MS);
      expect(clients.every((client) => client.sockets.sockets.length > 2)).toBe(true);
    } finally {
      process.kill(host.pid, 'SIGCONT');
    }

    await withTimeout(streaming, 30_000, 'the clients to post everything');
    const total = NAMES.length * PER_CLIENT;
    await Promise.all(clients.map((client) => client.settled(total, 30_000)));
    await Promise.all(clients.map((client) => client.close()));
    expect((await host.stop('SIGTERM')).code).toBe(0);
    expectStreamOutcome(await readStoredHistory(dir), clients, PER_CLIENT);
  }, 90_000);
});
