import { createHash } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KnownRoomsError,
  identityChangedWarning,
  openKnownRooms,
} from '../../../main/tls/known-rooms';
import { readableFingerprint } from '../../../protocol/client/fingerprint';
import { withTempDirs } from './tls-fixtures';

const fingerprint = (seed: string) =>
  createHash('sha256').update(seed).digest('hex').toUpperCase().match(/.{2}/g)!.join(':');
const FP_A = fingerprint('a');
const FP_B = fingerprint('b');

let dirs: Awaited<ReturnType<typeof withTempDirs>>;
let file: string;

beforeEach(async () => {
  dirs = await withTempDirs();
  file = join(await dirs.make(), 'known-rooms.json');
});
afterEach(async () => {
  await dirs.cleanup();
});

describe('known rooms', () => {
  it('says new, then match for the same fingerprint and changed for another', async () => {
    const rooms = openKnownRooms(file);
    expect(await rooms.check('room-1', FP_A)).toBe('new');
    await rooms.remember('room-1', FP_A);
    expect(await rooms.check('room-1', FP_A)).toBe('match');
    expect(await rooms.check('room-1', FP_A.toLowerCase().replaceAll(':', ''))).toBe('match');
    expect(await rooms.check('room-1', FP_B)).toBe('changed');
    expect(await rooms.check('room-2', FP_B)).toBe('new');
  });

  it('keeps what it learned across restarts, in a private file', async () => {
    await openKnownRooms(file).remember('room-1', FP_A);
    expect(await openKnownRooms(file).check('room-1', FP_B)).toBe('changed');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      version: 1,
      rooms: [{ id: 'room-1', fingerprint256: FP_A }],
    });
  });

  it('sees rooms another process remembered since it opened the file', async () => {
    const app = openKnownRooms(file);
    const terminal = openKnownRooms(file);
    expect(await app.check('room-1', FP_A)).toBe('new');
    await terminal.remember('room-1', FP_A);
    expect(await app.check('room-1', FP_B)).toBe('changed');
  });

  it('records every one of many remembers made at once, leaving no temporary files', async () => {
    const rooms = openKnownRooms(file);
    const ids = Array.from({ length: 40 }, (_, index) => `room-${index}`);
    await Promise.all(ids.map((id) => rooms.remember(id, fingerprint(id))));
    for (const id of ids) expect(await rooms.check(id, fingerprint(id))).toBe('match');
    const folder = join(file, '..');
    expect(await readdir(folder)).toEqual(['known-rooms.json']);
  });

  it('forgets a room so the next connection is a first use again', async () => {
    const rooms = openKnownRooms(file);
    await rooms.remember('room-1', FP_A);
    expect(await rooms.forget('room-1')).toBe(true);
    expect(await rooms.check('room-1', FP_B)).toBe('new');
    expect(await rooms.forget('room-1')).toBe(false);
  });

  it('replaces a fingerprint when told to remember a new one, keeping firstSeen only for the same', async () => {
    let clock = 1000;
    const rooms = openKnownRooms(file, { now: () => clock });
    await rooms.remember('room-1', FP_A);
    clock = 2000;
    await rooms.remember('room-1', FP_A);
    expect(await rooms.get('room-1')).toEqual({
      id: 'room-1',
      fingerprint256: FP_A,
      firstSeen: 1000,
      lastSeen: 2000,
    });
    clock = 3000;
    await rooms.remember('room-1', FP_B);
    expect(await rooms.get('room-1')).toMatchObject({ fingerprint256: FP_B, firstSeen: 3000 });
  });

  it('keeps at most maxRooms, dropping the least recently remembered', async () => {
    let clock = 0;
    const rooms = openKnownRooms(file, { maxRooms: 3, now: () => ++clock });
    for (const id of ['a', 'b', 'c']) await rooms.remember(id, FP_A);
    await rooms.remember('a', FP_A); // a is fresh again, b is now the oldest
    await rooms.remember('d', FP_A);
    expect(await rooms.check('b', FP_A)).toBe('new');
    for (const id of ['a', 'c', 'd']) expect(await rooms.check(id, FP_A)).toBe('match');
  });

  it('treats odd room ids as plain data', async () => {
    const rooms = openKnownRooms(file);
    await rooms.remember('__proto__', FP_A);
    await rooms.remember('constructor', FP_B);
    expect(await openKnownRooms(file).check('__proto__', FP_A)).toBe('match');
    expect(await openKnownRooms(file).check('constructor', FP_A)).toBe('changed');
  });

  it('refuses a corrupt file, naming it, and never overwrites it', async () => {
    for (const content of [
      '{not json',
      '{"version":2,"rooms":[]}',
      '{"version":1,"rooms":[{"id":"x"}]}',
    ]) {
      await writeFile(file, content);
      const rooms = openKnownRooms(file);
      const error = await rooms.check('room-1', FP_A).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(KnownRoomsError);
      expect((error as KnownRoomsError).code).toBe('corrupt');
      expect((error as KnownRoomsError).message).toContain(file);
      await expect(rooms.remember('room-1', FP_A)).rejects.toBeInstanceOf(KnownRoomsError);
      expect(await readFile(file, 'utf8')).toBe(content);
    }
  });

  it('rejects bad room ids and fingerprints', async () => {
    const rooms = openKnownRooms(file);
    await expect(rooms.check('', FP_A)).rejects.toThrow(TypeError);
    await expect(rooms.check('x'.repeat(300), FP_A)).rejects.toThrow(TypeError);
    await expect(rooms.check('room-1', 'not a fingerprint')).rejects.toThrow(TypeError);
    await expect(rooms.remember('room-1', 'ABCD')).rejects.toThrow(TypeError);
    await expect(rooms.forget('')).rejects.toThrow(TypeError);
    expect(() => openKnownRooms(file, { maxRooms: 0 })).toThrow(TypeError);
  });
});

