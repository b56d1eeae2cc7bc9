import { describe, expect, it } from 'vitest';
import { Attention, type AttentionDisplay } from '../../../../main/app/comforts/attention';
import {
  notificationLine,
  type NotificationContent,
} from '../../../../main/app/comforts/notification-policy';
import type { ConversationView, RoomEvent, RoomSummary } from '../../../../protocol/bridge';
import type { PeerV2 } from '../../../../protocol/wire/entries';

const ada: PeerV2 = { id: 'p_ada', name: 'Ada' };
const bob: PeerV2 = { id: 'p_bob', name: 'Bob' };
const annLee: PeerV2 = { id: 'p_ann', name: 'Ada Lee' };

const view = (init: Partial<ConversationView> & { id: string }): ConversationView => ({
  kind: 'channel',
  member: true,
  lastSeq: 0,
  readSeq: 0,
  unread: 0,
  mentioned: false,
  muted: false,
  ...init,
});
const general = view({ id: 'general', name: 'general' });
const design = view({ id: 'c_design', name: 'design' });
const withBob = view({ id: 'd_bob', kind: 'direct', peer: bob });

function summary(overrides: Partial<RoomSummary> = {}): RoomEvent {
  return {
    type: 'summary',
    summary: {
      room: { id: 'r_lab', name: 'Lab' },
      self: ada,
      peers: [ada, bob, annLee],
      peerCount: 3,
      conversations: [general, design, withBob],
      hosting: false,
      addresses: [],
      ...overrides,
    },
  };
}

const seqs = new Map<string, number>();
function message(from: PeerV2, text: string, conv = 'general', at?: number): RoomEvent {
  const seq = at ?? (seqs.get(conv) ?? 0) + 1;
  seqs.set(conv, seq);
  return {
    type: 'entry',
    entry: {
      seq,
      conv,
      id: `m${conv}${seq}`,
      from,
      ts: 1_700_000_000_000 + seq,
      kind: 'text',
      text,
    },
  };
}

/** The conversation list as the session reports it after a change: unread counts per id. */
function counts(unread: Record<string, number>, mentioned: string[] = []): RoomEvent {
  return {
    type: 'conversations',
    conversations: [general, design, withBob].map((known) => ({
      ...known,
      unread: unread[known.id] ?? 0,
      mentioned: mentioned.includes(known.id),
    })),
  };
}

function setup(options: { focused?: boolean; notifications?: boolean } = {}) {
  const notifications: NotificationContent[] = [];
  const displays: AttentionDisplay[] = [];
  let enabled = options.notifications ?? true;
  const attention = new Attention({
    notificationsEnabled: () => enabled,
    notify: (content) => notifications.push(content),
    display: (display) => displays.push(display),
    focused: options.focused ?? false,
  });
  seqs.clear();
  attention.handle(summary());
  return {
    attention,
    notifications,
    displays,
    lines: () => notifications.map(notificationLine),
    setNotifications: (on: boolean) => {
      enabled = on;
    },
  };
}

describe('attention: notifications', () => {
  it('says which conversation a message is in, and which conversation to open', () => {
    const { attention, notifications, lines } = setup({ focused: false });
    attention.handle(message(bob, 'lunch?\nat noon'));
    attention.handle(message(bob, 'hi', 'c_design'));
    attention.handle(message(bob, 'hi', 'd_bob'));
    expect(lines()).toEqual([
      '#general — Bob: lunch? at noon',
      '#design — Bob: hi',
      'Bob (direct): hi',
    ]);
    expect(notifications.map((n) => n.conv)).toEqual(['general', 'c_design', 'd_bob']);
  });

  it('stays quiet while the window is focused: the person is reading the chat', () => {
    const { attention, notifications } = setup({ focused: true });
    attention.handle(message(bob, 'lunch?'));
    attention.handle(message(bob, '@Ada lunch?'));
    attention.handle(message(bob, 'just you', 'd_bob'));
    expect(notifications).toEqual([]);
    attention.setFocused(false);
    attention.handle(message(bob, 'still there?'));
    expect(notifications).toHaveLength(1);
  });

  it('never notifies the person’s own messages', () => {
    const { attention, notifications } = setup({ focused: false });
    attention.handle(message(ada, 'sent from my other window'));
    attention.handle(message(ada, 'and to Bob', 'd_bob'));
    expect(notifications).toEqual([]);
  });

  it('with notifications off, still notifies a mention (a real one) and a direct message', () => {
    const { attention, lines, setNotifications } = setup({ notifications: false });
    attention.handle(message(bob, 'lunch?'));
    attention.handle(message(bob, '@Ada Lee are you in?'));
    attention.handle(message(bob, '@ada are you in?', 'c_design'));
    attention.handle(message(bob, 'only for you', 'd_bob'));
    expect(lines()).toEqual([
      '#design — Bob mentioned you: @ada are you in?',
      'Bob (direct): only for you',
    ]);
    // The setting is read at each message: switching it on applies at once.
    setNotifications(true);
    attention.handle(message(bob, 'ok'));
    expect(lines()).toHaveLength(3);
  });

  it('does not notify what conversations held on entering, nor a message twice', () => {
    const { attention, notifications } = setup({ focused: false });
    attention.handle(
      summary({
        room: { id: 'r_other', name: 'Other' },
        conversations: [
          { ...general, lastSeq: 40 },
          { ...design, lastSeq: 3 },
        ],
      }),
    );
    for (let at = 1; at <= 40; at++) attention.handle(message(bob, `old ${at}`, 'general', at));
    for (let at = 1; at <= 3; at++) attention.handle(message(bob, `old ${at}`, 'c_design', at));
    expect(notifications).toEqual([]);
    attention.handle(message(bob, 'new', 'general', 41));
    attention.handle(message(bob, 'new', 'general', 41));
    attention.handle(message(bob, 'new here too', 'c_design', 4));
    expect(notifications.map((n) => n.body)).toEqual(['new', 'new here too']);
  });

  it('does not notify the catchup of a conversation that appears later, only what follows it', () => {
    const { attention, notifications } = setup({ focused: false });
    const random = view({ id: 'c_random', name: 'random', lastSeq: 12 });
    attention.handle({ type: 'conversations', conversations: [general, design, withBob, random] });
    for (let at = 1; at <= 12; at++) attention.handle(message(bob, `before ${at}`, 'c_random', at));
    attention.handle(message(bob, 'welcome!', 'c_random', 13));
    expect(notifications.map((n) => n.title + ': ' + n.body)).toEqual(['#random — Bob: welcome!']);
  });

  it('stays quiet for entries before any room, and for edits, reactions and system lines', () => {
    const quiet = new Attention({
      notificationsEnabled: () => true,
      notify: () => expect.unreachable('nothing to notify'),
      display: () => undefined,
      focused: false,
    });
    quiet.handle(message(bob, 'history of a join in progress', 'general', 1));
    const { attention, notifications } = setup({ focused: false });
    const entries: RoomEvent[] = [
      {
        type: 'entry',
        entry: {
          seq: 1,
          conv: 'general',
          id: 'e',
          from: bob,
          ts: 1,
          kind: 'edit',
          target: 1,
          text: 'x',
        },
      },
      {
        type: 'entry',
        entry: {
          seq: 2,
          conv: 'general',
          id: 'r',
          from: bob,
          ts: 2,
          kind: 'reaction',
          target: 1,
          emoji: '👍',
          on: true,
        },
      },
      {
        type: 'entry',
        entry: {
          seq: 3,
          conv: 'general',
          id: 's',
          from: bob,
          by: bob,
          ts: 3,
          kind: 'system',
          event: 'topic',
          topic: 'x',
        },
      },
    ];
    for (const event of entries) attention.handle(event);
    expect(notifications).toEqual([]);
  });
});

