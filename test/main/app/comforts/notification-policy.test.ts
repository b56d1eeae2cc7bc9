import { describe, expect, it } from 'vitest';
import {
  notificationFor,
  notificationLine,
  shouldNotify,
  truncateGraphemes,
  type NotifyContext,
} from '../../../../main/app/comforts/notification-policy';

const base: NotifyContext = {
  windowFocused: false,
  fromSelf: false,
  mentionsMe: false,
  notificationsEnabled: true,
};

const message = (text: string, from = 'Bob') => ({ from: { id: 'p-bob', name: from }, text });

describe('shouldNotify', () => {
  it('notifies about others’ messages while the window is in the background', () => {
    expect(shouldNotify(base)).toBe(true);
  });

  it('never notifies about your own messages, mention or not', () => {
    expect(shouldNotify({ ...base, fromSelf: true })).toBe(false);
    expect(shouldNotify({ ...base, fromSelf: true, mentionsMe: true })).toBe(false);
  });

  it('stays quiet while you are looking at the window, even for a mention', () => {
    expect(shouldNotify({ ...base, windowFocused: true })).toBe(false);
    expect(shouldNotify({ ...base, windowFocused: true, mentionsMe: true })).toBe(false);
  });

  it('with notifications off, still notifies when someone mentions you', () => {
    expect(shouldNotify({ ...base, notificationsEnabled: false })).toBe(false);
    expect(shouldNotify({ ...base, notificationsEnabled: false, mentionsMe: true })).toBe(true);
  });

  it('with notifications off, still notifies a message in a direct conversation', () => {
    expect(shouldNotify({ ...base, notificationsEnabled: false, direct: true })).toBe(true);
    expect(shouldNotify({ ...base, notificationsEnabled: false, direct: false })).toBe(false);
    expect(shouldNotify({ ...base, windowFocused: true, direct: true })).toBe(false);
    expect(shouldNotify({ ...base, fromSelf: true, direct: true })).toBe(false);
  });

  it('decides every combination by the documented rule', () => {
    for (let bits = 0; bits < 16; bits++) {
      const context: NotifyContext = {
        windowFocused: (bits & 1) !== 0,
        fromSelf: (bits & 2) !== 0,
        mentionsMe: (bits & 4) !== 0,
        notificationsEnabled: (bits & 8) !== 0,
      };
      const expected =
        !context.fromSelf &&
        !context.windowFocused &&
        (context.notificationsEnabled || context.mentionsMe);
      expect(shouldNotify(context), JSON.stringify(context)).toBe(expected);
    }
  });

  it('stays quiet on a malformed context instead of throwing', () => {
    expect(shouldNotify({} as NotifyContext)).toBe(false);
    expect(shouldNotify(null as unknown as NotifyContext)).toBe(false);
    expect(shouldNotify({ ...base, fromSelf: 'no' } as unknown as NotifyContext)).toBe(false);
  });
});

describe('notificationFor', () => {
  it('titles the notification with the sender and shows the text', () => {
    expect(notificationFor(message('lunch at noon?'), 'Ann')).toEqual({
      title: 'Bob',
      body: 'lunch at noon?',
      mentionsMe: false,
    });
  });

  it('says when the message mentions you', () => {
    expect(notificationFor(message('@ann lunch?'), 'Ann')).toEqual({
      title: 'Bob mentioned you',
      body: '@ann lunch?',
      mentionsMe: true,
    });
  });

  it('does not take a longer name for yours when the peers are known', () => {
    const peers = ['Ann', 'Ann Lee', 'Bob'];
    expect(notificationFor(message('@Ann Lee hi'), 'Ann', { peerNames: peers }).mentionsMe).toBe(
      false,
    );
    expect(notificationFor(message('@Ann hi'), 'Ann', { peerNames: peers }).mentionsMe).toBe(true);
  });

  it('names the conversation: a channel before the sender, a direct one after', () => {
    const design = { id: 'c_design', kind: 'channel' as const, name: 'design' };
    const direct = { id: 'd_bob', kind: 'direct' as const, peer: { id: 'p-bob', name: 'Bob' } };
    const inDesign = notificationFor(message('hi'), 'Ann', { conversation: design });
    expect(notificationLine(inDesign)).toBe('#design — Bob: hi');
    expect(inDesign.conv).toBe('c_design');
    expect(
      notificationLine(notificationFor(message('@Ann hi'), 'Ann', { conversation: design })),
    ).toBe('#design — Bob mentioned you: @Ann hi');
    const inDirect = notificationFor(message('hi'), 'Ann', { conversation: direct });
    expect(notificationLine(inDirect)).toBe('Bob (direct): hi');
    expect(inDirect.conv).toBe('d_bob');
    // The conversation wins over the room name.
    expect(
      notificationFor(message('hi'), 'Ann', { conversation: design, roomName: 'Kitchen' }).title,
    ).toBe('#design — Bob');
  });

  it('adds the room name to the title when given', () => {
    expect(notificationFor(message('hi'), 'Ann', { roomName: 'Kitchen' }).title).toBe(
      'Bob — Kitchen',
    );
  });

  it('puts a long message on one line and shortens it without breaking characters', () => {
    const text = `first line\n\nsecond   line ${'👩‍👩‍👧'.repeat(200)}`;
    const { body } = notificationFor(message(text), 'Ann', { maxBodyLength: 40 });
    expect(body.startsWith('first line second line 👩‍👩‍👧')).toBe(true);
    expect(body.endsWith('👩‍👩‍👧…')).toBe(true);
    expect([...new Intl.Segmenter().segment(body)]).toHaveLength(40);
  });

  it('shows a short message in full and a missing sender name as Someone', () => {
    expect(notificationFor(message('ok', '   '), 'Ann')).toEqual({
      title: 'Someone',
      body: 'ok',
      mentionsMe: false,
    });
  });

  it('never mentions a user without a name', () => {
    expect(notificationFor(message('@ hi'), '').mentionsMe).toBe(false);
  });
});

describe('truncateGraphemes', () => {
  it('keeps text that fits and cuts the rest with an ellipsis', () => {
    expect(truncateGraphemes('hello', 5)).toBe('hello');
    expect(truncateGraphemes('hello!', 5)).toBe('hell…');
    expect(truncateGraphemes('🇫🇷🇩🇪🇮🇹', 2)).toBe('🇫🇷…');
    expect(truncateGraphemes('abc', 0)).toBe('…');
  });
});
