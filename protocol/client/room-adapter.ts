/**
 * The one adapter between a client session (client-session.ts) and the bridge (../bridge.ts),
 * shared by the desktop's main process and the browser guest page, which only carry what it
 * makes: session events become RoomEvents, host errors worded with the shared sentences, and the
 * session's room, people and conversations become the room summary. The bridge requests a
 * session answers live next door, in room-requests.ts.
 */
import type { RoomAddress, RoomEvent, RoomInvite, RoomSummary } from '../bridge';
import type { WelcomeV2Frame } from '../wire/frames-v2';
import type { ClientSession } from './client-session';
import type { ClientSessionOptions } from './client-types';
import type { ReadableFingerprint } from './fingerprint';
import type { SessionRequestName } from './room-requests';
import { hostErrorSentence } from './session-error';

export { hostErrorSentence, UNKNOWN_HOST_ERROR } from './session-error';

/**
 * The slice of the client session a bridge relies on: its lifecycle, its events, what a summary
 * reads and the requests room-requests.ts answers with it (a test may hand in a stand-in).
 */
export type RoomSession = Pick<
  ClientSession,
  | 'connect'
  | 'close'
  | 'snapshot'
  | 'on'
  | 'room'
  | 'self'
  | 'peers'
  | 'peerCount'
  | 'conversations'
  | 'token'
  | SessionRequestName
>;

export type RoomSessionFactory = (options: ClientSessionOptions) => RoomSession;

export type EndedEvent = Extract<RoomEvent, { type: 'ended' }>;

/** Where a transport takes what the adapter makes. */
export interface RoomEventSink {
  /** Every RoomEvent for the window, in the order the session saw things. */
  emit(event: RoomEvent): void;
  /** A (re)connection's welcome: the summary may have changed (its catchup follows as entries). */
  welcome?(welcome: WelcomeV2Frame): void;
  /** This person's name changed (from another of their devices): the summary changed. */
  renamedSelf?(): void;
  /** The session ended for good (no `ended` RoomEvent is emitted: the transport decides). */
  ended(event: EndedEvent): void;
}

/** What a summary says beyond the session: this app's part in the room and how others join. */
export interface RoomPlace {
  hosting: boolean;
  addresses: RoomAddress[];
  invites?: RoomInvite[];
  fingerprint?: ReadableFingerprint;
}

/** A browser guest's place: it does not host, so it has no addresses or invites to hand out. */
export const GUEST_PLACE: Readonly<RoomPlace> = Object.freeze({ hosting: false, addresses: [] });

/** Listens to one session until stop(): passes its events on, and summarises its room. */
export class RoomAdapter {
  readonly #session: Pick<
    RoomSession,
    'on' | 'room' | 'self' | 'peers' | 'peerCount' | 'conversations'
  >;
  readonly #stops: (() => void)[];

  constructor(
    session: Pick<RoomSession, 'on' | 'room' | 'self' | 'peers' | 'peerCount' | 'conversations'>,
    sink: RoomEventSink,
  ) {
    this.#session = session;
    const { emit } = sink;
    this.#stops = [
      session.on('state', (state) => emit({ type: 'state', state })),
      session.on('welcome', (welcome) => sink.welcome?.(welcome)),
      session.on('entry', (entry) => emit({ type: 'entry', entry })),
      session.on('conversations', (conversations) =>
        emit({ type: 'conversations', conversations }),
      ),
      session.on('peers', (peers) => emit({ type: 'peers', peers })),
      session.on('renamed', (peer) => {
        if (peer.id === session.self?.id) sink.renamedSelf?.();
      }),
      session.on('joined', (peer) => emit({ type: 'joined', peer })),
      session.on('left', (peer) => emit({ type: 'left', peer })),
      session.on('typing', ({ conv, peer }) => emit({ type: 'typing', conv, peer })),
      session.on('outbox', (outbox, changes) => emit({ type: 'outbox', outbox, changes })),
      session.on('error', ({ code }) =>
        emit({ type: 'error', code, message: hostErrorSentence(code) }),
      ),
      session.on('gap', ({ conv }) => emit({ type: 'gap', conv })),
      session.on('roomChanged', ({ previous, current }) =>
        emit({ type: 'roomChanged', previous, current }),
      ),
      session.on('ended', (reason) => sink.ended({ type: 'ended', reason })),
    ];
  }

  /** The room as the session knows it now, seen from `place`; none before a welcome. */
  summary(place: Readonly<RoomPlace>): RoomSummary | undefined {
    const { room, self } = this.#session;
    if (!room || !self) return undefined;
    return {
      room,
      self,
      peers: this.#session.peers,
      peerCount: this.#session.peerCount,
      conversations: this.#session.conversations,
      hosting: place.hosting,
      addresses: [...place.addresses],
      ...(place.invites && { invites: [...place.invites] }),
      ...(place.fingerprint && { fingerprint: place.fingerprint }),
    };
  }

  /** Stops listening to the session; nothing reaches the sink afterwards. Idempotent. */
  stop(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }
}
