/**
 * The custom events the components raise, with their details. They bubble and cross shadow roots,
 * so parley-app hears them wherever in the tree they start.
 *
 * Requests (`ask`) are events too: parley-app, the one place that talks to the bridge, answers
 * them by handing the bridge's promise to `reply`, so a dialog can show its own busy state and
 * the host's refusal as a sentence without holding the bridge itself.
 */
import type {
  ConversationView,
  CreateChannelRequest,
  RoomSummary,
  SearchHit,
} from '../../../protocol/bridge';
import type { FileInfo } from '../../../protocol/wire/entries';

interface PlainEventDetails {
  /** The start screen joined or hosted a room. */
  'room-entered': { summary: RoomSummary };
  /** The composer wants a message sent (to the conversation on screen), maybe as a reply. */
  'send-message': { text: string; replyTo?: number };
  /** The composer wants files sent (to the conversation on screen), with a message. */
  'send-files': { text: string; files: File[]; replyTo?: number };
  /** The composer wants this person's message `seq` (of the conversation on screen) changed. */
  'edit-message': { seq: number; text: string };
  /** A message's action was chosen: answer it, change it, take it back, react to it. */
  'message-action': {
    action: 'reply' | 'edit' | 'delete' | 'react';
    conv: string;
    seq: number;
    /** Where the action's button is on screen (the emoji picker opens beside it). */
    anchor?: { left: number; top: number; right: number; bottom: number };
  };
  /** Up arrow in an empty composer: edit this person's last message. */
  'edit-last': Record<string, never>;
  /** The composer's reply or edit was called off. */
  'compose-cancel': Record<string, never>;
  /** Add (`on`) or take back this person's reaction `emoji` to message `seq`. */
  react: { conv: string; seq: number; emoji: string; on: boolean };
  /** Show message `seq` of `conv`, loading older history when it is not held yet. */
  'jump-to-message': { conv: string; seq: number };
  /** Show an image of a message full size. */
  'view-image': { file: FileInfo };
  /** Desktop: download a file of a message into the Downloads folder. */
  'download-file': { file: FileInfo };
  /** Cancel an upload or download. */
  'cancel-transfer': { id: string };
  /** Put away a finished or failed transfer. */
  'dismiss-transfer': { id: string };
  /** Desktop: show a finished download in the file manager. */
  'show-in-folder': { id: string };
  /** Something the person asked for did not work: said under the composer. */
  'show-error': { message: string };
  /** Mute or unmute a conversation. */
  'set-muted': { conv: string; muted: boolean };
  /** The user is typing (already throttled by the composer). */
  'composer-typing': Record<string, never>;
  /** Re-send a failed message with its original id. */
  'retry-message': { id: string };
  /** A conversation's message list reached its top and wants older entries. */
  'load-older': { conv: string; beforeSeq: number };
  'leave-room': Record<string, never>;
  /** A link in a message was followed; the bridge opens it outside the app. */
  'open-link': { url: string };
  /** A room found on the network was chosen; `password` says whether it needs one. */
  'room-picked': { address: string; password: boolean };
  /** A notice in the connection banner was closed. */
  'dismiss-notices': Record<string, never>;
  /** Show this conversation (one this person is in). */
  'open-conversation': { conv: string };
  /** The person has seen `conv` up to `seq` (on screen, at its end, window focused). */
  'mark-read': { conv: string; seq: number };
  /** Whether a message list shows its newest entry (and follows new ones). */
  'list-at-end': { conv: string; atEnd: boolean };
}

/** Each request: what it asks, and what its answer resolves to. */
interface RequestEvents {
  /** Open (creating if needed) the direct conversation with a person. */
  'open-direct': [{ peerId: string }, ConversationView];
  'create-channel': [CreateChannelRequest, ConversationView];
  'join-channel': [{ conv: string }, ConversationView];
  'leave-channel': [{ conv: string }, void];
  'set-topic': [{ conv: string; topic: string }, void];
  'rename-channel': [{ conv: string; name: string }, void];
  /** Take back this person's message `seq` of `conv`, for everyone. */
  'delete-message': [{ conv: string; seq: number }, void];
  /** Search what this person may read. */
  search: [{ q: string }, SearchHit[]];
}

export type RequestEventName = keyof RequestEvents;
export type RequestOf<N extends RequestEventName> = RequestEvents[N][0];
export type AnswerOf<N extends RequestEventName> = RequestEvents[N][1];
export type RequestDetail<N extends RequestEventName> = RequestOf<N> & {
  /** The answerer hands over its promise of the answer here (synchronously). */
  reply(answer: Promise<AnswerOf<N>>): void;
};

export type ParleyEventDetails = PlainEventDetails & {
  [N in RequestEventName]: RequestDetail<N>;
};

export type ParleyEventName = keyof ParleyEventDetails;
export type ParleyEvent<N extends ParleyEventName> = CustomEvent<ParleyEventDetails[N]>;

/** Each event by name, typed: `addEventListener('send-message', …)` knows its detail. */
export type ParleyEventMap = { [N in ParleyEventName]: ParleyEvent<N> };

declare global {
  // Derived from ParleyEventDetails, so a new event is declared once, above.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends ParleyEventMap {}
}

export function emit<N extends ParleyEventName>(
  target: EventTarget,
  name: N,
  detail: ParleyEventDetails[N],
): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** Said when a request found nobody to answer it (an element used outside the app). */
export const UNANSWERED = 'This is not connected to a room.';

/** Raises a request event and returns its answer; rejects when nobody answered it. */
export function ask<N extends RequestEventName>(
  target: EventTarget,
  name: N,
  request: RequestOf<N>,
): Promise<AnswerOf<N>> {
  let answer: Promise<AnswerOf<N>> | undefined;
  const detail = {
    ...request,
    reply: (given: Promise<AnswerOf<N>>) => {
      answer = given;
    },
  } as ParleyEventDetails[N];
  emit(target, name, detail);
  return answer ?? Promise.reject(new Error(UNANSWERED));
}
