/**
 * The bridge actions against the real parts they drive: a room controller, the settings file and
 * the known-rooms file in a temporary folder, and room discovery over a browser the test feeds.
 * Only the system browser (Electron's shell) is a stand-in. Talking in a hosted room through the
 * actions is in bridge-actions.v2-host.test.ts.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { createBridgeActions } from '../../../../main/app/room/bridge-actions';
import { RoomController } from '../../../../main/app/room/room-controller';
import { RoomDiscovery } from '../../../../main/app/room/room-discovery';
import { RoomEventHub } from '../../../../main/app/room/room-events';
import { DEFAULT_SETTINGS, openSettingsStore } from '../../../../main/app/comforts/settings-store';
import { createMemoryStore } from '../../../../main/host/store/memory-store';
import { openKnownRooms } from '../../../../main/tls/known-rooms';
import { preferencesSchema, type Preferences } from '../../../../protocol/bridge';
import { FakeBrowser, discoveredRoom, quietAdvertiser } from '../helpers/fakes';
import { isType, recordEvents } from '../helpers/room-events';

let dir: string;
const cleanups: (() => Promise<unknown>)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-actions-'));
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  await rm(dir, { recursive: true, force: true });
});

async function setup(settingsFile = path.join(dir, 'settings.json')) {
  const events = new RoomEventHub(() => undefined);
  const controller = new RoomController({
    dataDir: path.join(dir, 'host'),
    knownRoomsFile: path.join(dir, 'known-rooms.json'),
    openStore: createMemoryStore,
    bindAddress: '127.0.0.1',
    advertiseRoom: quietAdvertiser(),
    events,
    log: () => undefined,
  });
  const browsers: FakeBrowser[] = [];
  const discovery = new RoomDiscovery({
    browse: () => {
      const browser = new FakeBrowser();
      browsers.push(browser);
      return browser;
    },
    emptyAfterMs: 60_000,
    emit: (event) => events.emit(event),
    ownRoomId: () => undefined,
    log: () => undefined,
  });
  cleanups.push(
    () => controller.leave(),
    () => discovery.stop(),
  );
  /** What the system browser was asked to open. */
  const opened: string[] = [];
  const settings = await openSettingsStore({ path: settingsFile });
  const actions = createBridgeActions({
    controller,
    settings,
    discovery,
    openExternal: async (url) => {
      opened.push(url);
    },
    showItemInFolder: () => undefined,
  });
  return { actions, controller, browsers, opened, settings, log: recordEvents(events) };
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

  it('lists the rooms found on the LAN between start and stop of discovery', async () => {
    const { actions, browsers, log } = await setup();
    await actions.startDiscovery(undefined);
    const [browser] = browsers;
    if (!browser) throw new Error('discovery started no browser');
    browser.show([discoveredRoom({ roomId: 'r_lab', name: 'Lab' })]);
    const found = await log.waitFor(isType('rooms'));
    expect(found.rooms.map((room) => room.name)).toEqual(['Lab']);

    await actions.stopDiscovery(undefined);
    expect(browser.stopped).toBe(true);
    const listsBefore = log.events.filter((event) => event.type === 'rooms').length;
    browser.show([discoveredRoom()]);
    expect(log.events.filter((event) => event.type === 'rooms')).toHaveLength(listsBefore);
  });

  it('forgets a room’s certificate, so the next join asks as on a first visit', async () => {
    const { actions } = await setup();
    const knownRooms = openKnownRooms(path.join(dir, 'known-rooms.json'));
    const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':');
    await knownRooms.remember('r_lab', fingerprint);
    expect(await knownRooms.check('r_lab', fingerprint)).toBe('match');

    await actions.forgetRoom('r_lab');
    expect(await knownRooms.check('r_lab', fingerprint)).toBe('new');
  });

  it('opens web links in the system browser and refuses every other scheme', async () => {
    const { actions, opened } = await setup();
    await actions.openExternal('https://example.org/a');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share']) {
      await expect(actions.openExternal(url)).rejects.toMatchObject({ code: 'external_refused' });
    }
    expect(opened).toEqual(['https://example.org/a']);
  });
});
