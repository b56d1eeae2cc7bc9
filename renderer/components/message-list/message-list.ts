/**
 * One conversation: virtualized (only rows near the viewport are in the DOM, so 10,000 messages
 * scroll smoothly), kept at the bottom while the user is there, with older messages loaded on
 * reaching the top, a "new messages" button when scrolled away, and new messages announced to
 * screen readers. Every name and text is rendered as text, never as markup. One list shows one
 * conversation for its whole life (room-view makes a new one for another conversation), so its
 * scroll position and what it announced never mix conversations.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import type { VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import { ERROR_SENTENCES, isErrorCode } from '../../../protocol/wire/codes';
import type { PeerV2 } from '../../../protocol/wire/entries';
import { MessageHtmlCache } from '../../markdown/message-html';
import { formatDay, formatTime } from '../../timeline';
import type { TimelineRow } from '../../timeline';
import { firstMessageKey, messageKeyFrom, rowsAppended, truncate } from '../../timeline-diff';
import { emit } from '../shared/events';
import type { FileLinks } from './message-files';
import { formatted, messageRowTemplate, type MessageRowContext } from './message-row';
import { messageOfSeq, rowIndexOfSeq } from '../../timeline-lookup';
import { RowTemplates } from './row-templates';
import { firstSeq, systemLine } from './system-line';
import { sharedStyles } from '../shared/shared.styles';
import { messageListStyles } from './message-list.styles';

type ListItem = TimelineRow | { kind: 'edge'; key: 'edge' };
type LayoutConfig = { pin?: { index: number; block: 'start' | 'center' | 'end' } };

/** Within this distance of the end, the list counts as "at the bottom" and follows new messages. */
const BOTTOM_SLACK_PX = 48;
/** With this few rows above the first one in view, older messages are asked for. */
const TOP_SLACK_ROWS = 3;
/** Consecutive messages of one author this close together share one header. */
const GROUP_WINDOW_MS = 5 * 60_000;
/** History older than this when the list first shows it is not read out as "new". */
const ANNOUNCE_GRACE_MS = 5000;
const EDGE: ListItem = { kind: 'edge', key: 'edge' };
/** The properties that change how rows look (mentions, the top edge), not which rows there are. */
const ROW_LOOKS = ['peerNames', 'selfName', 'roomName', 'hasOlder', 'loadingOlder'] as const;
/** How long a message jumped to stays highlighted. */
const HIGHLIGHT_MS = 2000;

// The layout clamps the pin's index to the last item, so this one pin follows the end as it grows.
const pinToEnd = (): LayoutConfig => ({
  pin: { index: Number.MAX_SAFE_INTEGER, block: 'end' },
});

@customElement('message-list')
export class MessageList extends LitElement {
  static override styles = [sharedStyles, messageListStyles];

  @property({ attribute: false }) rows: TimelineRow[] = [];
  /** The conversation's id, named in the events the list raises. */
  @property({ type: String }) conv = '';
  /** The conversation's name as people read it (`#design`, `Ada`). */
  @property({ type: String, attribute: 'room-name' }) roomName = '';
  /** Names that can be @mentioned (everyone in the room). */
  @property({ attribute: false }) peerNames: string[] = [];
  /** This user's name, to highlight mentions of them. */
  @property({ attribute: false }) selfName = '';
  /** This user's peer id (their own reactions). */
  @property({ attribute: false }) selfId: string | undefined;
  /** The people of the room (who reacted, by name). */
  @property({ attribute: false }) people: readonly PeerV2[] = [];
  /**
   * Changes when messages already shown changed (edited, deleted, reacted to): replies show what
   * they answer, which is another row's message.
   */
  @property({ attribute: false }) revision = 0;
  /** Where files load from, and whether the app downloads them (desktop) or the browser does. */
  @property({ attribute: false }) fileLinks: FileLinks = {
    href: (path) => path,
    appDownloads: false,
  };
  /** Messages up to this seq are history, not news: they are not read out. */
  @property({ attribute: false }) historySeq = 0;
  @property({ type: Boolean, attribute: 'has-older' }) hasOlder = false;
  /**
   * The seq older entries are asked for before (0: the first row's): entries the list does not
   * show (reactions, say) may be older than its first row.
   */
  @property({ type: Number, attribute: 'older-before' }) olderBefore = 0;
  @property({ type: Boolean, attribute: 'loading-older' }) loadingOlder = false;
  /** Following the newest message (the user is at the bottom). */
  @state() stick = true;
  /** Messages that arrived while the user was scrolled up. */
  @state() unseen = 0;
  @state() announcement = '';
  @state() layout: LayoutConfig = pinToEnd();
  /** The message a jump landed on, highlighted for a moment. */
  @state() highlighted: number | undefined;

