/**
 * Decides how the app asks for attention: a system notification for a message (the rules are
 * main/app/comforts/notification-policy.ts), saying which conversation it is in so a click can
 * open it; and the unread count across conversations (unread-counter.ts), with from it the window
 * title (`(3) Room — Parley`) and the taskbar/dock badge.
 * Plain code fed with room events, focus changes and the user's settings; the Electron shell
 * only shows what it is told (main/app/shell/comforts-shell.ts).
 */
import type { RoomEvent } from '../../../protocol/bridge';
import type { Entry } from '../../../protocol/wire/entries';
import { FreshEntries } from './fresh-entries';
import { notificationFor, shouldNotify, type NotificationContent } from './notification-policy';
import { unreadTotals, windowTitle } from './unread-counter';
import { RoomStatus, type RoomStatusView } from './room-status';

export interface AttentionDisplay {
  /** The window title. */
  title: string;
  /** Unread messages across conversations (0 hides the badge). */
  unread: number;
  /** How many conversations have an unread message that mentions the user. */
  mentions: number;
}

export interface AttentionOptions {
  /** The user's setting, read at each message so a change applies at once. */
  notificationsEnabled: () => boolean;
  /**
   * Shows a notification; clicking it should bring the window forward and open `content.conv`.
   */
  notify: (content: NotificationContent) => void;
  /** Title and badge changed. */
  display: (display: AttentionDisplay) => void;
  /** Whether the window starts focused. Default true. */
  focused?: boolean;
}

export class Attention {
  readonly #options: AttentionOptions;
  readonly #status = new RoomStatus();
  readonly #fresh = new FreshEntries();
  #focused: boolean;
  #shown: string;

  constructor(options: AttentionOptions) {
    this.#options = options;
    this.#focused = options.focused ?? true;
    this.#shown = JSON.stringify(this.display);
  }

  get display(): AttentionDisplay {
    const { count, mentions } = unreadTotals(this.#status.view.conversations);
    return {
      title: windowTitle(count, this.#status.view.roomName),
      unread: count,
      mentions,
    };
  }

  /** The room as the events told it (for the tray). */
  get room(): RoomStatusView {
    return this.#status.view;
  }

  handle(event: RoomEvent): void {
    const enteredOrLeft = this.#status.apply(event);
    const { roomId, conversations } = this.#status.view;
    if (enteredOrLeft) {
      if (roomId === undefined) this.#fresh.leave();
      else this.#fresh.enter(conversations);
    } else if (event.type === 'summary' || event.type === 'conversations') {
      this.#fresh.learn(conversations);
    }
    if (event.type === 'entry') this.#arrived(event.entry);
    this.#refresh();
  }

  /** Window focus changed: nothing notifies while the person looks at the window. */
  setFocused(focused: boolean): void {
    this.#focused = focused;
  }

  #arrived(entry: Entry): void {
    // Only a message that is new to the person (not history, not seen twice) may notify.
    if (!this.#fresh.isNew(entry) || entry.kind !== 'text' || entry.deleted) return;
    const { self, peers } = this.#status.view;
    const conversation = this.#status.conversation(entry.conv);
    const content = notificationFor(entry, self?.name ?? '', {
      peerNames: peers.map((peer) => peer.name),
      ...(conversation && { conversation }),
    });
    const notify = shouldNotify({
      windowFocused: this.#focused,
      fromSelf: self !== undefined && entry.from.id === self.id,
      mentionsMe: content.mentionsMe,
      direct: conversation?.kind === 'direct',
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
