/**
 * The whole UI: the start screen until a room is entered, then the room screen. The one place
 * that talks to the bridge for the room (the start screen connects by itself): it folds the
 * bridge's RoomEvents into a RoomState and turns the components' events into bridge calls.
 * Room events are folded once per animation frame, all that arrived since the last one together,
 * so a busy room costs one fold and one render per frame, not one per message.
 */
import { LitElement, html } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ParleyBridge, RoomEvent, RoomSummary } from '../../../protocol/bridge';
import { describeError } from '../../bridges/bridge-error';
import { FrameBatcher } from '../../frame-batcher';
import {
  applyRoomEvent,
  applyRoomEvents,
  createRoomState,
  dismissNotices,
  insertMessages,
} from '../../room-state';
import type { RoomState } from '../../room-state';
import type { ParleyEvent } from '../shared/events';
import type { RoomView } from '../room-view/room-view';
import { parleyAppStyles } from './parley-app.styles';
import '../room-view/room-view';
import '../start-screen/start-screen';

/** A send error stays under the composer this long unless something replaces it. */
const SEND_ERROR_MS = 8000;
const APP_TITLE = 'Parley';

@customElement('parley-app')
export class ParleyApp extends LitElement {
  static override styles = parleyAppStyles;

  @property({ attribute: false }) bridge: ParleyBridge | undefined;
  /** The browser page's own host, the room a guest joins. */
  @property({ type: String, attribute: 'page-host' }) pageHost = '';
  @state() screen: 'start' | 'room' = 'start';
  @state() roomState: RoomState = createRoomState();
  @state() loadingOlder = false;
  @state() sendError = '';
  @state() notice = '';

  #unsubscribe: (() => void) | undefined;
  #subscribedTo: ParleyBridge | undefined;
  #sendErrorTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #roomEvents = new FrameBatcher<RoomEvent>((events) => this.#onRoomEvents(events));

