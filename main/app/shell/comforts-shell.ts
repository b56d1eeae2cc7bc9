/**
 * Electron shell: applies what attention.ts and tray-model.ts decide. Notifications (a click
 * brings the window forward and opens the message's conversation), the window title, the
 * dock/taskbar badge and the tray icon.
 */
import { app, Notification, type BrowserWindow } from 'electron';
import type { RoomEvent } from '../../../protocol/bridge';
import type { NotificationContent } from '../comforts/notification-policy';
import { Attention } from '../comforts/attention';
import type { RoomEventSource } from '../room/room-events';
import { shouldShowWindowAgain, trayView, type TrayAction } from '../comforts/tray-model';
import { createRoomTray } from './tray';

export interface ComfortsOptions {
  /** The window's event stream: read for the room, and told which conversation to open. */
  events: RoomEventSource & { emit(event: RoomEvent): void };
  notificationsEnabled: () => boolean;
  getWindow: () => BrowserWindow | undefined;
  /** Brings the window forward (opening one if there is none). */
  showWindow: () => void;
  /** Quit from the tray: the same question and clean leave as closing. */
  quit: () => void;
}

export interface Comforts {
  /** Follows focus of (and sets the title on) a newly opened window. */
  watchWindow(window: BrowserWindow): void;
  dispose(): void;
}

export function attachComforts(options: ComfortsOptions): Comforts {
  const { events, getWindow, showWindow, quit } = options;
  // Kept referenced: a notification that is garbage collected loses its click handler.
  let shownNotification: Notification | undefined;
  const liveWindow = () => {
    const window = getWindow();
    return window && !window.isDestroyed() ? window : undefined;
  };

  function notify(content: NotificationContent): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification({
      title: content.title,
      body: content.body,
      urgency: content.mentionsMe ? 'critical' : 'normal',
    });
    notification.on('click', () => {
      showWindow();
      const conv = content.conv;
      if (conv !== undefined) events.emit({ type: 'openConversation', conv });
    });
    // One notification at a time: a busy room replaces its last one instead of piling up.
    shownNotification?.close();
    shownNotification = notification;
    notification.show();
  }

  const attention = new Attention({
    notificationsEnabled: options.notificationsEnabled,
    notify,
    display: (display) => {
      liveWindow()?.setTitle(display.title);
      app.setBadgeCount(display.unread);
      updateTray();
    },
    focused: liveWindow()?.isFocused() ?? false,
  });

  const tray = createRoomTray((action: TrayAction) => (action === 'show' ? showWindow() : quit()));

  function updateTray(): void {
    const room = attention.room;
    const trayWasShown = tray.shown;
    tray.update(
      trayView({
        hosting: room.hosting,
        roomName: room.roomName,
        people: Math.max(room.peerCount, room.peers.length),
        unread: attention.display.unread,
      }),
    );
    const windowVisible = liveWindow()?.isVisible() ?? false;
    if (shouldShowWindowAgain({ trayWasShown, trayShown: tray.shown, windowVisible })) showWindow();
  }

  const stop = events.subscribe((event) => {
    attention.handle(event);
    updateTray();
  });

  return {
    watchWindow(window) {
      // The main process owns the title: the page's <title> would drop the unread count.
      window.on('page-title-updated', (event) => event.preventDefault());
      window.on('focus', () => attention.setFocused(true));
      window.on('blur', () => attention.setFocused(false));
      window.on('hide', () => attention.setFocused(false));
      window.setTitle(attention.display.title);
    },
    dispose() {
      stop();
      tray.destroy();
      shownNotification?.close();
    },
  };
}
