import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PREFERENCES,
  PREFERENCES_KEY,
  SESSION_KEY,
  forgetSession,
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
      saveSession(brokenStorage, { name: 'a', token: 't', lastSeq: 1, roomId: 'r' }),
    ).not.toThrow();
    expect(() => forgetSession(brokenStorage)).not.toThrow();
    expect(loadSession(brokenStorage)).toBeUndefined();
  });

  it('keeps and forgets the session snapshot', () => {
    const storage = memoryStorage();
    const session = { name: 'Ada', password: 'pw', token: 'tok', lastSeq: 42, roomId: 'r1' };
    saveSession(storage, session);
    expect(loadSession(storage)).toEqual(session);
    forgetSession(storage);
    expect(loadSession(storage)).toBeUndefined();
  });
});
