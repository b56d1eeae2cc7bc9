/**
 * Decides how the app asks for attention: a system notification for a message (the rules are
 * main/app/comforts/notification-policy.ts), the unread count while the window is not focused, and
 * from it the window title (`(3) Room — Parley`) and the taskbar/dock badge.
 * Plain code fed with room events, focus changes and the user's settings; the Electron shell
 * only shows what it is told (main/app/shell/comforts-shell.ts).
 */
import type { RoomEvent } from '../../../protocol/bridge';
import type { ChatMessage } from '../../../protocol/wire/frames';
import { notificationFor, shouldNotify, type NotificationContent } from './notification-policy';
import { UnreadCounter, windowTitle } from './unread-counter';
import { RoomStatus, type RoomStatusView } from './room-status';

export interface AttentionDisplay {
  /** The window title. */
  title: string;
  /** Unread messages (0 hides the badge). */
  unread: number;
  /** How many of them mention the user. */
  mentions: number;
}

export interface AttentionOptions {
  /** The user's setting, read at each message so a change applies at once. */
  notificationsEnabled: () => boolean;
  /** Shows a notification; clicking it should bring the window forward. */
  notify: (content: NotificationContent) => void;
  /** Title and badge changed. */
  display: (display: AttentionDisplay) => void;
  /** Whether the window starts focused. Default true. */
  focused?: boolean;
}

export class Attention {
  readonly #options: AttentionOptions;
  readonly #status = new RoomStatus();
  readonly #unread: UnreadCounter;
  #focused: boolean;
  #shown: string;

  constructor(options: AttentionOptions) {
    this.#options = options;
    this.#focused = options.focused ?? true;
    this.#unread = new UnreadCounter({ focused: this.#focused });
    this.#shown = JSON.stringify(this.display);
  }

  get display(): AttentionDisplay {
    return {
      title: windowTitle(this.#unread.count, this.#status.view.roomName),
      unread: this.#unread.count,
      mentions: this.#unread.mentions,
    };
  }

  /** The room as the events told it (for the tray). */
  get room(): RoomStatusView {
    return this.#status.view;
  }

  handle(event: RoomEvent): void {
    if (this.#status.apply(event)) this.#unread.startRoom(this.#status.view.enteredAtSeq);
    if (event.type === 'message') this.#arrived(event.message);
    this.#refresh();
  }

  /** Window focus changed; focusing it reads every message. */
  setFocused(focused: boolean): void {
    this.#focused = focused;
    this.#unread.setFocused(focused);
    this.#refresh();
  }

  #arrived(message: ChatMessage): void {
    const { self, peers, roomName } = this.#status.view;
    const fromSelf = self !== undefined && message.from.id === self.id;
    const content = notificationFor(message, self?.name ?? '', {
      peerNames: peers.map((peer) => peer.name),
      ...(roomName !== undefined && { roomName }),
    });
    const counted = this.#unread.add({
      seq: message.seq,
      fromSelf,
      mentionsMe: content.mentionsMe,
    });
    // Only a message that is new to the person (not history, not seen twice) may notify.
    if (!counted) return;
    const notify = shouldNotify({
      windowFocused: this.#focused,
      fromSelf,
      mentionsMe: content.mentionsMe,
      notificationsEnabled: this.#options.notificationsEnabled(),
    });
    if (notify) this.#options.notify(content);
  }

  #refresh(): void {
    const display = this.display;
    const json = JSON.stringify(display);
    if (json === this.#shown) return;
    this.#shown = json;
    this.#options.display(display);
  }
}
