import { join } from 'node:path';
import { request } from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostCertificate } from '../../../main/tls/certificate';
import { openKnownRooms, type KnownRooms } from '../../../main/tls/known-rooms';
import { PinError } from '../../../main/tls/pinning';
import {
  RoomTrustError,
  establishRoomTrust,
  fetchRoomInfo,
  firstUseNotice,
} from '../../../main/tls/room-trust';
import { readableFingerprint } from '../../../protocol/client/fingerprint';
import { makeCertificate, startHttpsServer, withTempDirs, type TestServer } from './tls-fixtures';

const ROOM = { id: 'room-42', name: 'Design review' };
let dirs: Awaited<ReturnType<typeof withTempDirs>>;
let certA: HostCertificate;
let certB: HostCertificate;
let host: TestServer;
let knownRooms: KnownRooms;

beforeEach(async () => {
  dirs = await withTempDirs();
  certA = await makeCertificate(await dirs.make());
  certB = await makeCertificate(await dirs.make());
  host = await startHttpsServer(certA, ROOM);
  knownRooms = openKnownRooms(join(await dirs.make(), 'known-rooms.json'));
});
afterEach(async () => {
  await host.close();
  await dirs.cleanup();
});

const url = () => `wss://127.0.0.1:${host.port}/ws`;

function getStatus(path: string, tls: object): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const call = request(
      `https://127.0.0.1:${host.port}${path}`,
      { ...tls, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    call.on('error', reject);
    call.end();
  });
}