describe('attention: unread count, title and badge', () => {
  it('counts what no device has read, across conversations, into the title and badge', () => {
    const { attention, displays } = setup({ focused: false });
    expect(attention.display).toEqual({ title: 'Lab — Parley', unread: 0, mentions: 0 });
    attention.handle(counts({ general: 1 }));
    attention.handle(counts({ general: 1, c_design: 2 }, ['c_design']));
    attention.handle(counts({ general: 1, c_design: 2, d_bob: 1 }, ['c_design']));
    expect(attention.display).toEqual({ title: '(4) Lab — Parley', unread: 4, mentions: 1 });

    // Read here or on another device: the session's list says so, and the count follows.
    attention.handle(counts({ d_bob: 1 }));
    expect(attention.display).toEqual({ title: '(1) Lab — Parley', unread: 1, mentions: 0 });
    attention.handle(counts({}));
    expect(displays.map((d) => d.title)).toEqual([
      'Lab — Parley',
      '(1) Lab — Parley',
      '(3) Lab — Parley',
      '(4) Lab — Parley',
      '(1) Lab — Parley',
      'Lab — Parley',
    ]);
  });

  it('keeps the count when the window gains focus: only reading clears it', () => {
    const { attention } = setup({ focused: false });
    attention.handle(counts({ c_design: 3 }));
    attention.setFocused(true);
    expect(attention.display.unread).toBe(3);
  });

  it('goes back to the plain title when the room ends', () => {
    const { attention } = setup({ focused: false });
    attention.handle(counts({ general: 1 }));
    attention.handle({ type: 'ended', reason: { code: 'closed', message: 'You left the room.' } });
    expect(attention.display).toEqual({ title: 'Parley', unread: 0, mentions: 0 });
    expect(attention.room.roomId).toBeUndefined();
  });

  it('starts over in a room that changed under the session, whose seqs start again', () => {
    const { attention, notifications } = setup({ focused: false });
    attention.handle(message(bob, 'one', 'general', 7));
    attention.handle(counts({ general: 1 }));
    attention.handle({
      type: 'roomChanged',
      previous: { id: 'r_lab', name: 'Lab' },
      current: { id: 'r_new', name: 'New' },
    });
    expect(attention.display.title).toBe('New — Parley');
    attention.handle(summary({ room: { id: 'r_new', name: 'New' }, conversations: [general] }));
    attention.handle(message(bob, 'first of the new room', 'general', 1));
    attention.handle({ type: 'conversations', conversations: [{ ...general, unread: 1 }] });
    expect(attention.display.title).toBe('(1) New — Parley');
    expect(notifications.map((n) => n.body)).toEqual(['one', 'first of the new room']);
  });

  it('follows the people in the room for the tray', () => {
    const { attention } = setup();
    const cy: PeerV2 = { id: 'p_cy', name: 'Cy' };
    attention.handle({ type: 'peers', peers: [ada, bob, annLee, cy] });
    attention.handle({ type: 'joined', peer: cy });
    expect(attention.room.peers).toHaveLength(4);
    expect(attention.room.peerCount).toBe(4);
    attention.handle({ type: 'peers', peers: [ada, annLee, cy] });
    attention.handle({ type: 'left', peer: bob });
    expect(attention.room.peers.map((p) => p.name)).toEqual(['Ada', 'Ada Lee', 'Cy']);
    expect(attention.room.peerCount).toBe(3);
  });
});
