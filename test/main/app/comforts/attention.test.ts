import { describe, expect, it } from 'vitest';
import { Attention, type AttentionDisplay } from '../../../../main/app/comforts/attention';
import type { NotificationContent } from '../../../../main/app/comforts/notification-policy';
import type { RoomEvent, RoomSummary } from '../../../../protocol/bridge';
import type { ChatMessage, Peer } from '../../../../protocol/wire/frames';

const ada: Peer = { id: 'p_ada', name: 'Ada' };
const bob: Peer = { id: 'p_bob', name: 'Bob' };
const annLee: Peer = { id: 'p_ann', name: 'Ada Lee' };

function summary(overrides: Partial<RoomSummary> = {}): RoomEvent {
  return {
    type: 'summary',
    summary: {
      room: { id: 'r_lab', name: 'Lab' },
      self: ada,
      peers: [ada, bob, annLee],
      hosting: false,
      addresses: [],
      lastSeq: 0,
      ...overrides,
    },
  };
}

let seq = 0;
function message(from: Peer, text: string, at = ++seq): RoomEvent {
  const chat: ChatMessage = { seq: at, id: `m${at}`, from, text, ts: 1_700_000_000_000 + at };
  return { type: 'message', message: chat };
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
  seq = 0;
  attention.handle(summary());
  return {
    attention,
    notifications,
    displays,
    setNotifications: (on: boolean) => {
      enabled = on;
    },
  };
}

describe('attention: notifications', () => {
  it('notifies a message from someone else while the window is not focused', () => {
    const { attention, notifications } = setup({ focused: false });
    attention.handle(message(bob, 'lunch?\nat noon'));
    expect(notifications).toEqual([
      { title: 'Bob — Lab', body: 'lunch? at noon', mentionsMe: false },
    ]);
  });

  it('stays quiet while the window is focused: the person is reading the chat', () => {
    const { attention, notifications } = setup({ focused: true });
    attention.handle(message(bob, 'lunch?'));
    attention.handle(message(bob, '@Ada lunch?'));
    expect(notifications).toEqual([]);
  });

  it('never notifies the person’s own messages', () => {
    const { attention, notifications } = setup({ focused: false });
    attention.handle(message(ada, 'sent from my other window'));
    expect(notifications).toEqual([]);
    expect(attention.display.unread).toBe(0);
  });

  it('with notifications off, still notifies a mention (and only a real one)', () => {
    const { attention, notifications, setNotifications } = setup({ notifications: false });
    attention.handle(message(bob, 'lunch?'));
    attention.handle(message(bob, '@Ada Lee are you in?'));
    attention.handle(message(bob, '@ada are you in?'));
    expect(notifications).toEqual([
      { title: 'Bob mentioned you — Lab', body: '@ada are you in?', mentionsMe: true },
    ]);
    // The setting is read at each message: switching it on applies at once.
    setNotifications(true);
    attention.handle(message(bob, 'ok'));
    expect(notifications).toHaveLength(2);
  });

  it('does not notify the history that arrives on entering a room, nor a message twice', () => {
    const { attention, notifications } = setup({ focused: false });
    attention.handle(summary({ room: { id: 'r_other', name: 'Other' }, lastSeq: 40 }));
    for (let at = 1; at <= 40; at++) attention.handle(message(bob, `old ${at}`, at));
    expect(notifications).toEqual([]);
    attention.handle(message(bob, 'new', 41));
    attention.handle(message(bob, 'new', 41));
    expect(notifications.map((n) => n.body)).toEqual(['new']);
    expect(attention.display.unread).toBe(1);
  });

  it('does not start over when the same room sends a new summary after a reconnect', () => {
    const { attention } = setup({ focused: false });
    attention.handle(message(bob, 'one'));
    attention.handle(summary({ lastSeq: 1 }));
    expect(attention.display.unread).toBe(1);
  });
});

describe('attention: unread count, title and badge', () => {
  it('counts unread messages into the title and badge, and focusing reads them all', () => {
    const { attention, displays } = setup({ focused: false });
    expect(attention.display).toEqual({ title: 'Lab — Parley', unread: 0, mentions: 0 });
    attention.handle(message(bob, 'one'));
    attention.handle(message(bob, '@Ada two'));
    attention.handle(message(bob, 'three'));
    expect(attention.display).toEqual({ title: '(3) Lab — Parley', unread: 3, mentions: 1 });

    attention.setFocused(true);
    expect(attention.display).toEqual({ title: 'Lab — Parley', unread: 0, mentions: 0 });
    expect(displays.map((d) => d.title)).toEqual([
      'Lab — Parley',
      '(1) Lab — Parley',
      '(2) Lab — Parley',
      '(3) Lab — Parley',
      'Lab — Parley',
    ]);
  });

  it('counts nothing while focused, and again after the window loses focus', () => {
    const { attention } = setup({ focused: true });
    attention.handle(message(bob, 'seen'));
    expect(attention.display.unread).toBe(0);
    attention.setFocused(false);
    attention.handle(message(bob, 'missed'));
    expect(attention.display.title).toBe('(1) Lab — Parley');
  });

  it('goes back to the plain title when the room ends', () => {
    const { attention } = setup({ focused: false });
    attention.handle(message(bob, 'one'));
    attention.handle({ type: 'ended', reason: { code: 'closed', message: 'You left the room.' } });
    expect(attention.display).toEqual({ title: 'Parley', unread: 0, mentions: 0 });
    expect(attention.room.roomId).toBeUndefined();
  });

  it('starts over in a room that changed under the session, whose seqs start again', () => {
    const { attention } = setup({ focused: false });
    attention.handle(message(bob, 'one', 7));
    attention.handle({
      type: 'roomChanged',
      previous: { id: 'r_lab', name: 'Lab' },
      current: { id: 'r_new', name: 'New' },
    });
    expect(attention.display.title).toBe('New — Parley');
    attention.handle(message(bob, 'first of the new room', 1));
    expect(attention.display.title).toBe('(1) New — Parley');
  });

  it('follows the people in the room for the tray', () => {
    const { attention } = setup();
    const cy: Peer = { id: 'p_cy', name: 'Cy' };
    attention.handle({ type: 'joined', peer: cy });
    attention.handle({ type: 'joined', peer: cy });
    expect(attention.room.peers).toHaveLength(4);
    attention.handle({ type: 'left', peer: bob });
    expect(attention.room.peers.map((p) => p.name)).toEqual(['Ada', 'Ada Lee', 'Cy']);
    attention.handle({ type: 'peers', peers: [ada] });
    expect(attention.room.peers).toEqual([ada]);
  });
});
