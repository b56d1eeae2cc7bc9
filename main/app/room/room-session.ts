/**
 * The slice of the client session (protocol/client/client-session.ts) the room controller relies on,
 * and the wiring that turns its events into RoomEvents for the window.
 */
import type { ChatMessage, Peer, WelcomeFrame } from '../../../protocol/wire/frames';
import type {
  ClientSessionEvents,
  ClientSessionOptions,
  OutgoingMessage,
  SessionSnapshot,
} from '../../../protocol/client/client-types';
import type { RoomEvent } from '../../../protocol/bridge';
import { ERROR_SENTENCES, isErrorCode } from '../../../protocol/wire/codes';

export interface RoomSession {
  connect(): Promise<WelcomeFrame>;
  send(text: string): OutgoingMessage;
  /** False when no failed message has that id. */
  retry(id: string): boolean;
  typing(): void;
  loadOlder(beforeSeq: number, limit?: number): Promise<{ messages: ChatMessage[]; more: boolean }>;
  close(): Promise<void>;
  /** What a later session (after an app restart) needs to resume this one; none before welcome. */
  snapshot(): SessionSnapshot | undefined;
  on<E extends keyof ClientSessionEvents>(
    event: E,
    listener: (...args: ClientSessionEvents[E]) => void,
  ): () => void;
}

export type RoomSessionFactory = (options: ClientSessionOptions) => RoomSession;

/** What the controller keeps up to date from the session, besides forwarding events. */
export interface SessionObserver {
  emit(event: RoomEvent): void;
  welcome(welcome: WelcomeFrame): void;
  peers(peers: Peer[]): void;
  ended(event: Extract<RoomEvent, { type: 'ended' }>): void;
}

/** Subscribes to every session event; returns one function that removes them all. */
export function observeSession(session: RoomSession, observer: SessionObserver): () => void {
  const { emit } = observer;
  const stops = [
    session.on('state', (state) => emit({ type: 'state', state })),
    session.on('welcome', (welcome) => observer.welcome(welcome)),
    session.on('message', (message) => emit({ type: 'message', message })),
    session.on('peers', (peers) => {
      observer.peers(peers);
      emit({ type: 'peers', peers });
    }),
    session.on('joined', (peer) => emit({ type: 'joined', peer })),
    session.on('left', (peer) => emit({ type: 'left', peer })),
    session.on('typing', (peer) => emit({ type: 'typing', peer })),
    session.on('outbox', (outbox) => emit({ type: 'outbox', outbox })),
    // The host's own wording is for developers; people get the shared sentence for the code.
    session.on('error', ({ code, message }) =>
      emit({ type: 'error', code, message: isErrorCode(code) ? ERROR_SENTENCES[code] : message }),
    ),
    session.on('gap', () => emit({ type: 'gap' })),
    session.on('roomChanged', ({ previous, current }) =>
      emit({ type: 'roomChanged', previous, current }),
    ),
    session.on('ended', (reason) => observer.ended({ type: 'ended', reason })),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
