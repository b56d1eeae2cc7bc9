/**
 * The conversation on screen: its header, its messages, who is typing, the files on their way and
 * the composer, with what acting on a message needs: the reply or edit the composer shows, the
 * question before a deletion, the reaction picker, the image viewer, and a drop zone over the
 * whole window for files. It only shows state and raises events; parley-app talks to the bridge.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { TransferView } from '../../../protocol/bridge';
import type { OutgoingMessage } from '../../../protocol/client/client-types';
import type { TextEntry } from '../../../protocol/wire/entries';
import { describeError } from '../../bridges/bridge-error';
import { indexOfSeq } from '../../conversation-log';
import { conversationLabel } from '../../conversation-views';
import {
  activeTypers,
  currentConversation,
  logOf,
  olderBeforeSeq,
  typingIn,
  GENERAL,
} from '../../room-state';
import type { PresenceLine, RoomState } from '../../room-state';
import { TimelineBuilder } from '../../timeline';
import type { TimelineRow } from '../../timeline';
import type { ConfirmDialog } from '../confirm-dialog/confirm-dialog';
import type { EmojiPicker, EmojiPickedDetail } from '../emoji-picker/emoji-picker';
import type { ImageViewer } from '../image-viewer/image-viewer';
import type { ComposeContext, MessageComposer } from '../message-composer/message-composer';
import type { FileLinks } from '../message-list/message-files';
import type { MessageList } from '../message-list/message-list';
import { ask, emit } from '../shared/events';
import type { ParleyEvent } from '../shared/events';
import { sharedStyles } from '../shared/shared.styles';
import { conversationPaneStyles } from './conversation-pane.styles';
import '../confirm-dialog/confirm-dialog';
import '../conversation-header/conversation-header';
import '../emoji-picker/emoji-picker';
import '../image-viewer/image-viewer';
import '../message-composer/message-composer';
import '../message-list/message-list';
import '../transfer-list/transfer-list';

const NO_PRESENCE: readonly PresenceLine[] = [];

/** What a reaction picked in the picker is for. */
interface ReactionTarget {
  conv: string;
  seq: number;
}

@customElement('conversation-pane')
export class ConversationPane extends LitElement {
  static override styles = [sharedStyles, conversationPaneStyles];

  @property({ attribute: false }) state: RoomState | undefined;
  @property({ type: Boolean, attribute: 'loading-older' }) loadingOlder = false;
  /** Why the last send failed, as a sentence; shown under the composer. */
  @property({ type: String, attribute: 'send-error' }) sendError = '';
  @property({ attribute: false }) fileLinks: FileLinks = {
    href: (path) => path,
    appDownloads: false,
  };
  /** The message being answered or changed, in the conversation on screen. */
  @state() composing: ComposeContext | undefined;
  /** Files are being dragged over the window. */
  @state() dragging = false;

  @query('message-list') private list!: MessageList | null;
  @query('message-composer') private composer!: MessageComposer | null;
  @query('emoji-picker') private picker!: EmojiPicker<ReactionTarget>;
  @query('confirm-dialog') private confirm!: ConfirmDialog;
  @query('image-viewer') private viewer!: ImageViewer;

  /** One per conversation, so going back to one rebuilds nothing. */
  readonly #timelines = new Map<string, TimelineBuilder>();
  #outbox: { all: OutgoingMessage[]; conv: string; mine: OutgoingMessage[] } | undefined;
  #names: { peers: RoomState['peers']; names: string[]; others: string[] } | undefined;
  #transfers: { all: RoomState['transfers']; list: TransferView[] } | undefined;
  /** Nested dragenter/dragleave pairs: the zone hides when the last one leaves. */
  #dragDepth = 0;

