import { afterEach, describe, expect, it, vi } from 'vitest';
import { SnapshotKeeper } from '../../../../main/app/room/snapshot-keeper';
import { Emitter } from '../../../../protocol/client/emitter';
import type {
  ClientSessionEvents,
  SessionSnapshot,
} from '../../../../protocol/client/client-types';
import type { WelcomeV2Frame } from '../../../../protocol/wire/frames-v2';

function fakeSession() {
  const events = new Emitter<ClientSessionEvents>();
  let current: SessionSnapshot | undefined;
  return {
    on: events.on.bind(events),
    snapshot: () => current,
    welcome(token: string, lastSeq: number) {
      current = { token, cursors: { general: lastSeq }, roomId: 'r_lab' };
      events.emit('welcome', {
        type: 'welcome',
        protocol: 2,
        room: { id: 'r_lab', name: 'Lab' },
        self: { id: 'p_bob', name: 'Bob' },
        token,
        peers: [],
        peerCount: 1,
        conversations: [],
      } satisfies WelcomeV2Frame);
    },
    message(seq: number) {
      if (current) current = { ...current, cursors: { general: seq } };
      events.emit('entry', {
        seq,
        conv: 'general',
        id: `m${seq}`,
        from: { id: 'p', name: 'P' },
        ts: 1,
        kind: 'text',
        text: 'x',
      });
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('snapshot keeper', () => {
  it('saves at once on welcome, at most once per delay while entries arrive, and on close', async () => {
    vi.useFakeTimers();
    const saved: [SessionSnapshot, string][] = [];
    const session = fakeSession();
    const keeper = new SnapshotKeeper({
      session,
      save: async (snapshot, name) => {
        saved.push([snapshot, name]);
      },
      delayMs: 1000,
    });
    session.welcome('tok-1', 3);
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual([[{ token: 'tok-1', cursors: { general: 3 }, roomId: 'r_lab' }, 'Bob']]);

    for (let seq = 4; seq <= 20; seq++) session.message(seq);
    await vi.advanceTimersByTimeAsync(999);
    expect(saved).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved.at(-1)?.[0].cursors).toEqual({ general: 20 });
    expect(saved).toHaveLength(2);

    session.message(21);
    await keeper.close();
    expect(saved.map(([snapshot]) => snapshot.cursors.general)).toEqual([3, 20, 21]);
    // Nothing after closing, and no timer left behind.
    session.message(22);
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toHaveLength(3);
  });

  it('saves nothing before a welcome (no token yet) and nothing twice', async () => {
    const save = vi.fn(async () => undefined);
    const session = fakeSession();
    const keeper = new SnapshotKeeper({ session, save });
    await keeper.close();
    expect(save).not.toHaveBeenCalled();

    const second = fakeSession();
    const again = new SnapshotKeeper({ session: second, save });
    second.welcome('tok', 1);
    await again.close();
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('logs a failed save and keeps going', async () => {
    const log = vi.fn();
    const session = fakeSession();
    const save = vi
      .fn<(snapshot: SessionSnapshot, name: string) => Promise<void>>()
      .mockRejectedValueOnce(new Error('disk full'))
      .mockResolvedValue(undefined);
    const keeper = new SnapshotKeeper({ session, save, log });
    session.welcome('tok', 1);
    session.message(2);
    await keeper.close();
    expect(log).toHaveBeenCalledWith('parley: session not remembered', expect.any(Error));
    expect(save).toHaveBeenCalledTimes(2);
  });
});