describe('identityChangedWarning', () => {
  it('says what happened, both fingerprints, and what to do', () => {
    const text = identityChangedWarning({
      roomId: 'room-1',
      roomName: 'Team',
      known: FP_A,
      presented: FP_B,
      howToForget: 'run `parley forget room-1`',
    });
    expect(text).toMatch(/^WARNING: the identity of room "Team" \(room-1\) has changed/);
    expect(text).toContain('man-in-the-middle');
    expect(text).toContain(readableFingerprint(FP_A).short);
    expect(text).toContain(readableFingerprint(FP_B).short);
    expect(text).toContain('run `parley forget room-1` and join again');
  });
});

describe('addresses', () => {
  it('remembers where a room was reached; the room seen there last answers for it', async () => {
    const rooms = openKnownRooms(file);
    await rooms.remember('room-a', FP_A, { address: '10.0.0.2:7420', name: 'A' });
    expect(await rooms.atAddress('10.0.0.2:7420')).toMatchObject({ id: 'room-a', name: 'A' });
    await rooms.remember('room-b', FP_B, { address: '10.0.0.2:7420' });
    expect(await rooms.atAddress('10.0.0.2:7420')).toMatchObject({ id: 'room-b' });
    expect((await rooms.get('room-a'))?.addresses).toEqual([]);
    // Remembered again without an address: what it knew stays.
    await rooms.remember('room-b', FP_B);
    expect(await rooms.get('room-b')).toMatchObject({ addresses: ['10.0.0.2:7420'] });
    expect(await rooms.knowsFingerprint(FP_A)).toBe(true);
  });

  it('forgets a room with its addresses', async () => {
    const rooms = openKnownRooms(file);
    await rooms.remember('room-a', FP_A, { address: 'laptop.local:7420' });
    expect(await rooms.forget('room-a')).toBe(true);
    expect(await rooms.atAddress('laptop.local:7420')).toBeUndefined();
  });
});