  #items: ListItem[] = [EDGE];
  /** Index (in [EDGE, ...rows]) of the first row in view, as the layout last reported; -1 before. */
  #firstVisible = -1;
  #olderRequestedFor: number | undefined;
  #scrollFrame = 0;
  readonly #mountedAt = Date.now();
  readonly #messageTemplates = new RowTemplates<TimelineRow, ListItem | undefined>();
  readonly #html = new MessageHtmlCache();
  #names: { people: readonly PeerV2[]; byId: Map<string, string> } | undefined;
  #highlightTimer: ReturnType<typeof setTimeout> | undefined;
  // Kept across renders: a new function makes the virtualizer re-render every row in view, so
  // #renderRow is replaced only when rows are to look different (see ROW_LOOKS).
  // The virtualizer may draw its previous range over a shorter list once before it moves the
  // range (an update that changes only the row template, right after the items shrank:
  // lit/lit#4833), so a row past the end is a placeholder, not a crash.
  readonly #keyOf = (item: ListItem | undefined, index: number): string =>
    item?.key ?? `past-end-${index}`;
  #renderRow = this.#newRenderRow();

  /** Jumps to the newest message and follows new ones again. */
  scrollToEnd(): void {
    this.stick = true;
    this.unseen = 0;
    this.layout = pinToEnd();
  }

