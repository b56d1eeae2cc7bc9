/**
 * The bridge's Preferences (what the start screen and the settings panel edit) are a view of the
 * user's settings file (main/app/comforts/settings-store.ts): one file holds both.
 */
import type { Preferences } from '../../../protocol/bridge';
import {
  patchFromPreferences,
  preferencesFromSettings,
  type Settings,
  type SettingsPatch,
} from '../comforts/settings-store';

/** Everything the window may show, the desktop-only switches included. */
export function preferencesOf(settings: Settings): Required<Preferences> {
  return {
    ...preferencesFromSettings(settings),
    notifications: settings.notifications,
    keepHostingInTray: settings.keepHostingInTray,
  };
}

/** The settings a save changes; a switch the window did not send keeps its current value. */
export function settingsPatchOf(preferences: Preferences): SettingsPatch {
  const { notifications, keepHostingInTray } = preferences;
  return {
    ...patchFromPreferences(preferences),
    ...(notifications !== undefined && { notifications }),
    ...(keepHostingInTray !== undefined && { keepHostingInTray }),
  };
}
