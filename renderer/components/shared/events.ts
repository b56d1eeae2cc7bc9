/**
 * The custom events the components raise, with their details. They bubble and cross shadow roots,
 * so parley-app hears them wherever in the tree they start.
 *
 * Requests (`ask`) are events too: parley-app, the one place that talks to the bridge, answers
 * them by handing the bridge's promise to `reply`, so a dialog can show its own busy state and
 * the host's refusal as a sentence without holding the bridge itself.
 */
import type { ConversationView, RoomSummary } from '../../../protocol/bridge';

interface PlainEventDetails {
  /** The start screen joined or hosted a room. */
  'room-entered': { summary: RoomSummary };
  /** The composer wants a message sent (to the conversation on screen). */
  'send-message': { text: string };
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
  'create-channel': [{ name: string; topic?: string }, ConversationView];
  'join-channel': [{ conv: string }, ConversationView];
  'leave-channel': [{ conv: string }, void];
  'set-topic': [{ conv: string; topic: string }, void];
  'rename-channel': [{ conv: string; name: string }, void];
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
