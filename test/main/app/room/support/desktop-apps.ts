/**
 * Desktop apps for tests (main/app/room/desktop-app.ts without Electron): each has its own user
 * data folder under one temporary root, everything on loopback (rooms, mDNS), and records the
 * RoomEvents it emits; all are closed and the root removed after every test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import {
  createDesktopApp,
  type DesktopApp,
  type DesktopAppOptions,
} from '../../../../../main/app/room/desktop-app';
import { advertiseRoom } from '../../../../../main/discovery/advertiser';
import type { MdnsOptions } from '../../../../../main/discovery/mdns-socket';
import { browseRooms } from '../../../../../main/discovery/room-browser';
import { createMemoryStore } from '../../../../../main/host/store/memory-store';
import { loopbackMdns } from '../../../discovery/loopback';
import { recordEvents, type EventLog } from '../../helpers/room-events';

export interface DesktopApps {
  /** The folder every app's user data lives in. */
  readonly root: string;
  /** One app process with the user data folder `userData` (under root). */
  start(
    userData: string,
    controller?: DesktopAppOptions['controller'],
  ): Promise<{ app: DesktopApp; log: EventLog }>;
}

export function useDesktopApps(): DesktopApps {
  let root = '';
  let mdns: MdnsOptions;
  const apps: DesktopApp[] = [];
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'parley-desktop-'));
    mdns = await loopbackMdns();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await rm(root, { recursive: true, force: true });
  });
  return {
    get root() {
      return root;
    },
    async start(userData, controller = {}) {
      const app = await createDesktopApp({
        userDataDir: path.join(root, userData),
        defaultName: 'ada',
        openExternal: async () => undefined,
        controller: {
          openStore: createMemoryStore,
          bindAddress: '127.0.0.1',
          sessionOptions: { backoff: { initialMs: 50, maxMs: 200 } },
          advertiseRoom: (options) => advertiseRoom({ ...options, mdns, minUpdateIntervalMs: 0 }),
          ...controller,
        },
        discovery: {
          browse: () => browseRooms({ mdns, sweepIntervalMs: 100 }),
          emptyAfterMs: 60_000,
        },
        log: () => undefined,
      });
      apps.push(app);
      return { app, log: recordEvents(app.events) };
    },
  };
}
