/**
 * Everything the desktop app's main process runs, put together without Electron: the settings
 * file, the room controller (hosting, joining, advertising, resuming), room discovery, and the
 * bridge actions the IPC handlers call. main.ts adds the window, IPC and the comforts on top;
 * tests build the same thing on loopback.
 */
import path from 'node:path';
import { openSettingsStore, type SettingsStore } from '../comforts/settings-store';
import type { BridgeActions } from './ipc-handlers';
import { createBridgeActions } from './bridge-actions';
import { RoomController, type RoomControllerOptions } from './room-controller';
import { RoomDiscovery, type RoomDiscoveryOptions } from './room-discovery';
import { RoomEventHub } from './room-events';
import { createSessionSnapshotStore } from './session-snapshots';
import { deviceSecretFrom } from './device-secret';

type DesktopLog = (message: string, detail?: unknown) => void;

export interface DesktopAppOptions {
  /**
   * Electron's userData: settings.json, sessions.json, known-rooms.json (the certificates of rooms
   * joined), identity.json (the device secret), the hosted room's history (host/) and this
   * computer's certificate for hosting (tls/).
   */
  userDataDir: string;
  /** The display name offered until the user picks one (the OS user name, say). */
  defaultName?: string;
  /** Opens a link in the system browser (Electron's shell.openExternal). */
  openExternal: (url: string) => Promise<void>;
  /** Shows a downloaded file in the system's file manager (Electron's shell.showItemInFolder). */
  showItemInFolder?: (path: string) => void;
  /** Controller settings beyond what the app decides itself (tests: loopback, memory store). */
  controller?: Omit<
    RoomControllerOptions,
    'dataDir' | 'events' | 'sessionSnapshots' | 'log' | 'tlsDir' | 'knownRoomsFile' | 'deviceSecret'
  >;
  discovery?: Pick<RoomDiscoveryOptions, 'browse' | 'emptyAfterMs'>;
  log?: DesktopLog;
}

export interface DesktopApp {
  /** Every RoomEvent for the window, whoever publishes it. */
  readonly events: RoomEventHub;
  readonly controller: RoomController;
  readonly settings: SettingsStore;
  readonly discovery: RoomDiscovery;
  readonly actions: BridgeActions;
  /** Stops discovery and leaves the room (stopping a hosted one). Never rejects. */
  close(): Promise<void>;
}

export const SETTINGS_FILE = 'settings.json';
export const SESSIONS_FILE = 'sessions.json';
export const HOST_DATA_DIR = 'host';
export const TLS_DIR = 'tls';
export const KNOWN_ROOMS_FILE = 'known-rooms.json';
export const IDENTITY_FILE = 'identity.json';

async function openSettings(file: string, defaultName: string | undefined, log: DesktopLog) {
  try {
    return await openSettingsStore({ path: file, defaults: { displayName: defaultName ?? '' } });
  } catch (error) {
    // A default name the settings refuse is only a suggestion: go without it.
    log('parley: default display name refused', error);
    return openSettingsStore({ path: file });
  }
}

export async function createDesktopApp(options: DesktopAppOptions): Promise<DesktopApp> {
  const { userDataDir, openExternal } = options;
  const log: DesktopLog = options.log ?? ((message, detail) => console.warn(message, detail ?? ''));
  const settings = await openSettings(
    path.join(userDataDir, SETTINGS_FILE),
    options.defaultName,
    log,
  );
  if (settings.recovery)
    log('parley: the settings file was damaged and repaired', settings.recovery);

  const events = new RoomEventHub(log);
  const controller = new RoomController({
    ...options.controller,
    dataDir: path.join(userDataDir, HOST_DATA_DIR),
    tlsDir: path.join(userDataDir, TLS_DIR),
    knownRoomsFile: path.join(userDataDir, KNOWN_ROOMS_FILE),
    deviceSecret: deviceSecretFrom(path.join(userDataDir, IDENTITY_FILE)),
    events,
    sessionSnapshots: createSessionSnapshotStore({ file: path.join(userDataDir, SESSIONS_FILE) }),
    log,
  });
  const discovery = new RoomDiscovery({
    ...options.discovery,
    emit: (event) => events.emit(event),
    ownRoomId: () => (controller.hosting ? controller.summary?.room.id : undefined),
    log,
  });
  // Hosting starts or stops: the app's own room leaves or may rejoin the list of rooms.
  const stopRefiltering = events.subscribe((event) => {
    if (event.type === 'summary' || event.type === 'ended') discovery.refilter();
  });
  const actions = createBridgeActions({
    controller,
    settings,
    discovery,
    openExternal,
    showItemInFolder: options.showItemInFolder ?? (() => undefined),
  });

  let closing: Promise<void> | undefined;
  return {
    events,
    controller,
    settings,
    discovery,
    actions,
    close() {
      closing ??= (async () => {
        stopRefiltering();
        await discovery.stop();
        await controller.leave().catch((error: unknown) => log('parley: leave failed', error));
      })();
      return closing;
    },
  };
}
