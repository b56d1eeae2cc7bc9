/**
 * The whole UI: the start screen until a room is entered, then the room screen. The one place
 * that talks to the bridge for the room (the start screen connects by itself): it folds the
 * bridge's RoomEvents into a RoomState and turns the components' events and requests into bridge
 * calls (a request's answer also opens the conversation it made or joined).
 * Room events are folded once per animation frame, all that arrived since the last one together,
 * so a busy room costs one fold and one render per frame, not one per message.
 */
import { LitElement, html } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type {
  ConversationView,
  ParleyBridge,
  RoomEvent,
  RoomSummary,
} from '../../../protocol/bridge';
import { describeError } from '../../bridges/bridge-error';
import { indexOfSeq } from '../../conversation-log';
import { isOpenable, unreadTotals } from '../../conversation-views';
import { fileLinksFor } from '../../files/file-links';
import { FrameBatcher } from '../../frame-batcher';
import { ReadMarker } from '../../read-marker';
import {
  applyRoomEvent,
  applyRoomEvents,
  createRoomState,
  dismissNotices,
  dismissTransfer,
  insertEntries,
  logOf,
  olderBeforeSeq,
  selectConversation,
  withConversation,
} from '../../room-state';
import type { RoomState } from '../../room-state';
import type { AnswerOf, ParleyEvent, RequestDetail, RequestEventName } from '../shared/events';
import type { FileLinks } from '../message-list/message-files';
import type { RoomView } from '../room-view/room-view';
import { badgeCount } from '../shared/badge';
import { listenForMessageActions } from './message-actions';
import { parleyAppStyles } from './parley-app.styles';
import '../room-view/room-view';
import '../start-screen/start-screen';

/** A send error stays under the composer this long unless something replaces it. */
const SEND_ERROR_MS = 8000;
/** A jump to an old message loads at most this many pages of history looking for it. */
const MAX_JUMP_PAGES = 200;
const APP_TITLE = 'Parley';

@customElement('parley-app')
export class ParleyApp extends LitElement {
  static override styles = parleyAppStyles;

  @property({ attribute: false }) bridge: ParleyBridge | undefined;
  /** The browser page's own host, the room a guest joins. */
  @property({ type: String, attribute: 'page-host' }) pageHost = '';
  @state() screen: 'start' | 'room' = 'start';
  @state() roomState: RoomState = createRoomState();
  /** The conversations whose older entries are being loaded. */
  @state() loadingOlder: ReadonlySet<string> = new Set();
  @state() sendError = '';
  @state() notice = '';

