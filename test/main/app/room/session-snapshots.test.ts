import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionSnapshotStore } from '../../../../main/app/room/session-snapshots';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-sessions-'));
  file = path.join(dir, 'nested', 'sessions.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const address = 'ws://192.168.1.20:7420/ws';
const snapshot = { token: 'tok-1', cursors: { general: 42, c_crew: 7 }, roomId: 'r_lab' };

describe('session snapshots', () => {
  it('gives back, after a restart, the snapshot saved for an address and name', async () => {
    await createSessionSnapshotStore({ file }).save(address, 'Ada', snapshot);
    const restarted = createSessionSnapshotStore({ file });
    expect(await restarted.load(address, 'Ada')).toEqual(snapshot);
    expect(await restarted.load(address, ' Ada ')).toEqual(snapshot);
    expect(await restarted.load('ws://192.168.1.21:7420/ws', 'Ada')).toBeUndefined();
  });

  it('does not resume under another name: that would bring the old name back', async () => {
    const store = createSessionSnapshotStore({ file });
    await store.save(address, 'Ada', snapshot);
    expect(await store.load(address, 'Bea')).toBeUndefined();
  });

  it('keeps one snapshot per address, the newest', async () => {
    const store = createSessionSnapshotStore({ file });
    await store.save(address, 'Ada', snapshot);
    await store.save(address, 'Ada', { ...snapshot, cursors: { general: 50 } });
    expect(await createSessionSnapshotStore({ file }).load(address, 'Ada')).toMatchObject({
      cursors: { general: 50 },
    });
  });

  it('keeps the token file private and leaves no temporary files', async () => {
    await createSessionSnapshotStore({ file }).save(address, 'Ada', snapshot);
    expect((await stat(file)).mode & 0o077).toBe(0);
    expect(await readdir(path.dirname(file))).toEqual(['sessions.json']);
  });

  it('forgets the least recently saved addresses beyond its limit', async () => {
    let now = 1000;
    const store = createSessionSnapshotStore({ file, maxEntries: 2, now: () => now++ });
    for (const port of [1, 2, 3]) await store.save(`ws://h:${port}/ws`, 'Ada', snapshot);
    const sessions = JSON.parse(await readFile(file, 'utf8')).sessions;
    expect(Object.keys(sessions).sort()).toEqual(['ws://h:2/ws', 'ws://h:3/ws']);
  });

  it('reads a damaged file as empty, and a damaged entry as missing', async () => {
    await writeFile(path.join(dir, 'broken.json'), '{"sessions": ');
    const broken = createSessionSnapshotStore({ file: path.join(dir, 'broken.json') });
    expect(await broken.load(address, 'Ada')).toBeUndefined();
    // Saving over it works and starts a clean file.
    await broken.save(address, 'Ada', snapshot);
    expect(
      await createSessionSnapshotStore({ file: path.join(dir, 'broken.json') }).load(
        address,
        'Ada',
      ),
    ).toEqual(snapshot);

    const mixed = path.join(dir, 'mixed.json');
    await writeFile(
      mixed,
      JSON.stringify({
        version: 2,
        sessions: {
          [address]: { ...snapshot, name: 'Ada', savedAt: 1 },
          'ws://bad/ws': {
            token: '',
            cursors: { general: -1 },
            roomId: 'r',
            name: 'Ada',
            savedAt: 1,
          },
          // Saved by a version 1 app: one lastSeq, no cursors. A fresh join is the honest answer.
          'ws://old/ws': { token: 't', lastSeq: 9, roomId: 'r', name: 'Ada', savedAt: 1 },
        },
      }),
    );
    const store = createSessionSnapshotStore({ file: mixed });
    expect(await store.load(address, 'Ada')).toEqual(snapshot);
    expect(await store.load('ws://bad/ws', 'Ada')).toBeUndefined();
    expect(await store.load('ws://old/ws', 'Ada')).toBeUndefined();
  });

  it('refuses to save what is not a snapshot, and rejects when the file cannot be written', async () => {
    const store = createSessionSnapshotStore({ file });
    await expect(store.save(address, 'Ada', { ...snapshot, token: '' })).rejects.toThrow();
    await writeFile(path.join(dir, 'blocked'), '');
    const blocked = createSessionSnapshotStore({ file: path.join(dir, 'blocked', 's.json') });
    await expect(blocked.save(address, 'Ada', snapshot)).rejects.toThrow();
    // A failed save does not block the next one.
    await store.save(address, 'Ada', snapshot);
    expect(await store.load(address, 'Ada')).toEqual(snapshot);
  });
});
