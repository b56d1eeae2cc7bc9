/**
 * Counts messages that arrived while the window was not focused, for the window title, the
 * taskbar/dock badge and the tray tooltip. Focusing the window reads them all.
 *
 * It counts by `seq`, so history delivered on joining (every seq up to the `lastSeq` of the
 * welcome, passed to `startRoom`) and any message delivered twice are never counted.
 */
export const APP_NAME = 'Parley';

/** Badge and title cap: beyond it the exact number does not help anyone. */
const MAX_SHOWN = 99;

export interface UnreadState {
  count: number;
  /** How many of the unread messages mention the user. */
  mentions: number;
  focused: boolean;
}

export interface ArrivedMessage {
  seq: number;
  fromSelf: boolean;
  mentionsMe?: boolean;
}

export interface UnreadCounterOptions {
  /** Whether the window starts focused. Default true. */
  focused?: boolean;
}

/** `3`, `99+`, or '' for none: the text of a badge. */
export function badgeText(count: number): string {
  if (!Number.isFinite(count) || count <= 0) return '';
  return count > MAX_SHOWN ? `${MAX_SHOWN}+` : String(Math.floor(count));
}

/** `(3) Room — Parley`; without unread messages `Room — Parley`; outside a room `Parley`. */
export function windowTitle(unread: number, roomName?: string): string {
  const room = roomName?.replace(/\s+/gu, ' ').trim();
  const base = room ? `${room} — ${APP_NAME}` : APP_NAME;
  const badge = badgeText(unread);
  return badge ? `(${badge}) ${base}` : base;
}

export class UnreadCounter {
  private unread = 0;
  private unreadMentions = 0;
  private focused: boolean;
  private highestSeq = 0;
  private readonly listeners = new Set<(state: UnreadState) => void>();

  constructor(options: UnreadCounterOptions = {}) {
    this.focused = options.focused ?? true;
  }

  get count(): number {
    return this.unread;
  }

  get mentions(): number {
    return this.unreadMentions;
  }

  get state(): UnreadState {
    return { count: this.unread, mentions: this.unreadMentions, focused: this.focused };
  }

  /** Entering a room (or a different one): nothing unread, history up to `lastSeq` is old. */
  startRoom(lastSeq = 0): void {
    this.highestSeq = Number.isSafeInteger(lastSeq) && lastSeq > 0 ? lastSeq : 0;
    this.set(0, 0);
  }

  /** Window focus changed; focusing reads everything. */
  setFocused(focused: boolean): void {
    const changed = this.focused !== focused;
    this.focused = focused;
    if (focused) this.set(0, 0, changed);
    else if (changed) this.emit();
  }

  /** A message was delivered; returns true when it counts as unread. */
  add(message: ArrivedMessage): boolean {
    if (!Number.isSafeInteger(message.seq) || message.seq <= this.highestSeq) return false;
    this.highestSeq = message.seq;
    if (this.focused || message.fromSelf) return false;
    this.set(this.unread + 1, this.unreadMentions + (message.mentionsMe ? 1 : 0));
    return true;
  }

  /** The window title for the current count. */
  title(roomName?: string): string {
    return windowTitle(this.unread, roomName);
  }

  badge(): string {
    return badgeText(this.unread);
  }

  /** Called on every change of count or focus; returns the unsubscribe function. */
  onChange(listener: (state: UnreadState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(count: number, mentions: number, forceEmit = false): void {
    const changed = count !== this.unread || mentions !== this.unreadMentions;
    this.unread = count;
    this.unreadMentions = mentions;
    if (changed || forceEmit) this.emit();
  }

  private emit(): void {
    const state = this.state;
    for (const listener of [...this.listeners]) listener(state);
  }
}
