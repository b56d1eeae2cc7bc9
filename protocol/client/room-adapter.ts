/**
 * The one adapter between a client session (client-session.ts) and the bridge (../bridge.ts),
 * shared by the desktop's main process and the browser guest page, which only carry what it
 * makes: session events become RoomEvents, host errors worded with the shared sentences, and the
 * last welcome and peer list become the room summary. The bridge requests a session answers live
 * next door, in room-requests.ts.
 */
import type { RoomAddress, RoomEvent, RoomInvite, RoomSummary } from '../bridge';
import { ERROR_SENTENCES, isErrorCode } from '../wire/codes';
import type { Peer, WelcomeFrame } from '../wire/frames';
import type { ClientSession } from './client-session';
import type { ClientSessionOptions } from './client-types';
import type { ReadableFingerprint } from './fingerprint';
import type { SessionRequestName } from './room-requests';

/**
 * The slice of the client session a bridge relies on: its lifecycle, its events and the requests
 * room-requests.ts answers with it (a test may hand in a stand-in).
 */
export type RoomSession = Pick<
  ClientSession,
  'connect' | 'close' | 'snapshot' | 'on' | SessionRequestName
>;

export type RoomSessionFactory = (options: ClientSessionOptions) => RoomSession;

export type EndedEvent = Extract<RoomEvent, { type: 'ended' }>;

/** Where a transport takes what the adapter makes. */
export interface RoomEventSink {
  /** Every RoomEvent for the window, in the order the session saw things. */
  emit(event: RoomEvent): void;
  /** A (re)connection's welcome, after its history: the summary may have changed. */
  welcome?(welcome: WelcomeFrame): void;
  /** The session ended for good (no `ended` RoomEvent is emitted: the transport decides). */
  ended(event: EndedEvent): void;
}

/** What a summary says beyond the welcome: this app's part in the room and how others join. */
export interface RoomPlace {
  hosting: boolean;
  addresses: RoomAddress[];
  invites?: RoomInvite[];
  fingerprint?: ReadableFingerprint;
}

/** A browser guest's place: it does not host, so it has no addresses or invites to hand out. */
export const GUEST_PLACE: Readonly<RoomPlace> = Object.freeze({ hosting: false, addresses: [] });

/** Said for an error code this client has no sentence for (one a newer host may send). */
export const UNKNOWN_HOST_ERROR = 'The host refused that request.';

/**
 * The sentence for a host `error` frame. The frame's own message is a detail for developers
 * (docs/protocol.md: clients show their own sentence for the code), so it is never shown.
 */
export function hostErrorSentence(code: string): string {
  return isErrorCode(code) ? ERROR_SENTENCES[code] : UNKNOWN_HOST_ERROR;
}

/** Listens to one session until stop(): passes its events on and keeps what a summary needs. */
export class RoomAdapter {
  readonly #stops: (() => void)[];
  #welcome: WelcomeFrame | undefined;
  #peers: Peer[] = [];

  constructor(session: Pick<RoomSession, 'on'>, sink: RoomEventSink) {
    const { emit } = sink;
    this.#stops = [
      session.on('state', (state) => emit({ type: 'state', state })),
      session.on('welcome', (welcome) => {
        this.#welcome = welcome;
        this.#peers = welcome.peers;
        sink.welcome?.(welcome);
      }),
      session.on('message', (message) => emit({ type: 'message', message })),
      session.on('peers', (peers) => {
        this.#peers = peers;
        emit({ type: 'peers', peers });
      }),
      session.on('joined', (peer) => emit({ type: 'joined', peer })),
      session.on('left', (peer) => emit({ type: 'left', peer })),
      session.on('typing', (peer) => emit({ type: 'typing', peer })),
      session.on('outbox', (outbox) => emit({ type: 'outbox', outbox })),
      session.on('error', ({ code }) =>
        emit({ type: 'error', code, message: hostErrorSentence(code) }),
      ),
      session.on('gap', () => emit({ type: 'gap' })),
      session.on('roomChanged', ({ previous, current }) =>
        emit({ type: 'roomChanged', previous, current }),
      ),
      session.on('ended', (reason) => sink.ended({ type: 'ended', reason })),
    ];
  }

  /** The room as of the last welcome and peer list, seen from `place`; none before a welcome. */
  summary(place: Readonly<RoomPlace>): RoomSummary | undefined {
    const welcome = this.#welcome;
    if (!welcome) return undefined;
    return {
      room: welcome.room,
      self: welcome.self,
      peers: this.#peers,
      hosting: place.hosting,
      addresses: [...place.addresses],
      ...(place.invites && { invites: [...place.invites] }),
      lastSeq: welcome.lastSeq,
      ...(place.fingerprint && { fingerprint: place.fingerprint }),
    };
  }

  /** Stops listening to the session; nothing reaches the sink afterwards. Idempotent. */
  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }
}
