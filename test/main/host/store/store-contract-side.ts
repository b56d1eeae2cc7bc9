/**
 * The RoomStore contract, part three: what lives beside the logs (read markers, remembered names,
 * sessions and their pruning). Run through describeRoomStoreContract.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomStoreFactory } from '../../../../main/host/store/room-store';
import { directConversationId } from '../../../../protocol/wire/identity';
import { storeOpener } from './store-contract';
import { alice, bob, guest } from './entry-kit';

const DAY = 24 * 60 * 60 * 1000;

export function describeSideContract(label: string, openStore: RoomStoreFactory): void {
  describe(`RoomStore contract, beside the logs: ${label}`, () => {
    const open = storeOpener(openStore);
    afterEach(() => {
      vi.useRealTimers();
    });

    it('keeps read markers per identity and conversation, never lowering one', async () => {
      const store = await open();
      expect(store.readMarkers(alice.id)).toEqual({});
      store.saveRead(alice.id, 'general', 5);
      store.saveRead(alice.id, 'c_x', 2);
      store.saveRead(bob.id, 'general', 1);
      store.saveRead(alice.id, 'general', 3);
      store.saveRead(alice.id, 'c_x', 4);
      expect(store.readMarkers(alice.id)).toEqual({ general: 5, c_x: 4 });
      expect(store.readMarkers(bob.id)).toEqual({ general: 1 });
      expect(store.readMarkers(guest.id)).toEqual({});
      expect(() => store.saveRead(alice.id, 'general', -1)).toThrow(
        expect.objectContaining({ code: 'invalid' }),
      );
      expect(() => store.saveRead(alice.id, 'general', 1.5)).toThrow(
        expect.objectContaining({ code: 'invalid' }),
      );
      expect(store.readMarkers(alice.id)).toEqual({ general: 5, c_x: 4 });
    });

    it('remembers the name an identity last used', async () => {
      const store = await open();
      expect(store.knownPeer(alice.id)).toBeUndefined();
      store.rememberPeer(alice);
      store.rememberPeer({ id: bob.id, name: 'Bobby' });
      store.rememberPeer(bob);
      expect(store.knownPeer(alice.id)).toEqual(alice);
      expect(store.knownPeer(bob.id)).toEqual(bob);
    });

    it('names direct members it does not know, without overriding a remembered name', async () => {
      const store = await open();
      store.rememberPeer({ id: alice.id, name: 'Alice A.' });
      store.ensureDirect(directConversationId(alice.id, bob.id), [alice, bob]);
      expect(store.knownPeer(alice.id)).toEqual({ id: alice.id, name: 'Alice A.' });
      expect(store.knownPeer(bob.id)).toEqual(bob);
    });

    it('remembers sessions by token hash, with the peer as saved, and updates a saved one', async () => {
      const store = await open();
      store.saveSession('hash-a', alice);
      store.saveSession('hash-b', guest);
      expect(store.findSession('hash-a')).toEqual(alice);
      expect(store.findSession('hash-b')).toEqual(guest);
      store.saveSession('hash-a', { id: alice.id, name: 'Alice 2' });
      expect(store.findSession('hash-a')).toEqual({ id: alice.id, name: 'Alice 2' });
      expect(store.findSession('hash-c')).toBeUndefined();
    });

    it('prunes the sessions neither saved nor found since a time, and says how many', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const start = Date.UTC(2030, 0, 1);
      vi.setSystemTime(start);
      const store = await open();
      store.saveSession('old', alice);
      store.saveSession('found', bob);
      store.saveSession('resaved', guest);
      vi.setSystemTime(start + 40 * DAY);
      expect(store.findSession('found')).toEqual(bob);
      store.saveSession('resaved', guest);
      store.saveSession('new', alice);
      expect(store.pruneSessions(start + 30 * DAY)).toBe(1);
      expect(store.findSession('old')).toBeUndefined();
      expect(store.findSession('found')).toEqual(bob);
      expect(store.findSession('resaved')).toEqual(guest);
      expect(store.findSession('new')).toEqual(alice);
      expect(store.pruneSessions(start + 30 * DAY)).toBe(0);
      expect(store.pruneSessions(start + 41 * DAY)).toBe(3);
      expect(store.findSession('new')).toBeUndefined();
    });
  });
}
