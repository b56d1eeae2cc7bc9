import { afterEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS, SessionPruner } from '../../../main/host/session-pruner';
import { startHost } from '../../../main/host/server';
import { openSqliteStore } from '../../../main/host/store/sqlite-store';
import { V1Client } from './helpers/clients';
import { onCleanup, tempDir } from './helpers/host';
import { newIdentity, V2Client } from './helpers/v2-client';

afterEach(() => {
  vi.useRealTimers();
});

describe('SessionPruner', () => {
  it('prunes what was unused for the retention at start, then once a day until stopped', () => {
    vi.useFakeTimers({ now: 100 * DAY_MS });
    const befores: number[] = [];
    const pruner = new SessionPruner(
      { pruneSessions: (before) => befores.push(before) },
      30,
      () => {},
    );
    pruner.start();
    expect(befores).toEqual([70 * DAY_MS]);
    vi.advanceTimersByTime(DAY_MS - 1);
    expect(befores).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(befores).toEqual([70 * DAY_MS, 71 * DAY_MS]);
    pruner.stop();
    vi.advanceTimersByTime(3 * DAY_MS);
    expect(befores).toHaveLength(2);
  });

  it('reports a store that fails to prune instead of throwing', () => {
    const reported: unknown[] = [];
    const failing = new SessionPruner(
      {
        pruneSessions: () => {
          throw new Error('closed');
        },
      },
      30,
      (error) => reported.push(error),
    );
    expect(failing.prune()).toBe(0);
    expect(reported).toHaveLength(1);
  });
});

describe('session retention on a host', () => {
  /** A host on the SQLite store in `dir`, with that retention. */
  async function hostOn(dir: string, sessionRetentionDays: number) {
    const store = await openSqliteStore(dir, 'Retention');
    const host = await startHost({
      port: 0,
      host: '127.0.0.1',
      staticDir: dir,
      store,
      sessionRetentionDays,
    });
    onCleanup(() => host.close());
    return host;
  }

  it('keeps a token across a restart within the retention, and forgets it beyond', async () => {
    const dir = await tempDir();
    const first = await hostOn(dir, 30);
    const { welcome } = await V1Client.join(first.port, 'alice');
    const alice = newIdentity();
    const { welcome: v2 } = await V2Client.join(first.port, 'bob', { identity: alice.identity });
    await first.close();

    const kept = await hostOn(dir, 30);
    const resume = { token: welcome.token, lastSeq: 0 };
    const { client, welcome: resumed } = await V1Client.join(kept.port, 'alice', { resume });
    expect(resumed.self).toEqual(welcome.self);
    client.close();
    await kept.close();

    // Retention 0: every session not used since the start is forgotten at once.
    const pruned = await hostOn(dir, 0);
    const { welcome: fresh } = await V1Client.join(pruned.port, 'alice', { resume });
    expect(fresh.self.id).not.toBe(welcome.self.id);
    expect(fresh.token).not.toBe(welcome.token);
    const { welcome: v2Fresh } = await V2Client.join(pruned.port, 'bob', {
      identity: alice.identity,
      resume: { token: v2.token },
    });
    // An identity stays who it is; only its token is new.
    expect(v2Fresh.self.id).toBe(alice.peerId);
    expect(v2Fresh.token).not.toBe(v2.token);
  });
});
