/**
 * The custom events the components raise, with their details. They bubble and cross shadow roots,
 * so parley-app hears them wherever in the tree they start.
 */
import type { RoomSummary } from '../../../protocol/bridge';

export interface ParleyEventDetails {
  /** The start screen joined or hosted a room. */
  'room-entered': { summary: RoomSummary };
  /** The composer wants a message sent. */
  'send-message': { text: string };
  /** The user is typing (already throttled by the composer). */
  'composer-typing': Record<string, never>;
  /** Re-send a failed message with its original id. */
  'retry-message': { id: string };
  /** The message list reached its top and wants older messages. */
  'load-older': { beforeSeq: number };
  'leave-room': Record<string, never>;
  /** A link in a message was followed; the bridge opens it outside the app. */
  'open-link': { url: string };
  /** A room found on the network was chosen; `password` says whether it needs one. */
  'room-picked': { address: string; password: boolean };
  /** A notice in the connection banner was closed. */
  'dismiss-notices': Record<string, never>;
}

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
