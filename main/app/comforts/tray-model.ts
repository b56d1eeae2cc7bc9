/**
 * What the tray icon says and offers while this app hosts a room: the room, how many people are
 * in it, "Show Parley" and "Quit". Outside a hosted room there is no tray icon: a guest's room
 * lives and dies with the window. Plain code; tray.ts puts it on screen.
 */
import { APP_NAME, badgeText } from './unread-counter';

export type TrayAction = 'show' | 'quit';

export type TrayItem =
  | { kind: 'label'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; action: TrayAction; label: string };

export interface TrayView {
  tooltip: string;
  items: TrayItem[];
}

export interface TrayStatus {
  hosting: boolean;
  roomName: string | undefined;
  /** People in the room, the host included. */
  people: number;
  unread: number;
}

/** `1 person`, `3 people`. */
export function peopleText(count: number): string {
  const people = Number.isSafeInteger(count) && count > 0 ? count : 0;
  return people === 1 ? '1 person' : `${people} people`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** The tray while hosting; undefined when there should be no tray icon. */
export function trayView(status: TrayStatus): TrayView | undefined {
  if (!status.hosting) return undefined;
  const room = oneLine(status.roomName ?? '') || APP_NAME;
  const people = peopleText(status.people);
  const unread = badgeText(status.unread);
  const tooltip = [room, people, unread && `${unread} unread`, APP_NAME]
    .filter(Boolean)
    .join(' — ');
  return {
    tooltip,
    items: [
      { kind: 'label', label: `Hosting ${room}: ${people}` },
      { kind: 'separator' },
      { kind: 'action', action: 'show', label: `Show ${APP_NAME}` },
      { kind: 'action', action: 'quit', label: 'Quit' },
    ],
  };
}

/**
 * The window was hidden to the tray and the tray goes away (the room ended by itself: the host's
 * history store failed, say): the window comes back, so the app never runs with nothing on screen
 * and the person learns why the room ended.
 */
export function shouldShowWindowAgain(state: {
  trayWasShown: boolean;
  trayShown: boolean;
  windowVisible: boolean;
}): boolean {
  return state.trayWasShown && !state.trayShown && !state.windowVisible;
}