  constructor() {
    super();
    this.addEventListener('message-action', this.#onMessageAction);
    this.addEventListener('edit-last', this.#onEditLast);
    this.addEventListener('compose-cancel', this.#endComposing);
    // The composer's reply or edit went out (the event goes on up to parley-app).
    this.addEventListener('send-message', this.#endComposing);
    this.addEventListener('send-files', this.#endComposing);
    this.addEventListener('edit-message', this.#endComposing);
    this.addEventListener('view-image', this.#onViewImage);
    this.addEventListener('emoji-picked', this.#onEmojiPicked as EventListener);
  }

  /** Puts the cursor in the composer. */
  focusComposer(): void {
    void this.updateComplete.then(() => this.composer?.focus());
  }

  /** Shows message `seq` of the conversation on screen; false when it is not loaded. */
  async showMessage(seq: number): Promise<boolean> {
    await this.updateComplete;
    const list = this.list;
    if (!list) return false;
    await list.updateComplete;
    return list.showMessage(seq);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('dragenter', this.#onDragEnter);
    window.addEventListener('dragover', this.#onDragOver);
    window.addEventListener('dragleave', this.#onDragLeave);
    window.addEventListener('drop', this.#onDrop);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('dragenter', this.#onDragEnter);
    window.removeEventListener('dragover', this.#onDragOver);
    window.removeEventListener('dragleave', this.#onDragLeave);
    window.removeEventListener('drop', this.#onDrop);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('state');
    // Another conversation: a reply or an edit belonged to the one before.
    if (previous && previous.current !== this.state?.current) this.composing = undefined;
  }

  protected override render(): TemplateResult {
    const state = this.state;
    if (!state) return html``;
    const view = currentConversation(state);
    const conv = state.current;
    const label = conversationLabel(view) || (conv === GENERAL ? '#general' : '');
    const log = logOf(state, conv);
    const names = this.#peerNames(state);
    return html`
      <conversation-header .view=${view} .selfId=${state.self?.id}></conversation-header>
      ${keyed(
        `${state.room?.id ?? ''}\n${conv}`,
        html`<message-list
          .conv=${conv}
          .rows=${this.#rows(state)}
          .roomName=${label}
          .peerNames=${names.names}
          .selfName=${state.self?.name ?? ''}
          .selfId=${state.self?.id}
          .people=${state.peers}
          .revision=${log.revision}
          .fileLinks=${this.fileLinks}
          .historySeq=${log.historySeq}
          .hasOlder=${olderBeforeSeq(state) !== undefined}
          .olderBefore=${olderBeforeSeq(state) ?? 0}
          .loadingOlder=${this.loadingOlder}
        ></message-list>`,
      )}
      <p class="typing-line" aria-live="off">${typingLine(state)}</p>
      <transfer-list
        .transfers=${this.#transferList(state)}
        ?can-show-in-folder=${this.fileLinks.appDownloads}
      ></transfer-list>
      <message-composer
        .draftKey=${conv}
        .placeholder=${`Message ${label}`}
        .disabled=${state.connection === 'closed'}
        .error=${this.sendError}
        .context=${this.composing}
        .mentionable=${names.others}
      ></message-composer>
      <emoji-picker></emoji-picker>
      <confirm-dialog></confirm-dialog>
      <image-viewer .links=${this.fileLinks}></image-viewer>
      ${
        this.dragging
          ? html`<div class="drop-zone" aria-hidden="true">
              <p>Drop files to send them to <strong>${label}</strong></p>
            </div>`
          : nothing
      }
    `;
  }

  #rows(state: RoomState): TimelineRow[] {
    const conv = state.current;
    let builder = this.#timelines.get(conv);
    if (!builder) {
      builder = new TimelineBuilder();
      this.#timelines.set(conv, builder);
    }
    const log = logOf(state, conv);
    return builder.rows({
      entries: log.entries,
      presence: conv === GENERAL ? state.presence : NO_PRESENCE,
      outbox: this.#outboxOf(state.outbox, conv),
      self: state.self,
      revision: log.revision,
      recent: log.recent,
    });
  }

  /** This conversation's part of the outbox: the same array while the outbox is the same. */
  #outboxOf(all: OutgoingMessage[], conv: string): OutgoingMessage[] {
    if (this.#outbox?.all !== all || this.#outbox.conv !== conv) {
      this.#outbox = { all, conv, mine: all.filter((entry) => entry.conv === conv) };
    }
    return this.#outbox.mine;
  }

  /** Every name (mentions shown), and every name but this person's (mentions offered). */
  #peerNames(state: RoomState): { names: string[]; others: string[] } {
    if (this.#names?.peers !== state.peers) {
      const selfId = state.self?.id;
      this.#names = {
        peers: state.peers,
        names: state.peers.map((peer) => peer.name),
        others: state.peers.filter((peer) => peer.id !== selfId).map((peer) => peer.name),
      };
    }
    return this.#names;
  }

  #transferList(state: RoomState): TransferView[] {
    if (this.#transfers?.all !== state.transfers) {
      this.#transfers = { all: state.transfers, list: [...state.transfers.values()] };
    }
    return this.#transfers.list;
  }

  /** This person's message `seq` of the conversation on screen, when held and not deleted. */
  #message(seq: number): TextEntry | undefined {
    const state = this.state;
    if (!state) return undefined;
    const entries = logOf(state, state.current).entries;
    const entry = entries[indexOfSeq(entries, seq)];
    return entry?.kind === 'text' && !entry.deleted ? entry : undefined;
  }

  #onMessageAction = async (event: ParleyEvent<'message-action'>): Promise<void> => {
    const { action, conv, seq, anchor } = event.detail;
    const message = this.#message(seq);
    if (!message || conv !== this.state?.current) return;
    switch (action) {
      case 'reply':
      case 'edit':
        this.composing = {
          kind: action,
          seq,
          author: message.from.id === this.state.self?.id ? 'yourself' : message.from.name,
          text: message.text,
        };
        break;
      case 'react':
        void this.picker.open(anchor ?? { left: 0, top: 0, right: 0, bottom: 0 }, { conv, seq });
        break;
      case 'delete':
        await this.#delete(conv, seq);
        break;
    }
  };

  async #delete(conv: string, seq: number): Promise<void> {
    const confirmed = await this.confirm.ask({
      title: 'Delete this message?',
      message: 'It is deleted for everyone in the conversation. This cannot be undone.',
      confirm: 'Delete',
    });
    if (!confirmed) return;
    if (this.composing?.seq === seq) this.composing = undefined;
    try {
      await ask(this, 'delete-message', { conv, seq });
    } catch (error) {
      emit(this, 'show-error', { message: `The message was not deleted. ${describeError(error)}` });
    }
  }

  #onEditLast = (): void => {
    const state = this.state;
    const selfId = state?.self?.id;
    if (!state || selfId === undefined) return;
    const entries = logOf(state, state.current).entries;
    for (let index = entries.length - 1; index >= 0; index--) {
      const entry = entries[index]!;
      if (entry.kind !== 'text' || entry.from.id !== selfId || entry.deleted) continue;
      this.composing = { kind: 'edit', seq: entry.seq, author: 'yourself', text: entry.text };
      return;
    }
  };

  #endComposing = (): void => {
    this.composing = undefined;
  };

  #onEmojiPicked = (event: CustomEvent<EmojiPickedDetail<ReactionTarget>>): void => {
    const { emoji, target } = event.detail;
    const selfId = this.state?.self?.id;
    const entries = this.state ? logOf(this.state, target.conv).entries : [];
    const message = entries[indexOfSeq(entries, target.seq)];
    const mine =
      selfId !== undefined &&
      message?.kind === 'text' &&
      (message.reactions?.[emoji]?.includes(selfId) ?? false);
    // Picking a reaction one already gave takes it back, as clicking its count does.
    emit(this, 'react', { conv: target.conv, seq: target.seq, emoji, on: !mine });
  };

  #onViewImage = (event: ParleyEvent<'view-image'>): void => {
    void this.viewer.show(event.detail.file);
  };

  #onDragEnter = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    this.#dragDepth++;
    this.dragging = true;
  };

  #onDragOver = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    // Without this the drop is refused (and a browser would open the file instead).
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };

  #onDragLeave = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    this.#dragDepth = Math.max(0, this.#dragDepth - 1);
    if (this.#dragDepth === 0) this.dragging = false;
  };

  #onDrop = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    this.#dragDepth = 0;
    this.dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0 && this.state?.connection !== 'closed') this.composer?.addFiles(files);
  };
}

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** Who else is typing, in a sentence; empty when nobody is. */
function typingLine(state: RoomState): string {
  const typers = activeTypers({ typing: typingIn(state, state.current) }, Date.now());
  const names = typers.filter((peer) => peer.id !== state.self?.id).map((peer) => peer.name);
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

declare global {
  interface HTMLElementTagNameMap {
    'conversation-pane': ConversationPane;
  }
}
