/**
 * The RoomStore contract, part two: what entries do to conversations and to the text entries they
 * target, and when that shows. Run through describeRoomStoreContract.
 */
import { describe, expect, it } from 'vitest';
import type { RoomStoreFactory } from '../../../../main/host/store/room-store';
import { directConversationId } from '../../../../protocol/wire/identity';
import { storeOpener } from './store-contract';
import {
  alice,
  appendNext,
  bob,
  createChannel,
  deleteEntry,
  editEntry,
  everything,
  guest,
  reactionEntry,
  systemEntry,
  textEntry,
  TS,
} from './entry-kit';

const file = {
  id: 'a'.repeat(64),
  name: 'cat.png',
  size: 10,
  mime: 'image/png',
  url: '/f/cat.png',
};

export function describeEffectsContract(label: string, openStore: RoomStoreFactory): void {
  describe(`RoomStore contract, effects: ${label}`, () => {
    const open = storeOpener(openStore);

    it('creates a channel with its creator as first member, and shows it before it is durable', async () => {
      const store = await open();
      const created = store.append(createChannel('c_team', 'Team', bob, 'Plans'));
      const channel = {
        id: 'c_team',
        kind: 'channel',
        name: 'Team',
        topic: 'Plans',
        creator: bob.id,
        members: [bob.id],
        lastSeq: 1,
        created: TS + 1,
      };
      expect(store.conversations()).toEqual([expect.objectContaining({ id: 'general' }), channel]);
      expect(store.page('c_team', 10, 10)).toEqual([]);
      await created;
      expect(store.conversations()[1]).toEqual(channel);
      expect(store.lastDurableSeq('c_team')).toBe(1);
    });

    it('follows joins, leaves and topics in order, idempotently', async () => {
      const store = await open();
      await store.append(createChannel('c_t', 't', alice));
      const join = (from = bob) =>
        appendNext(store, 'c_t', (seq) =>
          systemEntry(seq, 'joined_channel', { conv: 'c_t', from }),
        );
      const leave = (from = bob) =>
        appendNext(store, 'c_t', (seq) => systemEntry(seq, 'left_channel', { conv: 'c_t', from }));
      const topic = (text?: string) =>
        appendNext(store, 'c_t', (seq) =>
          systemEntry(seq, 'topic', { conv: 'c_t', ...(text !== undefined && { topic: text }) }),
        );
      const members = () => store.conversations()[1]?.members;
      await join();
      await join(guest);
      expect(members()).toEqual([alice.id, bob.id, guest.id]);
      await join();
      expect(members()).toEqual([alice.id, bob.id, guest.id]);
      await leave(alice);
      await leave(alice);
      expect(members()).toEqual([bob.id, guest.id]);
      await join(alice);
      expect(members()).toEqual([bob.id, guest.id, alice.id]);
      await topic('Now');
      expect(store.conversations()[1]?.topic).toBe('Now');
      await topic('');
      expect(store.conversations()[1]).not.toHaveProperty('topic');
      await topic('Again');
      await topic();
      expect(store.conversations()[1]).not.toHaveProperty('topic');
      await appendNext(store, 'general', (seq) => systemEntry(seq, 'topic', { topic: 'Lobby' }));
      expect(store.conversations()[0]?.topic).toBe('Lobby');
      expect(store.lastSeq('c_t')).toBe(11);
      expect(everything(store, 'c_t').map((entry) => entry.kind)).toEqual(Array(11).fill('system'));
    });

    it('edits a text entry: current text and edited time, the edit kept in the log', async () => {
      const store = await open();
      await store.append(textEntry(1, { files: [file] }));
      const edit = await appendNext(store, 'general', (seq) =>
        editEntry(seq, { target: 1, text: 'fixed' }),
      );
      expect(store.textEntry('general', 1)).toEqual({
        ...textEntry(1, { files: [file] }),
        text: 'fixed',
        edited: edit.ts,
      });
      expect(everything(store)).toEqual([store.textEntry('general', 1), edit]);
    });

    it('deletes a text entry: text, files and reactions gone, also from its edits', async () => {
      const store = await open();
      await store.append(textEntry(1, { files: [file] }));
      await store.append(textEntry(2, { replyTo: 1 }));
      await store.append(editEntry(3, { target: 2, text: 'secret edit' }));
      await store.append(reactionEntry(4, { target: 2, from: bob }));
      const deleted = deleteEntry(5, { target: 2 });
      await store.append(deleted);
      expect(store.textEntry('general', 2)).toEqual({
        ...textEntry(2, { replyTo: 1 }),
        text: '',
        edited: TS + 3,
        deleted: true,
      });
      expect(everything(store).slice(2)).toEqual([
        editEntry(3, { target: 2, text: '' }),
        reactionEntry(4, { target: 2, from: bob }),
        deleted,
      ]);
      // Nothing changes a deleted entry any more, and an edit of it keeps no text.
      await store.append(editEntry(6, { target: 2, text: 'too late' }));
      await store.append(reactionEntry(7, { target: 2, from: bob }));
      await store.append(deleteEntry(8, { target: 2 }));
      expect(store.textEntry('general', 2)).toMatchObject({
        text: '',
        deleted: true,
        edited: TS + 3,
      });
      expect(store.textEntry('general', 2)).not.toHaveProperty('reactions');
      expect(store.page('general', 7, 1)).toEqual([editEntry(6, { target: 2, text: '' })]);
      expect(store.textEntry('general', 1)).toEqual(textEntry(1, { files: [file] }));
    });

    it('toggles reactions: emoji by their oldest reaction, peers in the order they reacted', async () => {
      const store = await open();
      await store.append(textEntry(1));
      const react = (from: typeof alice, emoji: string, on = true) =>
        appendNext(store, 'general', (seq) => reactionEntry(seq, { target: 1, from, emoji, on }));
      await react(alice, '👍');
      await react(bob, '🎉');
      await react(bob, '👍');
      await react(guest, '👍');
      await react(alice, '👍');
      expect(store.textEntry('general', 1)?.reactions).toEqual({
        '👍': [alice.id, bob.id, guest.id],
        '🎉': [bob.id],
      });
      await react(alice, '👍', false);
      await react(alice, '👍', false);
      await react(alice, '❤️', false);
      expect(store.textEntry('general', 1)?.reactions).toEqual({
        '👍': [bob.id, guest.id],
        '🎉': [bob.id],
      });
      await react(bob, '👍', false);
      await react(guest, '👍', false);
      await react(alice, '👍');
      // 👍 now starts with alice's new reaction, after 🎉.
      expect(Object.entries(store.textEntry('general', 1)?.reactions ?? {})).toEqual([
        ['🎉', [bob.id]],
        ['👍', [alice.id]],
      ]);
      await react(bob, '🎉', false);
      await react(alice, '👍', false);
      expect(store.textEntry('general', 1)).toEqual(textEntry(1));
      expect(everything(store)).toHaveLength(14);
    });

    it('changes nothing through entries that target nothing it can change', async () => {
      const store = await open();
      await store.append(createChannel('c_o', 'o'));
      await store.append(textEntry(2, { conv: 'c_o' }));
      await store.append(textEntry(1));
      await store.append(editEntry(2, { target: 9, text: 'nowhere' }));
      await store.append(reactionEntry(3, { target: 2 }));
      await store.append(deleteEntry(4, { target: 3 }));
      await store.append(editEntry(5, { target: 2, text: 'other conversation' }));
      expect(store.textEntry('general', 1)).toEqual(textEntry(1));
      expect(store.textEntry('c_o', 2)).toEqual(textEntry(2, { conv: 'c_o' }));
      expect(store.textEntry('general', 2)).toBeUndefined();
      expect(store.textEntry('c_o', 1)).toBeUndefined();
      expect(store.page('general', 3, 1)).toEqual([editEntry(2, { target: 9, text: '' })]);
    });

    it('shows an effect only once its entry is durable', async () => {
      const store = await open();
      await store.append(textEntry(1));
      const edit = store.append(editEntry(2, { target: 1, text: 'later' }));
      const react = store.append(reactionEntry(3, { target: 1 }));
      expect(store.textEntry('general', 1)).toEqual(textEntry(1));
      await Promise.all([edit, react]);
      expect(store.textEntry('general', 1)).toMatchObject({
        text: 'later',
        reactions: { '👍': [alice.id] },
      });
      const deletion = store.append(deleteEntry(4, { target: 1 }));
      expect(store.textEntry('general', 1)?.text).toBe('later');
      await deletion;
      expect(store.textEntry('general', 1)?.deleted).toBe(true);
    });

    it('applies effects on an entry of the same commit in order', async () => {
      const store = await open();
      await Promise.all([
        store.append(textEntry(1)),
        store.append(editEntry(2, { target: 1, text: 'one' })),
        store.append(reactionEntry(3, { target: 1 })),
        store.append(editEntry(4, { target: 1, text: 'two' })),
      ]);
      expect(store.textEntry('general', 1)).toEqual({
        ...textEntry(1),
        text: 'two',
        edited: TS + 4,
        reactions: { '👍': [alice.id] },
      });
      expect(store.textEntry('general', 2)).toBeUndefined();
    });

    it('opens a direct conversation once, and refuses ids that are not the pair’s', async () => {
      const store = await open();
      const id = directConversationId(alice.id, bob.id);
      store.ensureDirect(id, [alice, bob]);
      store.ensureDirect(id, [bob, alice]);
      expect(store.conversations().slice(1)).toEqual([
        {
          id,
          kind: 'direct',
          members: [alice.id, bob.id],
          lastSeq: 0,
          created: expect.any(Number),
        },
      ]);
      expect(() => store.ensureDirect('d_wrong', [alice, bob])).toThrow(
        expect.objectContaining({ code: 'invalid' }),
      );
      expect(() =>
        store.ensureDirect(directConversationId(alice.id, alice.id), [alice, alice]),
      ).toThrow(expect.objectContaining({ code: 'invalid' }));
      await appendNext(store, id, (seq) => textEntry(seq, { conv: id, from: bob }));
      expect(store.conversations()[1]?.lastSeq).toBe(1);
      expect(store.knownPeer(bob.id)).toEqual(bob);
    });

    it('renames channels by name key, never general nor onto a taken name', async () => {
      const store = await open();
      await store.append(createChannel('c_a', 'Alpha'));
      await store.append(createChannel('c_b', 'Beta'));
      store.renameChannel('c_a', 'ALPHA');
      store.renameChannel('c_a', 'Gamma');
      expect(store.conversations()[1]?.name).toBe('Gamma');
      await store.append(createChannel('c_c', 'alpha'));
      const refused = (conv: string, name: string) =>
        expect(() => store.renameChannel(conv, name)).toThrow(
          expect.objectContaining({ code: 'invalid' }),
        );
      refused('c_b', 'gamma');
      refused('c_b', 'GENERAL');
      refused('general', 'lobby');
      refused('c_nowhere', 'x');
      await expectRefusedCreate(store, 'c_d', 'BETA');
      expect(store.conversations().map((c) => c.name)).toEqual([
        'general',
        'Gamma',
        'Beta',
        'alpha',
      ]);
    });
  });
}

async function expectRefusedCreate(
  store: Awaited<ReturnType<RoomStoreFactory>>,
  conv: string,
  name: string,
): Promise<void> {
  const error: unknown = await store
    .append(createChannel(conv, name))
    .catch((reason: unknown) => reason);
  expect(error).toMatchObject({ code: 'invalid' });
}
