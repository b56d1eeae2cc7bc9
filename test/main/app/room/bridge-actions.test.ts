import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBridgeActions } from '../../../../main/app/room/bridge-actions';
import { DEFAULT_SETTINGS, openSettingsStore } from '../../../../main/app/comforts/settings-store';
import { preferencesSchema, type Preferences } from '../../../../protocol/bridge';
import * as v from 'valibot';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-actions-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setup(settingsFile = path.join(dir, 'settings.json')) {
  const controller = {
    host: vi.fn(),
    join: vi.fn(),
    leave: vi.fn(async () => undefined),
    send: vi.fn(async () => 'say-1'),
    retry: vi.fn(),
    typing: vi.fn(),
    loadOlder: vi.fn(),
    forgetRoom: vi.fn(async () => undefined),
  };
  const discovery = { start: vi.fn(), stop: vi.fn(async () => undefined) };
  const openExternal = vi.fn(async () => undefined);
  const settings = await openSettingsStore({ path: settingsFile });
  const actions = createBridgeActions({ controller, settings, discovery, openExternal });
  return { actions, controller, discovery, openExternal, settings };
}

const saved: Required<Preferences> = {
  name: 'Ada',
  roomName: 'Lab',
  address: '10.0.0.2:7421',
  port: 7421,
  notifications: false,
  keepHostingInTray: false,
};

describe('bridge actions', () => {
  it('hands room requests to the controller', async () => {
    const { actions, controller } = await setup();
    expect(await actions.send('hi')).toBe('say-1');
    await actions.leave(undefined);
    expect(controller.send).toHaveBeenCalledWith('hi');
    expect(controller.leave).toHaveBeenCalled();
  });

  it('offers the settings defaults as preferences, the desktop switches included', async () => {
    const { actions } = await setup();
    const preferences = await actions.loadPreferences(undefined);
    expect(preferences).toEqual({
      name: DEFAULT_SETTINGS.displayName,
      roomName: DEFAULT_SETTINGS.roomName,
      address: DEFAULT_SETTINGS.lastAddress,
      port: DEFAULT_SETTINGS.defaultPort,
      notifications: true,
      keepHostingInTray: true,
    });
    // What the window loads it can save back unchanged.
    expect(v.is(preferencesSchema, preferences)).toBe(true);
  });

  it('keeps preferences in the one settings file, across a restart', async () => {
    const file = path.join(dir, 'settings.json');
    const first = await setup(file);
    await first.actions.savePreferences(saved);
    expect(await first.actions.loadPreferences(undefined)).toEqual(saved);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      displayName: 'Ada',
      roomName: 'Lab',
      lastAddress: '10.0.0.2:7421',
      defaultPort: 7421,
      notifications: false,
      keepHostingInTray: false,
    });

    const afterRestart = await setup(file);
    expect(await afterRestart.actions.loadPreferences(undefined)).toEqual(saved);
    expect(afterRestart.settings.get().notifications).toBe(false);
  });

  it('leaves the switches alone when a window saves without them (the start screen)', async () => {
    const { actions, settings } = await setup();
    await actions.savePreferences(saved);
    await actions.savePreferences({ name: 'Bea', roomName: 'Lab', address: '', port: 7420 });
    expect(settings.get()).toMatchObject({
      displayName: 'Bea',
      notifications: false,
      keepHostingInTray: false,
    });
  });

  it('reports settings that cannot be written as preferences_failed, keeping the old ones', async () => {
    // A file where the directory should be: writing underneath it fails.
    const blocked = path.join(dir, 'blocked');
    await writeFile(blocked, '');
    const { actions } = await setup(path.join(blocked, 'settings.json'));
    await expect(actions.savePreferences(saved)).rejects.toEqual(
      expect.objectContaining({ code: 'preferences_failed' }),
    );
    expect((await actions.loadPreferences(undefined)).name).toBe(DEFAULT_SETTINGS.displayName);
  });

  it('starts and stops room discovery', async () => {
    const { actions, discovery } = await setup();
    await actions.startDiscovery(undefined);
    await actions.stopDiscovery(undefined);
    expect(discovery.start).toHaveBeenCalledTimes(1);
    expect(discovery.stop).toHaveBeenCalledTimes(1);
  });

  it('forgets a room’s certificate through the controller', async () => {
    const { actions, controller } = await setup();
    await actions.forgetRoom('r_lab');
    expect(controller.forgetRoom).toHaveBeenCalledWith('r_lab');
  });

  it('opens web links and refuses every other scheme', async () => {
    const { actions, openExternal } = await setup();
    await actions.openExternal('https://example.org/a');
    expect(openExternal).toHaveBeenCalledWith('https://example.org/a');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share']) {
      await expect(actions.openExternal(url)).rejects.toMatchObject({ code: 'external_refused' });
    }
    expect(openExternal).toHaveBeenCalledTimes(1);
  });
});
