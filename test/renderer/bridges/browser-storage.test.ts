import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PREFERENCES,
  IDENTITY_KEY,
  PREFERENCES_KEY,
  SESSION_KEY,
  forgetSession,
  guestIdentity,
  loadPreferences,
  loadSession,
  savePreferences,
  saveSession,
} from '../../../renderer/bridges/browser-storage';
import type { StorageLike } from '../../../renderer/bridges/browser-storage';
import { memoryStorage } from '../helpers/memory-storage';

const brokenStorage: StorageLike = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

describe('browser storage', () => {
  it('round-trips preferences and fills gaps with defaults', () => {
    const storage = memoryStorage();
    expect(loadPreferences(storage)).toEqual(DEFAULT_PREFERENCES);
    savePreferences(storage, { name: 'Ada', roomName: 'Lab', address: 'h:1', port: 7555 });
    expect(loadPreferences(storage)).toEqual({
      name: 'Ada',
      roomName: 'Lab',
      address: 'h:1',
      port: 7555,
    });
    storage.setItem(PREFERENCES_KEY, JSON.stringify({ name: 'Bob' }));
    expect(loadPreferences(storage)).toEqual({ ...DEFAULT_PREFERENCES, name: 'Bob' });
  });

  it('treats garbage, wrong types and broken storage as nothing remembered', () => {
    const storage = memoryStorage();
    for (const raw of ['{', 'null', '[]', '"x"', JSON.stringify({ name: 5, port: 'x' })]) {
      storage.setItem(PREFERENCES_KEY, raw);
      expect(loadPreferences(storage)).toEqual(DEFAULT_PREFERENCES);
      storage.setItem(SESSION_KEY, raw);
      expect(loadSession(storage)).toBeUndefined();
    }
    expect(loadPreferences(brokenStorage)).toEqual(DEFAULT_PREFERENCES);
    expect(loadPreferences(undefined)).toEqual(DEFAULT_PREFERENCES);
    expect(() => savePreferences(brokenStorage, DEFAULT_PREFERENCES)).not.toThrow();
    expect(() =>
      saveSession(brokenStorage, { name: 'a', token: 't', cursors: { general: 1 }, roomId: 'r' }),
    ).not.toThrow();
    expect(() => forgetSession(brokenStorage)).not.toThrow();
    expect(loadSession(brokenStorage)).toBeUndefined();
  });

  it('keeps and forgets the session snapshot', () => {
    const storage = memoryStorage();
    const session = {
      name: 'Ada',
      password: 'pw',
      token: 'tok',
      cursors: { general: 42, c_crew: 3 },
      roomId: 'r1',
    };
    saveSession(storage, session);
    expect(loadSession(storage)).toEqual(session);
    forgetSession(storage);
    expect(loadSession(storage)).toBeUndefined();
    // A tab of the version 1 page kept one lastSeq: not a session this page can resume.
    storage.setItem(
      SESSION_KEY,
      JSON.stringify({ name: 'A', token: 't', lastSeq: 4, roomId: 'r' }),
    );
    expect(loadSession(storage)).toBeUndefined();
  });

  it('makes the guest identity once per storage, and replaces a damaged one', () => {
    const storage = memoryStorage();
    const identity = guestIdentity(storage);
    expect(identity).toMatch(/^[\w-]{43}$/);
    expect(guestIdentity(storage)).toBe(identity);
    storage.setItem(IDENTITY_KEY, JSON.stringify('too short'));
    const replaced = guestIdentity(storage);
    expect(replaced).not.toBe(identity);
    expect(guestIdentity(storage)).toBe(replaced);
    // Without storage (or with broken storage) every call is a new guest.
    expect(guestIdentity(undefined)).not.toBe(guestIdentity(undefined));
    expect(guestIdentity(brokenStorage)).toMatch(/^[\w-]{43}$/);
  });
});
