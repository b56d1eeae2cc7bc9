import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEFAULT_SETTINGS,
  SettingsError,
  openSettingsStore,
  patchFromPreferences,
  preferencesFromSettings,
  type SettingsPatch,
} from '../../../../main/app/comforts/settings-store';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-settings-'));
  file = path.join(dir, 'nested', 'settings.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeSettingsFile(content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SettingsError);
  return (error as SettingsError).code;
}

describe('opening', () => {
  it('gives the defaults when there is no file yet, and writes nothing', async () => {
    const store = await openSettingsStore({ path: file });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recovery).toBeUndefined();
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('merges given defaults over the built-in ones', async () => {
    const store = await openSettingsStore({ path: file, defaults: { displayName: 'ann' } });
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, displayName: 'ann' });
    await expect(
      openSettingsStore({ path: file, defaults: { defaultPort: -1 } }),
    ).rejects.toBeInstanceOf(SettingsError);
  });

  it('reads back what was saved, in a new store as after a restart', async () => {
    const first = await openSettingsStore({ path: file });
    await first.update({ displayName: 'Ann', notifications: false, defaultPort: 9000 });
    const second = await openSettingsStore({ path: file });
    expect(second.get()).toEqual({
      ...DEFAULT_SETTINGS,
      displayName: 'Ann',
      notifications: false,
      defaultPort: 9000,
    });
    expect(second.recovery).toBeUndefined();
  });

  it('fills fields missing from an older file with defaults, without complaint', async () => {
    await writeSettingsFile(JSON.stringify({ version: 1, displayName: 'Ann' }));
    const store = await openSettingsStore({ path: file });
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ann' });
    expect(store.recovery).toBeUndefined();
  });
});

describe('a corrupt file', () => {
  it('that is not JSON: defaults, and the bad file kept as .bak', async () => {
    await writeSettingsFile('{"displayName": "Ann", oops');
    const store = await openSettingsStore({ path: file });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recovery).toEqual({ reason: 'not_json', backupPath: `${file}.bak` });
    await expect(readFile(`${file}.bak`, 'utf8')).resolves.toBe('{"displayName": "Ann", oops');
    const rewritten = JSON.parse(await readFile(file, 'utf8'));
    expect(rewritten).toMatchObject(DEFAULT_SETTINGS);
  });

  it('of the wrong shape: keeps the valid fields, defaults the rest, keeps a .bak', async () => {
    const bad = JSON.stringify({ displayName: 'Ann', defaultPort: 'seven', notifications: 1 });
    await writeSettingsFile(bad);
    const store = await openSettingsStore({ path: file });
    expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, displayName: 'Ann' });
    expect(store.recovery).toEqual({
      reason: 'bad_shape',
      backupPath: `${file}.bak`,
      invalidFields: ['defaultPort', 'notifications'],
    });
    await expect(readFile(`${file}.bak`, 'utf8')).resolves.toBe(bad);
    // The salvaged name survives the next start as well.
    const again = await openSettingsStore({ path: file });
    expect(again.get().displayName).toBe('Ann');
    expect(again.recovery).toBeUndefined();
  });

  it.each([['null'], ['[1,2]'], ['"text"'], ['42']])('that holds %s: defaults', async (content) => {
    await writeSettingsFile(content);
    const store = await openSettingsStore({ path: file });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recovery?.reason).toBe('bad_shape');
    await expect(readFile(`${file}.bak`, 'utf8')).resolves.toBe(content);
  });

  it('that is huge: defaults, without reading it into memory as settings', async () => {
    await writeSettingsFile(`{"displayName":"${'x'.repeat(300 * 1024)}"}`);
    const store = await openSettingsStore({ path: file });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recovery?.reason).toBe('too_large');
  });

  it('that cannot be read at all (a folder in its place): defaults, never a crash', async () => {
    await mkdir(file, { recursive: true });
    const store = await openSettingsStore({ path: file });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.recovery).toEqual({ reason: 'unreadable' });
    expect(await codeOf(store.update({ displayName: 'Ann' }))).toBe('settings_write_failed');
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });
});

describe('saving', () => {
  it('refuses invalid values and leaves the settings unchanged', async () => {
    const store = await openSettingsStore({ path: file });
    const bad: unknown[] = [
      { defaultPort: 70000 },
      { defaultPort: 1.5 },
      { notifications: 'yes' },
      { displayName: 'x'.repeat(201) },
      { unknownField: true },
      null,
      'settings',
    ];
    for (const patch of bad) {
      expect(await codeOf(store.update(patch as SettingsPatch)), JSON.stringify(patch)).toBe(
        'bad_settings',
      );
    }
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('trims text fields', async () => {
    const store = await openSettingsStore({ path: file });
    expect((await store.update({ displayName: '  Ann  ' })).displayName).toBe('Ann');
  });

  it('writes atomically: no temporary files left, the file is whole JSON', async () => {
    const store = await openSettingsStore({ path: file });
    await store.update({ displayName: 'Ann' });
    expect(await readdir(path.dirname(file))).toEqual(['settings.json']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      ...DEFAULT_SETTINGS,
      displayName: 'Ann',
    });
  });

  it('applies concurrent updates in call order; the last one wins on disk', async () => {
    const store = await openSettingsStore({ path: file });
    const updates = Array.from({ length: 20 }, (_, i) =>
      store.update({ defaultPort: 8000 + i, displayName: `name ${i}` }),
    );
    const results = await Promise.all(updates);
    expect(results.map((s) => s.defaultPort)).toEqual(updates.map((_, i) => 8000 + i));
    const reopened = await openSettingsStore({ path: file });
    expect(reopened.get()).toMatchObject({ defaultPort: 8019, displayName: 'name 19' });
    expect(await readdir(path.dirname(file))).toEqual(['settings.json']);
  });

  it('goes on saving after a failed write', async () => {
    const store = await openSettingsStore({ path: file });
    await mkdir(file, { recursive: true });
    expect(await codeOf(store.update({ displayName: 'Ann' }))).toBe('settings_write_failed');
    expect(store.get().displayName).toBe('');
    await rm(file, { recursive: true });
    await expect(store.update({ displayName: 'Bob' })).resolves.toMatchObject({
      displayName: 'Bob',
    });
  });
});

describe('preferences of the bridge', () => {
  it('map to settings and back', async () => {
    const store = await openSettingsStore({ path: file });
    const preferences = { name: 'Ann', roomName: 'Kitchen', address: '10.0.0.5:7420', port: 7421 };
    const saved = await store.update(patchFromPreferences(preferences));
    expect(preferencesFromSettings(saved)).toEqual(preferences);
  });
});
