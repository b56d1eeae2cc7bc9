/**
 * Checks a store written by the store child (test/fixtures/store/store-child.ts): every log holds
 * exactly the fixture entries 1..lastSeq, each text entry in the state its stored edits give it.
 */
import { expect } from 'vitest';
import type { RoomStore } from '../../../../main/host/store/room-store';
import { FIXTURE_CONVERSATIONS, fixtureCurrent } from '../../../fixtures/store/fixture-entries';
import { everything } from './entry-kit';

export function expectFixtureLogs(store: RoomStore): void {
  for (const conv of FIXTURE_CONVERSATIONS) {
    const lastSeq = store.lastSeq(conv);
    expect(store.lastDurableSeq(conv)).toBe(lastSeq);
    const entries = everything(store, conv);
    expect(entries).toHaveLength(lastSeq);
    expect(entries).toEqual(entries.map((_, index) => fixtureCurrent(conv, index + 1, lastSeq)));
  }
}

/** Every entry in the fixture's logs. */
export const fixtureCount = (store: RoomStore): number =>
  FIXTURE_CONVERSATIONS.reduce((sum, conv) => sum + store.lastSeq(conv), 0);
