/**
 * What the main process does for each bridge request, given an argument that passed its schema:
 * room requests go to the controller, preferences to their store, links to the system browser.
 */
import type { BridgeActions } from './ipc-handlers';
import type { RoomController } from './room-controller';
import type { PreferencesStore } from './preferences-store';
import { appError } from './app-errors';
import { isAllowedExternalUrl } from './security-policy';

export interface BridgeActionsOptions {
  controller: Pick<
    RoomController,
    'host' | 'join' | 'leave' | 'send' | 'retry' | 'typing' | 'loadOlder'
  >;
  preferences: PreferencesStore;
  /** Opens a URL in the system browser (Electron's shell.openExternal). */
  openExternal: (url: string) => Promise<void>;
}

export function createBridgeActions(options: BridgeActionsOptions): BridgeActions {
  const { controller, preferences, openExternal } = options;
  return {
    host: (request) => controller.host(request),
    join: (request) => controller.join(request),
    leave: () => controller.leave(),
    send: (text) => controller.send(text),
    retry: (id) => controller.retry(id),
    typing: () => controller.typing(),
    loadOlder: (beforeSeq) => controller.loadOlder(beforeSeq),
    loadPreferences: () => preferences.load(),
    async savePreferences(values) {
      try {
        await preferences.save(values);
      } catch {
        throw appError('preferences_failed');
      }
    },
    async openExternal(url) {
      // The schema only proved it is a URL; file:, javascript: and custom schemes stop here.
      if (!isAllowedExternalUrl(url)) throw appError('external_refused');
      await openExternal(url);
    },
  };
}