  constructor() {
    super();
    this.addEventListener('room-entered', this.#onRoomEntered);
    this.addEventListener('send-message', this.#onSend);
    this.addEventListener('retry-message', this.#onRetry);
    this.addEventListener('composer-typing', this.#onTyping);
    this.addEventListener('load-older', this.#onLoadOlder);
    this.addEventListener('leave-room', this.#onLeave);
    this.addEventListener('open-link', this.#onOpenLink);
    this.addEventListener('dismiss-notices', this.#onDismissNotices);
  }

  /**
   * Fold room events once per frame (the default). Off, every event is folded and rendered as it
   * arrives: only there to measure what batching saves (bench/ui).
   */
  get batchRoomEvents(): boolean {
    return this.#roomEvents.enabled;
  }

  set batchRoomEvents(value: boolean) {
    this.#roomEvents.enabled = value;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#subscribedTo = undefined;
    // What already arrived still belongs to the state, should the element come back.
    this.#roomEvents.flush();
    clearTimeout(this.#sendErrorTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('bridge') && this.isConnected) this.#subscribe();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('screen') || changed.has('roomState')) {
      const roomName = this.screen === 'room' ? this.roomState.room?.name : undefined;
      document.title = roomName ? `${roomName} · ${APP_TITLE}` : APP_TITLE;
    }
  }

  protected override render(): TemplateResult {
    if (this.screen === 'room') {
      return html`<room-view
        .state=${this.roomState}
        .loadingOlder=${this.loadingOlder}
        .sendError=${this.sendError}
      ></room-view>`;
    }
    return html`<start-screen
      .bridge=${this.bridge}
      .notice=${this.notice}
      .pageHost=${this.pageHost}
    ></start-screen>`;
  }

  #subscribe(): void {
    if (this.#subscribedTo === this.bridge) return;
    this.#unsubscribe?.();
    // Events of the bridge being left behind are folded before any of the new one's.
    this.#roomEvents.flush();
    this.#subscribedTo = this.bridge;
    this.#unsubscribe = this.bridge?.subscribe((event) => this.#roomEvents.push(event));
  }

  /** One frame's events, in order: folded in as few steps as their side effects allow. */
  #onRoomEvents(events: RoomEvent[]): void {
    const now = Date.now();
    let from = 0;
    for (let index = 0; index < events.length; index++) {
      const event = events[index]!;
      if (!hasSideEffect(event)) continue;
      // The side effect (entering or leaving the room) must see the state of the events before it.
      this.roomState = applyRoomEvents(this.roomState, events.slice(from, index + 1), now);
      from = index + 1;
      this.#afterRoomEvent(event);
    }
    if (from < events.length) {
      this.roomState = applyRoomEvents(this.roomState, events.slice(from), now);
    }
  }

  #afterRoomEvent(event: RoomEvent): void {
    switch (event.type) {
      case 'summary':
        this.#enterRoom();
        break;
      case 'ended':
        this.#backToStart(describeError(event.reason));
        break;
      case 'error':
        this.#showSendError(describeError(event));
        break;
      default:
        break;
    }
  }

  #onRoomEntered = (event: ParleyEvent<'room-entered'>): void => {
    const summary: RoomSummary = event.detail.summary;
    // Events that came before the answer (history, for one) stay before it.
    this.#roomEvents.flush();
    this.roomState = applyRoomEvent(this.roomState, { type: 'summary', summary }, Date.now());
    this.#enterRoom();
  };

  #enterRoom(): void {
    if (this.screen === 'room') return;
    this.screen = 'room';
    this.notice = '';
    this.sendError = '';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<RoomView>('room-view')?.focusComposer(),
    );
  }

  #backToStart(notice: string): void {
    this.screen = 'start';
    this.notice = notice;
    // The next room starts from nothing; events of a session still starting may arrive before it.
    this.roomState = createRoomState();
    this.loadingOlder = false;
    this.sendError = '';
  }

  #onSend = (event: ParleyEvent<'send-message'>): void => {
    const bridge = this.bridge;
    if (!bridge) return;
    this.sendError = '';
    bridge
      .send(event.detail.text)
      .catch((error: unknown) => this.#showSendError(describeError(error)));
  };

  #onRetry = (event: ParleyEvent<'retry-message'>): void => {
    this.sendError = '';
    this.bridge
      ?.retry(event.detail.id)
      .catch((error: unknown) => this.#showSendError(describeError(error)));
  };

  #onTyping = (): void => {
    // A lost typing hint is harmless; it is not worth a word to the user.
    this.bridge?.typing().catch(() => undefined);
  };

  #onLoadOlder = (event: ParleyEvent<'load-older'>): void => {
    const bridge = this.bridge;
    if (!bridge || this.loadingOlder) return;
    this.loadingOlder = true;
    this.#roomEvents.flush();
    const roomId = this.roomState.room?.id;
    bridge
      .loadOlder(event.detail.beforeSeq)
      .then(({ messages }) => {
        // A page for a room we have since left or replaced belongs nowhere.
        this.#roomEvents.flush();
        if (this.roomState.room?.id === roomId) {
          this.roomState = insertMessages(this.roomState, messages);
        }
      })
      .catch((error: unknown) =>
        this.#showSendError(`Could not load earlier messages. ${describeError(error)}`),
      )
      .finally(() => {
        this.loadingOlder = false;
      });
  };

  #onLeave = (): void => {
    const bridge = this.bridge;
    // The room's last events land in the room being left, not in the next one.
    this.#roomEvents.flush();
    this.#backToStart('');
    bridge?.leave().catch((error: unknown) => {
      this.notice = describeError(error);
    });
  };

  #onOpenLink = (event: ParleyEvent<'open-link'>): void => {
    this.bridge
      ?.openExternal(event.detail.url)
      .catch((error: unknown) => this.#showSendError(describeError(error)));
  };

  #onDismissNotices = (): void => {
    // Not flushed first: a notice still waiting for its frame was never seen, so it stays.
    this.roomState = dismissNotices(this.roomState);
  };

  #showSendError(message: string): void {
    this.sendError = message;
    clearTimeout(this.#sendErrorTimer);
    this.#sendErrorTimer = setTimeout(() => {
      if (this.sendError === message) this.sendError = '';
    }, SEND_ERROR_MS);
  }
}

/** Events after which the app does more than fold: enter the room, leave it, show an error. */
function hasSideEffect(event: RoomEvent): boolean {
  return event.type === 'summary' || event.type === 'ended' || event.type === 'error';
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-app': ParleyApp;
  }
}