  /**
   * Scrolls message `seq` into view and highlights it for a moment; false when the list does not
   * hold it (older history must be loaded first).
   */
  showMessage(seq: number): boolean {
    const index = rowIndexOfSeq(this.rows, seq);
    if (index < 0) return false;
    this.stick = false;
    // +1: the edge item comes first.
    this.layout = { pin: { index: index + 1, block: 'center' } };
    this.highlighted = seq;
    clearTimeout(this.#highlightTimer);
    this.#highlightTimer = setTimeout(() => {
      if (this.highlighted === seq) this.highlighted = undefined;
    }, HIGHLIGHT_MS);
    return true;
  }

  get #virtualizer(): LitVirtualizer | null {
    return this.renderRoot.querySelector('lit-virtualizer');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.#scrollFrame);
    this.#scrollFrame = 0;
    clearTimeout(this.#highlightTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('loadingOlder') && !this.loadingOlder) this.#olderRequestedFor = undefined;
    // What a message row shows beyond its message and its neighbour: mentions and of whom, who
    // reacted, what replies answer, the highlight.
    this.#html.useMentions({ peerNames: this.peerNames, selfName: this.selfName });
    this.#messageTemplates.dependOn([
      this.peerNames,
      this.selfName,
      this.selfId,
      this.people,
      this.revision,
      this.fileLinks,
      this.highlighted,
    ]);
    if (
      ROW_LOOKS.some((property) => changed.has(property)) ||
      changed.has('highlighted') ||
      changed.has('revision') ||
      changed.has('people')
    ) {
      this.#renderRow = this.#newRenderRow();
    }
    if (!changed.has('rows')) return;
    const previous = changed.get('rows') ?? [];
    this.#items = [EDGE, ...this.rows];
    const appended = rowsAppended(previous, this.rows);
    this.#announce(appended);
    // What you send yourself is always shown, wherever you had scrolled to.
    if (!this.stick && sentJustNow(previous, this.rows, appended)) this.scrollToEnd();
    if (this.stick) return;
    this.unseen += appended.filter((row) => row.kind === 'message' && !row.own).length;
    // Older rows came in above: keep the row the user was looking at where it was.
    const anchorKey = messageKeyFrom(previous, this.#firstVisible - 1);
    if (anchorKey !== undefined && firstMessageKey(previous) !== firstMessageKey(this.rows)) {
      const index = this.#items.findIndex((item) => item.key === anchorKey);
      if (index > 0) this.layout = { pin: { index, block: 'start' } };
    }
  }

  /** Whether the list shows its newest entry and follows new ones. */
  get atEnd(): boolean {
    return this.stick;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('stick')) emit(this, 'list-at-end', { conv: this.conv, atEnd: this.stick });
    // A short conversation never scrolls, so reaching the top has to be checked here too.
    if (changed.has('rows') || changed.has('hasOlder') || changed.has('loadingOlder')) {
      const settled =
        this.#virtualizer?.layoutComplete ??
        new Promise<number>((resolve) => requestAnimationFrame(resolve));
      // The virtualizer rejects its promise when the list leaves the page first: no top then.
      settled.then(
        () => this.#checkTop(),
        () => undefined,
      );
    }
  }

  protected override render(): TemplateResult {
    return html`
      <lit-virtualizer
        scroller
        role="list"
        aria-label="Messages"
        tabindex="0"
        .items=${this.#items}
        .keyFunction=${this.#keyOf}
        .renderItem=${this.#renderRow}
        .layout=${this.layout}
        @scroll=${this.#onScroll}
        @unpinned=${this.#onUnpinned}
        @visibilityChanged=${this.#onVisibilityChanged}
        @click=${this.#onClick}
      ></lit-virtualizer>
      ${
        !this.stick && this.unseen > 0
          ? html`<button class="jump small" @click=${() => this.scrollToEnd()}>
              ${this.unseen === 1 ? '1 new message' : `${this.unseen} new messages`} ↓
            </button>`
          : nothing
      }
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  #newRenderRow(): (item: ListItem | undefined, index: number) => TemplateResult | typeof nothing {
    return (item, index) => (item ? this.#renderItem(item, index) : nothing);
  }

  #renderItem(item: ListItem, index: number): TemplateResult {
    switch (item.kind) {
      case 'edge':
        return this.#renderEdge();
      case 'day':
        return html`<div class="row day" role="listitem">${formatDay(item.ts)}</div>`;
      case 'presence':
        return html`<div class="row presence" role="listitem">
          <span class="name">${item.line.peer.name}</span>
          ${item.line.kind === 'joined' ? 'joined' : 'left'} ·
          <time datetime=${new Date(item.line.at).toISOString()}>${formatTime(item.line.at)}</time>
        </div>`;
      case 'event':
        return html`<div class="row presence system" role="listitem" data-seq=${item.entry.seq}>
          <span class="name">${item.entry.by.name}</span>
          ${systemLine(item.entry, this.roomName)} ·
          <time datetime=${new Date(item.entry.ts).toISOString()}
            >${formatTime(item.entry.ts)}</time
          >
        </div>`;
      case 'message': {
        const before = this.#items[index - 1];
        return this.#messageTemplates.get(item, before, () => this.#renderMessage(item, before));
      }
      case 'outgoing':
        return this.#renderOutgoing(item);
    }
  }

  #renderEdge(): TemplateResult {
    if (this.hasOlder) {
      return html`<div class="edge" role="listitem">
        ${this.loadingOlder ? 'Loading earlier messages…' : 'Scroll up for earlier messages'}
      </div>`;
    }
    return html`<div class="edge" role="listitem">
      This is the start of
      ${this.roomName ? html`<strong>${this.roomName}</strong>` : 'the conversation'}.
    </div>`;
  }

  #renderMessage(
    row: Extract<TimelineRow, { kind: 'message' }>,
    before: ListItem | undefined,
  ): TemplateResult {
    const { message, own } = row;
    const grouped =
      before?.kind === 'message' &&
      before.message.from.id === message.from.id &&
      message.ts - before.message.ts < GROUP_WINDOW_MS;
    return messageRowTemplate({ message, own, grouped }, this.#rowContext());
  }

  #rowContext(): MessageRowContext {
    return {
      selfId: this.selfId,
      html: this.#html,
      nameOf: (id) => this.#nameOf(id),
      original: (seq) => messageOfSeq(this.rows, seq),
      files: this.fileLinks,
      highlighted: this.highlighted,
    };
  }

  #nameOf(peerId: string): string {
    if (this.#names?.people !== this.people) {
      this.#names = {
        people: this.people,
        byId: new Map(this.people.map((peer) => [peer.id, peer.name])),
      };
    }
    return this.#names.byId.get(peerId) ?? 'Someone';
  }

  #renderOutgoing(row: Extract<TimelineRow, { kind: 'outgoing' }>): TemplateResult {
    const { entry } = row;
    const failed = entry.state === 'failed';
    const reason = entry.error && isErrorCode(entry.error) ? ERROR_SENTENCES[entry.error] : '';
    return html`
      <div class="row msg own ${entry.state}" role="listitem" data-outgoing-id=${entry.id}>
        <div class="content">
          <div class="bubble">${formatted(this.#html.html(`o:${entry.id}`, entry.text))}</div>
          ${
            failed
              ? html`<div class="status">
                  <span>Not sent.${reason ? ` ${reason}` : ''}</span>
                  <button
                    class="small"
                    @click=${() => emit(this, 'retry-message', { id: entry.id })}
                    aria-label="Retry sending this message"
                  >
                    Retry
                  </button>
                </div>`
              : html`<div class="status">Sending…</div>`
          }
        </div>
      </div>
    `;
  }

  /** Every click in the list: links, and the buttons of messages (by their data-action). */
  #onClick = (event: MouseEvent): void => {
    const target = event.target as Element | null;
    const link = target?.closest<HTMLAnchorElement>('.text a[href]');
    if (link) {
      event.preventDefault();
      emit(this, 'open-link', { url: link.href });
      return;
    }
    const button = target?.closest<HTMLElement>('[data-action]');
    const seq = Number(button?.closest<HTMLElement>('[data-seq]')?.dataset['seq']);
    const message = Number.isSafeInteger(seq) ? messageOfSeq(this.rows, seq) : undefined;
    if (!button || !message) return;
    const conv = this.conv;
    const action = button.dataset['action'];
    const file = message.files?.[Number(button.dataset['file'])];
    switch (action) {
      case 'react':
      case 'reply':
      case 'edit':
      case 'delete': {
        const { left, top, right, bottom } = button.getBoundingClientRect();
        emit(this, 'message-action', {
          action,
          conv,
          seq: message.seq,
          anchor: { left, top, right, bottom },
        });
        break;
      }
      case 'toggle-reaction': {
        const emoji = button.dataset['emoji'] ?? '';
        const mine = this.selfId !== undefined && message.reactions?.[emoji]?.includes(this.selfId);
        emit(this, 'react', { conv, seq: message.seq, emoji, on: !mine });
        break;
      }
      case 'jump':
        emit(this, 'jump-to-message', { conv, seq: Number(button.dataset['target']) });
        break;
      case 'view-image':
        if (file) emit(this, 'view-image', { file });
        break;
      case 'download':
        if (file) emit(this, 'download-file', { file });
        break;
      default:
        // browser-download: the browser's own downloader follows the link.
        break;
    }
  };

  #announce(appended: TimelineRow[]): void {
    const lines: string[] = [];
    for (const row of appended) {
      if (
        row.kind === 'message' &&
        !row.own &&
        row.message.seq > this.historySeq &&
        row.message.ts >= this.#mountedAt - ANNOUNCE_GRACE_MS
      ) {
        lines.push(`${row.message.from.name}: ${truncate(row.message.text)}`);
      } else if (row.kind === 'presence') {
        lines.push(`${row.line.peer.name} ${row.line.kind === 'joined' ? 'joined' : 'left'}`);
      } else if (row.kind === 'event' && row.entry.seq > this.historySeq) {
        lines.push(`${row.entry.by.name} ${systemLine(row.entry, this.roomName)}`);
      }
    }
    if (lines.length > 0) this.announcement = lines.slice(-3).join('. ');
  }

  #onScroll = (): void => {
    if (this.#scrollFrame) return;
    this.#scrollFrame = requestAnimationFrame(() => {
      this.#scrollFrame = 0;
      this.#afterScroll();
    });
  };

  #afterScroll(): void {
    const scroller = this.#virtualizer;
    if (!scroller) return;
    // While following, every new message scrolls the list: reading its geometry would force a
    // layout each frame only to learn it is at the bottom (and nothing is unseen while following).
    if (!this.stick) {
      const distance = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
      // Back at the bottom, by hand or by the "new messages" button: follow again.
      if (distance <= BOTTOM_SLACK_PX) this.scrollToEnd();
    }
    this.#checkTop();
  }

  #onUnpinned = (): void => {
    // The user scrolled: stop following until they come back down (checked after the scroll).
    this.stick = false;
    this.layout = {};
  };

  #onVisibilityChanged = (event: VisibilityChangedEvent): void => {
    this.#firstVisible = event.first;
    // Fires once the layout settles, which is when a short list can tell it does not fill the view.
    this.#checkTop();
  };

  #checkTop(): void {
    if (!this.hasOlder || this.loadingOlder) return;
    // The layout's own account of what is in view: the DOM's scrollTop lags behind a pin.
    if (this.#firstVisible < 0 || this.#firstVisible > TOP_SLACK_ROWS) return;
    const beforeSeq = this.olderBefore || firstSeq(this.rows);
    if (beforeSeq === undefined) return;
    if (this.#olderRequestedFor === beforeSeq) return;
    this.#olderRequestedFor = beforeSeq;
    emit(this, 'load-older', { conv: this.conv, beforeSeq });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-list': MessageList;
  }
}

/** Whether these rows bring a message of this user's own: one just sent, or its echo. */
function sentJustNow(
  previous: readonly TimelineRow[],
  rows: readonly TimelineRow[],
  appended: readonly TimelineRow[],
): boolean {
  if (appended.some((row) => row.kind === 'message' && row.own)) return true;
  const before = new Set(previous.filter((row) => row.kind === 'outgoing').map((row) => row.key));
  return rows.some((row) => row.kind === 'outgoing' && !before.has(row.key));
}
