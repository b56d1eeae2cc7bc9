/**
 * The comforts shell with Electron replaced by recording fakes (the real binary cannot run
 * here): it must show exactly what attention.ts and tray-model.ts decide.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationView, RoomEvent } from '../../../../protocol/bridge';
import type { PeerV2 } from '../../../../protocol/wire/entries';

const electron = vi.hoisted(() => {
  class FakeNotification {
    static shown: FakeNotification[] = [];
    static isSupported = () => true;
    readonly handlers = new Map<string, () => void>();
    closed = false;
    constructor(readonly options: { title: string; body: string; urgency: string }) {}
    on(event: string, handler: () => void) {
      this.handlers.set(event, handler);
    }
    show() {
      FakeNotification.shown.push(this);
    }
    close() {
      this.closed = true;
    }
  }
  class FakeTray {
    static made: FakeTray[] = [];
    tooltip = '';
    menu: { label?: string; type?: string; click?: () => void; enabled?: boolean }[] = [];
    destroyed = false;
    readonly handlers = new Map<string, () => void>();
    constructor(readonly icon: unknown) {
      FakeTray.made.push(this);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: FakeTray['menu']) {
      this.menu = menu;
    }
    on(event: string, handler: () => void) {
      this.handlers.set(event, handler);
    }
    destroy() {
      this.destroyed = true;
    }
  }
  return {
    app: { setBadgeCount: vi.fn() },
    Notification: FakeNotification,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown) => template },
    nativeImage: {
      createFromBitmap: (data: Buffer, size: { width: number; height: number }) => ({ data, size }),
    },
  };
});
vi.mock('electron', () => electron);

const { attachComforts } = await import('../../../../main/app/shell/comforts-shell');
const { RoomEventHub } = await import('../../../../main/app/room/room-events');

class FakeWindow extends EventEmitter {
  title = '';
  visible = true;
  focused = false;
  setTitle(title: string) {
    this.title = title;
  }
  isDestroyed() {
    return false;
  }
  isFocused() {
    return this.focused;
  }
  isVisible() {
    return this.visible;
  }
}

const ada: PeerV2 = { id: 'p_ada', name: 'Ada' };
const bob: PeerV2 = { id: 'p_bob', name: 'Bob' };
const general: ConversationView = {
  id: 'general',
  kind: 'channel',
  name: 'general',
  member: true,
  lastSeq: 0,
  readSeq: 0,
  unread: 0,
  mentioned: false,
  muted: false,
};
const design: ConversationView = { ...general, id: 'c_design', name: 'design' };
const hosting: RoomEvent = {
  type: 'summary',
  summary: {
    room: { id: 'r_lab', name: 'Lab' },
    self: ada,
    peers: [ada],
    peerCount: 1,
    conversations: [general, design],
    hosting: true,
    addresses: [],
  },
};
const entry = (seq: number, text: string, conv = 'general'): RoomEvent => ({
  type: 'entry',
  entry: { seq, conv, id: `m${seq}`, from: bob, ts: 1, kind: 'text', text },
});
/** The conversation list after `conv` got `unread` messages (mentioning Ada when told). */
const unreadIn = (conv: string, unread: number, mentioned = false): RoomEvent => ({
  type: 'conversations',
  conversations: [general, design].map((view) =>
    view.id === conv ? { ...view, lastSeq: unread, unread, mentioned } : view,
  ),
});

function setup() {
  const events = new RoomEventHub(() => undefined);
  const window = new FakeWindow();
  const showWindow = vi.fn(() => {
    window.visible = true;
  });
  const quit = vi.fn();
  const comforts = attachComforts({
    events,
    notificationsEnabled: () => true,
    getWindow: () => window as never,
    showWindow,
    quit,
  });
  comforts.watchWindow(window as never);
  return {
    events,
    window,
    showWindow,
    quit,
    comforts,
  };
}

afterEach(() => {
  electron.Notification.shown.length = 0;
  electron.Tray.made.length = 0;
  electron.app.setBadgeCount.mockClear();
});

describe('comforts shell', () => {
  it('shows a tray icon with the room and its people while hosting, and the room in the title', () => {
    const { events, window } = setup();
    expect(electron.Tray.made).toEqual([]);
    events.emit(hosting);
    const [tray] = electron.Tray.made;
    expect(tray?.tooltip).toBe('Lab — 1 person — Parley');
    expect(tray?.menu.map((item) => item.label ?? item.type)).toEqual([
      'Hosting Lab: 1 person',
      'separator',
      'Show Parley',
      'Quit',
    ]);
    events.emit({ type: 'peers', peers: [ada, bob] });
    events.emit({ type: 'joined', peer: bob });
    expect(tray?.tooltip).toBe('Lab — 2 people — Parley');
    expect(electron.Tray.made).toHaveLength(1);
    expect(window.title).toBe('Lab — Parley');
  });

  it('notifies an unfocused window, counts it in title, badge and tray, and a click opens its conversation', () => {
    const { events, window, showWindow } = setup();
    const seen: RoomEvent[] = [];
    events.subscribe((event) => seen.push(event));
    events.emit(hosting);
    events.emit(entry(1, 'hi @Ada', 'c_design'));
    events.emit(unreadIn('c_design', 1, true));
    const [notification] = electron.Notification.shown;
    expect(notification?.options).toEqual({
      title: '#design — Bob mentioned you',
      body: 'hi @Ada',
      urgency: 'critical',
    });
    expect(window.title).toBe('(1) Lab — Parley');
    expect(electron.app.setBadgeCount).toHaveBeenLastCalledWith(1);
    expect(electron.Tray.made[0]?.tooltip).toBe('Lab — 1 person — 1 unread — Parley');

    notification?.handlers.get('click')?.();
    expect(showWindow).toHaveBeenCalledTimes(1);
    // The window is told which conversation to show, through the stream it already reads.
    expect(seen.at(-1)).toEqual({ type: 'openConversation', conv: 'c_design' });

    // Focus alone reads nothing; the window marking the conversation read does.
    window.focused = true;
    window.emit('focus');
    expect(window.title).toBe('(1) Lab — Parley');
    events.emit(unreadIn('c_design', 0));
    expect(window.title).toBe('Lab — Parley');
    expect(electron.app.setBadgeCount).toHaveBeenLastCalledWith(0);
  });

  it('replaces the last notification instead of piling them up', () => {
    const { events } = setup();
    events.emit(hosting);
    for (const seq of [1, 2]) events.emit(entry(seq, 'x'));
    expect(electron.Notification.shown.map((n) => n.closed)).toEqual([true, false]);
  });

  it('runs Show Parley and Quit from the tray menu', () => {
    const { events, showWindow, quit } = setup();
    events.emit(hosting);
    const menu = electron.Tray.made[0]?.menu ?? [];
    menu.find((item) => item.label === 'Show Parley')?.click?.();
    menu.find((item) => item.label === 'Quit')?.click?.();
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it('brings a window hidden in the tray back when the room ends', () => {
    const { events, window, showWindow } = setup();
    events.emit(hosting);
    window.visible = false;
    events.emit({ type: 'ended', reason: { code: 'closed', message: 'The room was closed.' } });
    expect(electron.Tray.made[0]?.destroyed).toBe(true);
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(window.title).toBe('Parley');
  });

  it('keeps the main process’s title over the page’s own', () => {
    const { window } = setup();
    const event = { preventDefault: vi.fn() };
    window.emit('page-title-updated', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});
