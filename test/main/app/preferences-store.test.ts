import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPreferencesStore, DEFAULT_PREFERENCES } from '../../../main/app/preferences-store';
import type { Preferences } from '../../../protocol/bridge';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-prefs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const saved: Preferences = {
  name: 'Ada',
  roomName: 'Lab',
  address: '192.168.1.20:7420',
  port: 7421,
};

describe('preferences store', () => {
  it('gives the defaults before anything was saved, merged with the given ones', async () => {
    expect(await createPreferencesStore({ dir }).load()).toEqual(DEFAULT_PREFERENCES);
    const store = createPreferencesStore({ dir, defaults: { name: 'ada' } });
    expect(await store.load()).toEqual({ ...DEFAULT_PREFERENCES, name: 'ada' });
  });

  it('round-trips what was saved, also through a new store on the same file', async () => {
    await createPreferencesStore({ dir }).save(saved);
    expect(await createPreferencesStore({ dir }).load()).toEqual(saved);
  });

  it('creates a missing directory and leaves no temp files behind', async () => {
    const nested = path.join(dir, 'a', 'b');
    const store = createPreferencesStore({ dir: nested });
    await store.save(saved);
    expect(await readdir(nested)).toEqual(['preferences.json']);
    expect(JSON.parse(await readFile(store.file, 'utf8'))).toEqual(saved);
  });

  it('keeps the file private to the user', async () => {
    const store = createPreferencesStore({ dir });
    await store.save(saved);
    expect((await stat(store.file)).mode & 0o077).toBe(0);
  });

  it.each([
    ['not JSON', '{"name": "Ada", '],
    ['an array', '[1, 2, 3]'],
    ['null', 'null'],
    ['binary garbage', '\u0000\u0001\u0002\uFFFD'],
    ['an empty file', ''],
  ])('falls back to the defaults for %s', async (_label, content) => {
    const store = createPreferencesStore({ dir, defaults: { name: 'ada' } });
    await writeFile(store.file, content);
    expect(await store.load()).toEqual({ ...DEFAULT_PREFERENCES, name: 'ada' });
  });

  it('keeps the fields that are still valid and replaces the broken ones', async () => {
    const store = createPreferencesStore({ dir });
    await writeFile(
      store.file,
      JSON.stringify({
        name: 'Ada',
        roomName: 42,
        address: 'x'.repeat(600),
        port: 99999,
        extra: 1,
      }),
    );
    expect(await store.load()).toEqual({ ...DEFAULT_PREFERENCES, name: 'Ada' });
  });

  it('reads a directory in place of the file as defaults rather than crashing', async () => {
    const store = createPreferencesStore({ dir });
    await mkdir(store.file);
    expect(await store.load()).toEqual(DEFAULT_PREFERENCES);
    await expect(store.save(saved)).rejects.toThrow();
  });

  it('refuses to save invalid preferences and keeps the previous file', async () => {
    const store = createPreferencesStore({ dir });
    await store.save(saved);
    await expect(store.save({ ...saved, port: -1 })).rejects.toThrow();
    expect(await store.load()).toEqual(saved);
  });

  it('leaves the last of several concurrent saves on disk', async () => {
    const store = createPreferencesStore({ dir });
    const ports = Array.from({ length: 20 }, (_, i) => 8000 + i);
    await Promise.all(ports.map((port) => store.save({ ...saved, port })));
    expect((await store.load()).port).toBe(8019);
    expect(await readdir(dir)).toEqual(['preferences.json']);
  });
});
