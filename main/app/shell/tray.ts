/**
 * Electron shell: the tray icon while this app hosts a room. What it says and offers comes from
 * tray-model.ts; this file only puts it on screen and runs the chosen action.
 */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayItem, TrayView } from '../comforts/tray-model';
import { trayIconBitmap } from './tray-icon';

export interface RoomTray {
  /** Shows the view, or removes the icon when it is undefined. */
  update(view: TrayView | undefined): void;
  readonly shown: boolean;
  destroy(): void;
}

function menuItem(item: TrayItem, run: (action: TrayAction) => void): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'label':
      return { label: item.label, enabled: false };
    case 'separator':
      return { type: 'separator' };
    case 'action':
      return { label: item.label, click: () => run(item.action) };
  }
}

export function createRoomTray(run: (action: TrayAction) => void): RoomTray {
  let tray: Tray | undefined;
  let shownJson = '';

  function icon() {
    const bitmap = trayIconBitmap(32);
    // 32 pixels drawn for 16 points: sharp on high-density screens, scaled down elsewhere.
    return nativeImage.createFromBitmap(bitmap.data, {
      width: bitmap.width,
      height: bitmap.height,
      scaleFactor: 2,
    });
  }

  return {
    update(view) {
      if (!view) {
        tray?.destroy();
        tray = undefined;
        shownJson = '';
        return;
      }
      const json = JSON.stringify(view);
      if (tray && json === shownJson) return;
      shownJson = json;
      if (!tray) {
        tray = new Tray(icon());
        // A click on the icon itself brings the window back (Windows and most Linux trays).
        tray.on('click', () => run('show'));
      }
      tray.setToolTip(view.tooltip);
      tray.setContextMenu(Menu.buildFromTemplate(view.items.map((item) => menuItem(item, run))));
    },
    get shown() {
      return tray !== undefined;
    },
    destroy() {
      tray?.destroy();
      tray = undefined;
    },
  };
}
