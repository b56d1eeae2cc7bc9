import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBridgeActions } from '../../../main/app/bridge-actions';
import { createPreferencesStore } from '../../../main/app/preferences-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-actions-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(preferencesDir = dir) {
  const controller = {
    host: vi.fn(),
    join: vi.fn(),
    leave: vi.fn(async () => undefined),
    send: vi.fn(async () => 'say-1'),
    retry: vi.fn(),
    typing: vi.fn(),
    loadOlder: vi.fn(),
  };
  const openExternal = vi.fn(async () => undefined);
  const preferences = createPreferencesStore({ dir: preferencesDir });
  const actions = createBridgeActions({ controller, preferences, openExternal });
  return { actions, controller, openExternal, preferences };
}

describe('bridge actions', () => {
  it('hands room requests to the controller', async () => {
    const { actions, controller } = setup();
    expect(await actions.send('hi')).toBe('say-1');
    await actions.leave(undefined);
    expect(controller.send).toHaveBeenCalledWith('hi');
    expect(controller.leave).toHaveBeenCalled();
  });

  it('saves and loads preferences from the store', async () => {
    const { actions } = setup();
    const values = { name: 'Ada', roomName: 'Lab', address: '10.0.0.2', port: 7421 };
    await actions.savePreferences(values);
    expect(await actions.loadPreferences(undefined)).toEqual(values);
  });

  it('reports a preferences file that cannot be written as preferences_failed', async () => {
    // A file where the directory should be: mkdir fails underneath.
    const blocked = path.join(dir, 'blocked');
    await writeFile(blocked, '');
    const { actions } = setup(path.join(blocked, 'inner'));
    await expect(
      actions.savePreferences({ name: 'Ada', roomName: 'Lab', address: '', port: 7420 }),
    ).rejects.toEqual(expect.objectContaining({ code: 'preferences_failed' }));
  });

  it('opens web links and refuses every other scheme', async () => {
    const { actions, openExternal } = setup();
    await actions.openExternal('https://example.org/a');
    expect(openExternal).toHaveBeenCalledWith('https://example.org/a');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share']) {
      await expect(actions.openExternal(url)).rejects.toMatchObject({ code: 'external_refused' });
    }
    expect(openExternal).toHaveBeenCalledTimes(1);
  });
});
