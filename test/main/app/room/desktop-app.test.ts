/**
 * The desktop app without a room: its settings file and its device secret. Everything in rooms is
 * in desktop-app.v2-host.test.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDENTITY_FILE } from '../../../../main/app/room/desktop-app';
import { identityForRoom, secretBytes } from '../../../../protocol/client/identity-key';
import type { ClientSessionOptions } from '../../../../protocol/client/client-types';
import type { RoomSession } from '../../../../protocol/client/room-adapter';
import { useDesktopApps } from './support/desktop-apps';

const apps = useDesktopApps();
const startApp = (userData: string) => apps.start(userData);

describe('desktop app: settings', () => {
  it('offers the OS user name until the person picks one, and keeps what they pick', async () => {
    const first = await startApp('ada');
    expect(await first.app.actions.loadPreferences(undefined)).toMatchObject({ name: 'ada' });
    const saved = {
      name: 'Ada L.',
      roomName: 'Lab',
      address: '',
      port: 7420,
      notifications: false,
      keepHostingInTray: true,
    };
    await first.app.actions.savePreferences(saved);
    await first.app.close();

    const restarted = await startApp('ada');
    expect(await restarted.app.actions.loadPreferences(undefined)).toEqual(saved);
    // One settings file, not two.
    const file = JSON.parse(await readFile(path.join(apps.root, 'ada', 'settings.json'), 'utf8'));
    expect(file).toMatchObject({ displayName: 'Ada L.', notifications: false });
  });
});

describe('desktop app: its identity', () => {
  it('keeps one device secret in identity.json and derives the identity it hosts with from it', async () => {
    const identities: (string | undefined)[] = [];
    const standIn = (options: ClientSessionOptions) => {
      identities.push(options.identity);
      const self = { id: 'u_x', name: options.name };
      const room = { id: 'r_x', name: 'Lab' };
      return {
        connect: async () => ({ type: 'welcome', room, self }),
        close: async () => undefined,
        snapshot: () => undefined,
        on: () => () => undefined,
        room,
        self,
        peers: [self],
        peerCount: 1,
        conversations: [],
      } as unknown as RoomSession;
    };
    const { app } = await apps.start('ada', { createSession: standIn });
    const hosted = await app.actions.host({ roomName: 'Lab', name: 'Ada', port: 0 });
    const file = path.join(apps.root, 'ada', IDENTITY_FILE);
    expect((await stat(file)).mode & 0o077).toBe(0);
    const secret = secretBytes(JSON.parse(await readFile(file, 'utf8')).deviceSecret)!;
    const roomId = new URL(hosted.invites?.[0]?.invite ?? '').searchParams.get('room') ?? '';
    expect(identities).toEqual([identityForRoom(secret, roomId, hosted.fingerprint?.full)]);
  });
});