  #unsubscribe: (() => void) | undefined;
  #links: { bridge: ParleyBridge | undefined; links: FileLinks } | undefined;
  #subscribedTo: ParleyBridge | undefined;
  #sendErrorTimer: ReturnType<typeof setTimeout> | undefined;
  /** Pages of older entries being loaded, by conversation. */
  readonly #olderLoads = new Map<string, Promise<boolean>>();
  readonly #roomEvents = new FrameBatcher<RoomEvent>((events) => this.#onRoomEvents(events));
  readonly #readMarker = new ReadMarker({
    send: (conv, seq) => this.bridge?.markRead({ conv, seq }) ?? Promise.resolve(),
  });

  constructor() {
    super();
    this.addEventListener('room-entered', this.#onRoomEntered);
    this.addEventListener('load-older', this.#onLoadOlder);
    this.addEventListener('leave-room', this.#onLeave);
    this.addEventListener('dismiss-notices', this.#onDismissNotices);
    this.addEventListener('open-conversation', this.#onOpenConversation);
    this.addEventListener('mark-read', this.#onMarkRead);
    this.addEventListener('jump-to-message', this.#onJump);
    this.addEventListener('dismiss-transfer', this.#onDismissTransfer);
    this.addEventListener('show-error', (event) => this.#showSendError(event.detail.message));
    // What only asks the bridge: sending, changing, reacting, files.
    listenForMessageActions(this, {
      bridge: () => this.bridge,
      state: () => this.roomState,
      showError: (message) => this.#showSendError(message),
      clearError: () => (this.sendError = ''),
    });
    // Requests whose answer is a conversation to show: opened as soon as the host made it.
    this.#answer('open-direct', (bridge, { peerId }) => this.#opening(bridge.openDirect(peerId)));
    this.#answer('create-channel', (bridge, { name, topic }) =>
      this.#opening(bridge.createChannel(topic === undefined ? { name } : { name, topic })),
    );
    this.#answer('join-channel', (bridge, { conv }) => this.#opening(bridge.joinChannel(conv)));
    this.#answer('leave-channel', (bridge, { conv }) => bridge.leaveChannel(conv));
    this.#answer('set-topic', (bridge, { conv, topic }) => bridge.setTopic({ conv, topic }));
    this.#answer('rename-channel', (bridge, { conv, name }) =>
      bridge.renameChannel({ conv, name }),
    );
    this.#answer('delete-message', async (bridge, { conv, seq }) => {
      await bridge.deleteMessage({ conv, target: seq });
    });
    this.#answer('search', (bridge, { q }) => bridge.search({ q }));
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
      const { unread } = unreadTotals(this.roomState.conversations);
      const plain = roomName ? `${roomName} · ${APP_TITLE}` : APP_TITLE;
      const title = roomName && unread > 0 ? `(${badgeCount(unread)}) ${plain}` : plain;
      // Setting the title costs a DOM change even when it is the same: only when it changed.
      if (document.title !== title) document.title = title;
    }
  }

  protected override render(): TemplateResult {
    if (this.screen === 'room') {
      return html`<room-view
        .state=${this.roomState}
        .loadingOlder=${this.loadingOlder}
        .sendError=${this.sendError}
        .fileLinks=${this.#fileLinks()}
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
      case 'roomChanged':
        // Another room: its seqs start over, so no read marker of the old one applies.
        this.#readMarker.reset();
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
    this.loadingOlder = new Set();
    this.sendError = '';
    this.#readMarker.reset();
  }

  /**
   * Shows message `seq` of `conv` (a search result, the original of a reply): opens the
   * conversation, loads older pages until it is held, then scrolls to it.
   */
  #onJump = async (event: ParleyEvent<'jump-to-message'>): Promise<void> => {
    const { conv, seq } = event.detail;
    this.#roomEvents.flush();
    const view = this.roomState.conversations.find((candidate) => candidate.id === conv);
    if (!view || !isOpenable(view)) {
      this.#showSendError('Join that channel to read the message.');
      return;
    }
    this.roomState = selectConversation(this.roomState, conv);
    const roomId = this.roomState.room?.id;
    for (let page = 0; page < MAX_JUMP_PAGES && !this.#holds(conv, seq); page++) {
      const before = olderBeforeSeq(this.roomState, conv);
      if (before === undefined || before <= seq) break;
      const loaded = await this.#loadOlder(conv, before);
      if (!loaded || this.roomState.room?.id !== roomId) return;
    }
    if (this.roomState.current !== conv) return;
    const roomView = this.renderRoot.querySelector<RoomView>('room-view');
    await this.updateComplete;
    const shown = await roomView?.showMessage(seq);
    if (!shown) this.#showSendError('That message is no longer there.');
  };

  #holds(conv: string, seq: number): boolean {
    return indexOfSeq(logOf(this.roomState, conv).entries, seq) >= 0;
  }

  #onDismissTransfer = (event: ParleyEvent<'dismiss-transfer'>): void => {
    this.#roomEvents.flush();
    this.roomState = dismissTransfer(this.roomState, event.detail.id);
  };

  #fileLinks(): FileLinks {
    const bridge = this.bridge;
    const held = this.#links;
    if (held && held.bridge === bridge) return held.links;
    const links = fileLinksFor(bridge);
    this.#links = { bridge, links };
    return links;
  }

  #onLoadOlder = (event: ParleyEvent<'load-older'>): void => {
    void this.#loadOlder(event.detail.conv, event.detail.beforeSeq);
  };

  /**
   * Loads the page of `conv` before seq `before`; false when it could not. While a page of `conv`
   * is loading, answers with that load instead (a jump waits for the list's own load).
   */
  #loadOlder(conv: string, before: number): Promise<boolean> {
    const loading = this.#olderLoads.get(conv);
    if (loading) return loading;
    const load: Promise<boolean> = this.#loadOlderPage(conv, before).finally(() => {
      if (this.#olderLoads.get(conv) === load) this.#olderLoads.delete(conv);
    });
    this.#olderLoads.set(conv, load);
    return load;
  }

  async #loadOlderPage(conv: string, before: number): Promise<boolean> {
    const bridge = this.bridge;
    if (!bridge) return false;
    this.loadingOlder = new Set(this.loadingOlder).add(conv);
    this.#roomEvents.flush();
    const roomId = this.roomState.room?.id;
    try {
      const { entries } = await bridge.loadOlder({ conv, before });
      // A page for a room we have since left or replaced belongs nowhere.
      this.#roomEvents.flush();
      const ours = entries.filter((entry) => entry.conv === conv);
      if (this.roomState.room?.id !== roomId) return false;
      this.roomState = insertEntries(this.roomState, ours);
      return true;
    } catch (error) {
      this.#showSendError(`Could not load earlier messages. ${describeError(error)}`);
      return false;
    } finally {
      const loading = new Set(this.loadingOlder);
      loading.delete(conv);
      this.loadingOlder = loading;
    }
  }

  #onLeave = (): void => {
    const bridge = this.bridge;
    // The room's last events land in the room being left, not in the next one.
    this.#roomEvents.flush();
    this.#backToStart('');
    bridge?.leave().catch((error: unknown) => {
      this.notice = describeError(error);
    });
  };

  #onDismissNotices = (): void => {
    // Not flushed first: a notice still waiting for its frame was never seen, so it stays.
    this.roomState = dismissNotices(this.roomState);
  };

  #onOpenConversation = (event: ParleyEvent<'open-conversation'>): void => {
    // Entries that arrived before the click belong to the state the choice is made in.
    this.#roomEvents.flush();
    this.roomState = selectConversation(this.roomState, event.detail.conv);
  };

  #onMarkRead = (event: ParleyEvent<'mark-read'>): void => {
    this.#readMarker.mark(event.detail.conv, event.detail.seq);
  };

  /** Answers the request events named `name` with `request`, made with the bridge. */
  #answer<N extends RequestEventName>(
    name: N,
    request: (bridge: ParleyBridge, detail: RequestDetail<N>) => Promise<AnswerOf<N>>,
  ): void {
    this.addEventListener(name, (event: Event) => {
      const { detail } = event as CustomEvent<RequestDetail<N>>;
      const bridge = this.bridge;
      if (bridge) detail.reply(request(bridge, detail));
    });
  }

  /** Shows the conversation `answer` resolves to (a request's answer), once it does. */
  async #opening(answer: Promise<ConversationView>): Promise<ConversationView> {
    const roomId = this.roomState.room?.id;
    const view = await answer;
    this.#roomEvents.flush();
    if (this.screen === 'room' && this.roomState.room?.id === roomId) {
      this.roomState = selectConversation(withConversation(this.roomState, view), view.id);
    }
    return view;
  }

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
  return (
    event.type === 'summary' ||
    event.type === 'ended' ||
    event.type === 'error' ||
    event.type === 'roomChanged'
  );
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-app': ParleyApp;
  }
}