describe('establishRoomTrust', () => {
  it('on first use learns the room over a pinned connection and asks the caller to confirm', async () => {
    const trust = await establishRoomTrust(url(), { knownRooms });
    expect(trust.verdict).toBe('new');
    expect(trust.room).toEqual(ROOM);
    expect(trust.fingerprint256).toBe(certA.fingerprint256);
    expect(trust.readable).toEqual(readableFingerprint(certA.fingerprint256));
    expect(host.requests).toEqual(['GET /api/info']);
    expect(await getStatus('/api/info', trust.tls)).toBe(200);
  });

  it('matches once remembered', async () => {
    await knownRooms.remember(ROOM.id, certA.fingerprint256);
    expect((await establishRoomTrust(url(), { knownRooms })).verdict).toBe('match');
  });

  it('refuses a room whose certificate changed, with the SSH-like warning', async () => {
    await knownRooms.remember(ROOM.id, certA.fingerprint256);
    host.server.setSecureContext({ cert: certB.cert, key: certB.key });
    const error = await establishRoomTrust(url(), {
      knownRooms,
      howToForget: 'run `parley forget room-42`',
    }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(RoomTrustError);
    expect((error as RoomTrustError).code).toBe('identity_changed');
    expect((error as RoomTrustError).message).toContain('WARNING');
    expect((error as RoomTrustError).message).toContain(
      readableFingerprint(certB.fingerprint256).short,
    );
    expect((error as RoomTrustError).details).toMatchObject({
      known: certA.fingerprint256,
      presented: certB.fingerprint256,
    });
  });

  it("takes the user's explicit fingerprint over a remembered one", async () => {
    await knownRooms.remember(ROOM.id, certA.fingerprint256);
    host.server.setSecureContext({ cert: certB.cert, key: certB.key });
    const trust = await establishRoomTrust(url(), {
      knownRooms,
      fingerprint: certB.fingerprint256,
    });
    expect(trust.verdict).toBe('pinned');
    expect(trust.fingerprint256).toBe(certB.fingerprint256);
  });

  it('refuses a host that is not the explicit fingerprint before sending anything', async () => {
    const error = await establishRoomTrust(url(), {
      knownRooms,
      fingerprint: certB.fingerprint256,
    }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(PinError);
    expect((error as PinError).code).toBe('fingerprint_mismatch');
    expect(host.requests).toEqual([]);
  });
});

describe('establishRoomTrust by address', () => {
  const address = () => `127.0.0.1:${host.port}`;

  it('remembers a pinned or known certificate at once, with the address it was reached at', async () => {
    const pinned = await establishRoomTrust(url(), {
      knownRooms,
      fingerprint: certA.fingerprint256,
    });
    expect(pinned.address).toBe(address());
    expect(await knownRooms.atAddress(address())).toMatchObject({
      id: ROOM.id,
      name: ROOM.name,
      fingerprint256: certA.fingerprint256,
    });
  });

  it('remembers a new room only when the caller says so', async () => {
    const trust = await establishRoomTrust(url(), { knownRooms });
    expect(trust.verdict).toBe('new');
    expect(await knownRooms.get(ROOM.id)).toBeUndefined();
    await trust.remember();
    expect(await knownRooms.atAddress(address())).toMatchObject({ id: ROOM.id });
    expect((await establishRoomTrust(url(), { knownRooms })).verdict).toBe('match');
  });

  it('refuses another room id with another certificate at a known address, naming the known room', async () => {
    await knownRooms.remember('old-room', certB.fingerprint256, {
      address: address(),
      name: 'Old',
    });
    const error = await establishRoomTrust(url(), { knownRooms }).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(RoomTrustError);
    expect(error).toMatchObject({
      code: 'identity_changed',
      details: {
        room: { id: 'old-room', name: 'Old' },
        known: certB.fingerprint256,
        presented: certA.fingerprint256,
        address: address(),
        presentedRoom: ROOM,
      },
    });
    expect((error as Error).message).toContain(
      `the identity of the room at ${address()} has changed`,
    );
    expect(host.requests).toEqual(['GET /api/info']);

    // Forgetting the room that answered there (what the warning says) lets the address go.
    expect(await knownRooms.forget('old-room')).toBe(true);
    expect((await establishRoomTrust(url(), { knownRooms })).verdict).toBe('new');
  });

  it('matches a known certificate under a new room id (a host whose history is in memory)', async () => {
    await knownRooms.remember('before-restart', certA.fingerprint256, { address: address() });
    const trust = await establishRoomTrust(url(), { knownRooms });
    expect(trust.verdict).toBe('match');
    expect(await knownRooms.atAddress(address())).toMatchObject({ id: ROOM.id });
  });

  it('pins the short form a host shows, and connects with the full fingerprint', async () => {
    const short = readableFingerprint(certA.fingerprint256).short;
    const trust = await establishRoomTrust(url(), { knownRooms, fingerprint: short });
    expect(trust).toMatchObject({ verdict: 'pinned', fingerprint256: certA.fingerprint256 });
    const other = readableFingerprint(certB.fingerprint256).short;
    await expect(
      establishRoomTrust(url(), { knownRooms, fingerprint: other }),
    ).rejects.toMatchObject({ code: 'fingerprint_mismatch' });
  });
});

describe('fetchRoomInfo', () => {
  it('refuses an answer that is not a Parley host', async () => {
    const other = await startHttpsServer(certA, ROOM, '{"app":"something else"}');
    try {
      const target = { host: '127.0.0.1', port: other.port };
      const trust = establishRoomTrust(target, { knownRooms });
      await expect(trust).rejects.toMatchObject({ code: 'bad_info' });
      const tls = (await establishRoomTrust(url(), { knownRooms })).tls;
      await expect(fetchRoomInfo(target, tls)).rejects.toBeInstanceOf(RoomTrustError);
    } finally {
      await other.close();
    }
  });

  it('refuses a non-JSON answer', async () => {
    const other = await startHttpsServer(certA, ROOM, '<html>');
    try {
      const error = await establishRoomTrust(
        { host: '127.0.0.1', port: other.port },
        { knownRooms },
      ).catch((reason: unknown) => reason);
      expect(error).toMatchObject({ code: 'bad_info' });
      expect((error as Error).message).toContain('not JSON');
    } finally {
      await other.close();
    }
  });

  it('stops reading an answer that is far too large', async () => {
    const huge = JSON.stringify({ app: 'parley', room: ROOM, padding: 'x'.repeat(200_000) });
    const other = await startHttpsServer(certA, ROOM, huge);
    try {
      const error = await establishRoomTrust(
        { host: '127.0.0.1', port: other.port },
        { knownRooms },
      ).catch((reason: unknown) => reason);
      expect(error).toMatchObject({ code: 'bad_info' });
      expect((error as Error).message).toContain('too large');
    } finally {
      await other.close();
    }
  });
});

describe('firstUseNotice', () => {
  it('names the room and the short fingerprint to compare', () => {
    const text = firstUseNotice(ROOM, certA.fingerprint256);
    expect(text).toContain('"Design review" (room-42)');
    expect(text).toContain(readableFingerprint(certA.fingerprint256).short);
  });
});
