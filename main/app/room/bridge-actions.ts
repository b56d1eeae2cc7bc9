/**
 * What the main process does for each bridge request, given an argument that passed its schema:
 * room requests (and forgetting a room's certificate) go to the controller, preferences to the
 * settings store, room discovery to its browser, links to the system browser.
 */
import type { BridgeActions } from './ipc-handlers';
import type { RoomController } from './room-controller';
import type { RoomDiscovery } from './room-discovery';
import type { SettingsStore } from '../comforts/settings-store';
import { appError } from './app-errors';
import { isAllowedExternalUrl } from '../shell/security-policy';
import { preferencesOf, settingsPatchOf } from './preferences';

export interface BridgeActionsOptions {
  controller: Pick<
    RoomController,
    'host' | 'join' | 'leave' | 'requests' | 'transfers' | 'forgetRoom'
  >;
  settings: Pick<SettingsStore, 'get' | 'update'>;
  discovery: Pick<RoomDiscovery, 'start' | 'stop'>;
  /** Opens a URL in the system browser (Electron's shell.openExternal). */
  openExternal: (url: string) => Promise<void>;
  /** Shows a file in the system's file manager (Electron's shell.showItemInFolder). */
  showItemInFolder: (path: string) => void;
}

export function createBridgeActions(options: BridgeActionsOptions): BridgeActions {
  const { controller, settings, discovery, openExternal, showItemInFolder } = options;
  const { savedPath, fileResponse: _fileResponse, ...transfers } = controller.transfers;
  return {
    host: (request) => controller.host(request),
    join: (request) => controller.join(request),
    leave: () => controller.leave(),
    ...controller.requests,
    ...transfers,
    showInFolder: (transferId) => showItemInFolder(savedPath(transferId)),
    loadPreferences: () => preferencesOf(settings.get()),
    async savePreferences(values) {
      try {
        await settings.update(settingsPatchOf(values));
      } catch {
        throw appError('preferences_failed');
      }
    },
    async openExternal(url) {
      // The schema only proved it is a URL; file:, javascript: and custom schemes stop here.
      if (!isAllowedExternalUrl(url)) throw appError('external_refused');
      await openExternal(url);
    },
    startDiscovery: () => discovery.start(),
    stopDiscovery: () => discovery.stop(),
    forgetRoom: (roomId) => controller.forgetRoom(roomId),
  };
}
