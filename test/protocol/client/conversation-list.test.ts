import { describe, expect, it } from 'vitest';
import { ConversationList } from '../../../protocol/client/conversation-list';
import type { PeerV2 } from '../../../protocol/wire/entries';
import { ALICE, BOB, conversation, text } from './support/scripted-host';

const ANN: PeerV2 = { id: 'u_ann', name: 'Ann' };
const ANN_LEE: PeerV2 = { id: 'u_annlee', name: 'Ann Lee' };

function listFor(self: PeerV2 = ALICE, names: string[] = ['alice', 'bob']) {
  return new ConversationList({ self: () => self, peerNames: () => names });
}

describe('ConversationList', () => {
  it('makes views of the welcome list: members, the other person of a direct conversation', () => {
    const list = listFor();
    list.reset([
      conversation('general', { member: undefined, lastSeq: 9, readSeq: 9 }),
      conversation('c_crew', { name: 'crew', member: false, creator: BOB.id, topic: 'Tuesdays' }),
      conversation('d_ab', { kind: 'direct', name: undefined, members: [ALICE, BOB] }),
    ]);
    expect(list.list()).toEqual([
      {
        id: 'general',
        kind: 'channel',
        name: 'general',
        member: true,
        lastSeq: 9,
        readSeq: 9,
        unread: 0,
        mentioned: false,
        muted: false,
      },
      {
        id: 'c_crew',
        kind: 'channel',
        name: 'crew',
        topic: 'Tuesdays',
        creator: BOB.id,
        member: false,
        lastSeq: 0,
        readSeq: 0,
        unread: 0,
        mentioned: false,
        muted: false,
      },
      {
        id: 'd_ab',
        kind: 'direct',
        peer: BOB,
        member: true,
        lastSeq: 0,
        readSeq: 0,
        unread: 0,
        mentioned: false,
        muted: false,
      },
    ]);
  });

  it('counts unread text from others only, above the marker, and not deleted ones', () => {
    const list = listFor();
    list.reset([conversation('general', { lastSeq: 2, readSeq: 2 })]);
    list.addEntry(text(1, 'already read'));
    list.addEntry(text(3, 'new'));
    list.addEntry(text(4, 'mine', { from: ALICE }));
    list.addEntry({ ...text(5, ''), deleted: true });
    list.addEntry(text(6, 'another'));
    list.addEntry({ ...text(7, 'x'), kind: 'delete', target: 6 } as never);
    expect(list.get('general')).toMatchObject({ lastSeq: 7, readSeq: 2, unread: 1 });
    expect(list.addEntry(text(1, 'unknown conversation', { conv: 'c_gone' }))).toBe(false);
  });

  it('flags a mention of this person by the linkify rule, and clears it with the marker', () => {
    const list = listFor(ANN, ['Ann', 'Ann Lee']);
    list.reset([conversation('general')]);
    list.addEntry(text(1, 'ping @Ann Lee', { from: ANN_LEE }));
    expect(list.get('general')).toMatchObject({ unread: 1, mentioned: false });
    list.addEntry(text(2, 'and @ann, you', { from: ANN_LEE }));
    expect(list.get('general')).toMatchObject({ unread: 2, mentioned: true });
    expect(list.markRead('general', 2)).toBe(true);
    expect(list.get('general')).toMatchObject({ readSeq: 2, unread: 0, mentioned: false });
    expect(list.markRead('general', 1)).toBe(false);
    expect(list.get('general')?.readSeq).toBe(2);
  });

  it('updates a view from conversation frames without lowering its marker or last seq', () => {
    const list = listFor();
    list.reset([conversation('c_crew', { name: 'crew', member: false, lastSeq: 5, readSeq: 4 })]);
    list.addEntry(text(6, 'hi', { conv: 'c_crew' }));
    const joined = list.update(
      conversation('c_crew', { name: 'crew', member: true, lastSeq: 3, readSeq: 1 }),
    );
    expect(joined).toMatchObject({ member: true, lastSeq: 6, readSeq: 4, unread: 1 });
    // A frame that leaves membership out keeps what was known; a cleared topic goes.
    list.update(conversation('c_crew', { name: 'Crew', member: undefined, topic: '' }));
    expect(list.get('c_crew')).toMatchObject({ name: 'Crew', member: true });
    expect(list.get('c_crew')).not.toHaveProperty('topic');
    expect(list.channelNamed('#CREW')?.id).toBe('c_crew');
    expect(list.channelNamed('nope')).toBeUndefined();
  });

  it('keeps unread entries across a welcome of the same room, but takes its markers', () => {
    const list = listFor();
    list.reset([conversation('general', { lastSeq: 2 })]);
    list.addEntry(text(1, 'a'));
    list.addEntry(text(2, 'b'));
    list.reset([conversation('general', { lastSeq: 2, readSeq: 1 })]);
    expect(list.get('general')).toMatchObject({ unread: 1 });
    list.clear();
    expect(list.list()).toEqual([]);
  });

  it('renames the other person of direct conversations, and finds them by peer', () => {
    const list = listFor();
    list.reset([conversation('d_ab', { kind: 'direct', name: undefined, members: [ALICE, BOB] })]);
    expect(list.renamePeer({ ...BOB, name: 'robert' })).toBe(true);
    expect(list.renamePeer({ ...BOB, name: 'robert' })).toBe(false);
    expect(list.directWith(BOB.id)?.peer?.name).toBe('robert');
  });
});
