/**
 * The room behind the desktop bridge: hosts a room in this process (over TLS with this computer's
 * certificate, advertised on the LAN) and joins it over loopback, or joins someone else's by
 * address or invite (pinned to its certificate, resuming the session it had there before an app
 * restart). What the room's session sees reaches the window through the shared room adapter
 * (protocol/client/room-adapter.ts), as it does on the browser guest page.
 * Plain Node (no Electron), so it is tested with real sockets under vitest.
 *
 * Methods throw BridgeErrors (`{code, message}` with a sentence fit to show).
 */
import * as v from 'valibot';
import { httpOriginOf, resolveJoinTarget } from '../../../protocol/client/address';
import { identityForRoom } from '../../../protocol/client/identity-key';
import type { EndedEvent } from '../../../protocol/client/room-adapter';
import { sessionRequests, type SessionRequests } from '../../../protocol/client/room-requests';
import {
  hostRequestSchema,
  joinRequestSchema,
  type HostRequest,
  type JoinRequest,
  type RoomEvent,
  type RoomSummary,
} from '../../../protocol/bridge';
import type { ParleyHost } from '../../host/types';
import type { RoomStore } from '../../host/store/room-store';
import type { HostCertificate } from '../../tls/certificate';
import { KnownRoomsError, openKnownRooms, type KnownRooms } from '../../tls/known-rooms';
import { appError, isBridgeError } from './app-errors';
import { addressError, certificateError, hostStartError, storeOpenError } from './room-errors';
import { knownRoomsError, trustJoinTarget } from './join-trust';
import { newAttempt, untilAbandoned, type Attempt, type Phase, type Target } from './room-attempt';
import { advertisedAddresses, loopbackHostFor, reachableAddresses } from './bind-address';
import { ActiveRoom } from './active-room';
import { HostAdvert } from '../../discovery/host-advert';
import { RoomInvites } from './invites';
import { SnapshotKeeper } from './snapshot-keeper';
import { RoomTransfers } from './room-transfers';
import { transferRequests, type TransferRequests } from './transfer-requests';
import {
  controllerSettings,
  type ControllerSettings,
  type RoomControllerOptions,
} from './room-controller-options';

export type { RoomControllerOptions } from './room-controller-options';

/** The invite named another room than the one that answered (a new host at that address). */
function otherRoomNotice(roomName: string): RoomEvent {
  return {
    type: 'notice',
    code: 'other_room',
    message: `This address now hosts the room “${roomName}”, not the one you were invited to.`,
  };
}

/** A reconnect met another certificate; the session keeps trying, pinned, and sends it nothing. */
const IDENTITY_MISMATCH_NOTICE: RoomEvent = {
  type: 'notice',
  code: 'identity_mismatch',
  message:
    'The host now presents another certificate, so Parley does not reconnect to it: someone may be intercepting the connection, or the host made a new identity. Leave the room and join again to compare its fingerprint.',
};

function parseRequest<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw appError('bad_argument', result.issues[0]?.message);
  return result.output;
}

export class RoomController {
  readonly #settings: ControllerSettings;
  readonly #knownRooms: KnownRooms;
  #phase: Phase = { kind: 'idle' };

  /** Send, retry, typing and older history: answered by the session of the room the app is in. */
  readonly requests: SessionRequests = sessionRequests({
    session: () => (this.#phase.kind === 'in-room' ? this.#phase.room.session : undefined),
    notInRoom: appError('not_in_room'),
    badArgument: appError('bad_argument'),
  });

  /** Uploads, downloads and cancelling them: the transfers of the room the app is in. */
  readonly transfers: TransferRequests = transferRequests(() =>
    this.#phase.kind === 'in-room' ? this.#phase.room.transfers : undefined,
  );

  constructor(options: RoomControllerOptions) {
    const { settings, knownRoomsFile } = controllerSettings(options);
    this.#settings = settings;
    this.#knownRooms = openKnownRooms(knownRoomsFile);
  }

  /** True while this app hosts the room it is in (closing it ends the room for everyone). */
  get hosting(): boolean {
    return this.#phase.kind === 'in-room' && this.#phase.room.hosting;
  }

  get summary(): RoomSummary | undefined {
    return this.#phase.kind === 'in-room' ? this.#phase.room.summary() : undefined;
  }

  /** Every RoomEvent, in order; returns the unsubscribe function. */
  subscribe(listener: (event: RoomEvent) => void): () => void {
    return this.#settings.events.subscribe(listener);
  }

  async host(request: HostRequest): Promise<RoomSummary> {
    const { roomName, name, password, port } = parseRequest(hostRequestSchema, request);
    return this.#enter(async (attempt) => {
      const certificate = await this.#hostCertificate();
      const store = await this.#openStore(roomName);
      try {
        attempt.host = await this.#settings.startHost({
          ...this.#settings.hostOptions,
          port,
          host: this.#settings.bindAddress,
          roomName,
          password: password || undefined,
          store,
          tls: { cert: certificate.cert, key: certificate.key },
        });
      } catch (error) {
        await store.close().catch(() => undefined);
        throw hostStartError(error, port);
      }
      // The app's own session never leaves this machine: loopback cleartext is enough.
      const url = `ws://${loopbackHostFor(this.#settings.bindAddress)}:${attempt.host.port}/ws`;
      const { fingerprint256 } = attempt.host;
      // The room's own certificate, though this app reaches it over loopback cleartext.
      const identity = await this.#identityFor(attempt.host.room.id, fingerprint256);
      return {
        url,
        address: url,
        name,
        password: password || undefined,
        host: attempt.host,
        ...(fingerprint256 !== undefined && { fingerprint256 }),
        ...(identity !== undefined && { identity }),
      };
    });
  }

  /**
   * Joins by address, `wss://` or `ws://` URL, guest page URL or `parley://` invite. Encrypted
   * unless `ws://` is typed: pinned to the invite's or the request's fingerprint, or to the one
   * remembered for the room. A room never seen rejects with `confirm_identity` (join again with
   * its fingerprint once the person compared it), a changed one with `identity_changed`.
   */
  async join(request: JoinRequest): Promise<RoomSummary> {
    const { address, name, password, fingerprint } = parseRequest(joinRequestSchema, request);
    return this.#enter(async (attempt) => {
      let target;
      try {
        target = resolveJoinTarget(address, fingerprint);
      } catch (error) {
        throw addressError(error);
      }
      const trusted = await untilAbandoned(
        attempt,
        trustJoinTarget(target, {
          knownRooms: this.#knownRooms,
          address,
          timeoutMs: this.#settings.trustTimeoutMs,
          withPassword: Boolean(password),
          onIdentityMismatch: () => {
            if (this.#phase.kind !== 'in-room') return false;
            this.#emit(IDENTITY_MISMATCH_NOTICE);
            return true;
          },
          log: this.#settings.log,
        }),
      );
      const saved = await this.#settings.sessionSnapshots
        ?.load(target.url, name)
        .catch((error: unknown) => this.#settings.log('parley: no saved session', error));
      const roomId = trusted.roomId ?? (await untilAbandoned(attempt, this.#askRoomId(target.url)));
      // A session saved in another room that had this address is no resume here: the host honours
      // an identity's cursors whatever the token, so they would skip this room's latest entries.
      const resume = saved && (roomId === undefined || saved.roomId === roomId) ? saved : undefined;
      const identity =
        roomId === undefined
          ? undefined
          : await this.#identityFor(roomId, target.secure ? trusted.fingerprint256 : undefined);
      return {
        url: target.url,
        address,
        name,
        password: password || undefined,
        host: undefined,
        ...(trusted.WebSocket && { WebSocket: trusted.WebSocket }),
        ...(trusted.tls && { tls: trusted.tls }),
        ...(trusted.fingerprint256 !== undefined && { fingerprint256: trusted.fingerprint256 }),
        ...(identity !== undefined && { identity }),
        welcomed: trusted.welcomed,
        ...(target.roomId !== undefined && { invitedTo: target.roomId }),
        snapshot: { key: target.url, resume },
      };
    });
  }

  /** Forgets the certificate remembered for a room, so the next join asks as on a first visit. */
  async forgetRoom(roomId: string): Promise<void> {
    try {
      await this.#knownRooms.forget(roomId);
    } catch (error) {
      if (error instanceof KnownRoomsError) throw knownRoomsError(error);
      throw error;
    }
  }

  /** Leaves the room; when hosting, also stops the host (everyone else sees the room end). */
  async leave(): Promise<void> {
    const phase = this.#phase;
    if (phase.kind === 'leaving') return phase.done;
    if (phase.kind === 'connecting') {
      // The pending host()/join() rejects with 'cancelled' and cleans up after itself.
      phase.attempt.abandon();
      await phase.attempt.room?.close();
      await phase.attempt.done;
      return;
    }
    if (phase.kind !== 'in-room') return;
    await this.#closeRoom(phase.room, {
      type: 'ended',
      reason: { code: 'closed', message: 'You left the room.' },
    });
  }

  #emit(event: RoomEvent): void {
    this.#settings.events.emit(event);
  }

  /**
   * What this app sends as its identity to the room `roomId`; without a device secret (its file
   * cannot be written) it joins as an ephemeral peer rather than not at all.
   */
  async #identityFor(roomId: string, fingerprint256: string | undefined) {
    try {
      return identityForRoom(await this.#settings.deviceSecret(), roomId, fingerprint256);
    } catch (error) {
      this.#settings.log('parley: no device secret; joining without an identity', error);
      return undefined;
    }
  }

  /** The id of the room at a `ws://` address (its identity depends on it); undefined if unsaid. */
  async #askRoomId(url: string): Promise<string | undefined> {
    try {
      return (await this.#settings.roomInfo(url, this.#settings.trustTimeoutMs)).id;
    } catch (error) {
      this.#settings.log('parley: the room did not say its id; joining without an identity', error);
      return undefined;
    }
  }

  async #hostCertificate(): Promise<HostCertificate> {
    try {
      return await this.#settings.ensureCertificate(this.#settings.tlsDir);
    } catch (error) {
      this.#settings.log('parley: no certificate to host with', error);
      throw certificateError(error);
    }
  }

  async #openStore(roomName: string): Promise<RoomStore> {
    let store: RoomStore;
    try {
      store = await this.#settings.openStore(roomName);
    } catch (error) {
      throw storeOpenError(error);
    }
    // One history per app: hosting under a new name renames the room but keeps its id and past.
    if (store.room.name !== roomName) store.renameRoom(roomName);
    return store;
  }

  /**
   * One host or join attempt: claims the controller, prepares the target, connects, and leaves
   * everything stopped and idle again if a step fails or the user leaves meanwhile.
   */
  async #enter(prepare: (attempt: Attempt) => Promise<Target>): Promise<RoomSummary> {
    if (this.#phase.kind === 'in-room') throw appError('in_room');
    if (this.#phase.kind !== 'idle') throw appError('busy');
    const attempt = newAttempt();
    this.#phase = { kind: 'connecting', attempt };
    try {
      const target = await prepare(attempt);
      if (attempt.cancelled) throw appError('cancelled');
      const room = this.#createRoom(target);
      attempt.room = room;
      const summary = await room.open();
      await target.welcomed?.(summary.room.id);
      if (attempt.cancelled) throw appError('cancelled');
      this.#phase = { kind: 'in-room', room };
      room.release();
      if (target.invitedTo !== undefined && target.invitedTo !== summary.room.id) {
        this.#emit(otherRoomNotice(summary.room.name));
      }
      return summary;
    } catch (error) {
      await attempt.room?.close();
      await attempt.host
        ?.close()
        .catch((e: unknown) => this.#settings.log('parley: host close', e));
      this.#phase = { kind: 'idle' };
      if (attempt.cancelled) throw appError('cancelled');
      if (isBridgeError(error)) throw error;
      this.#settings.log('parley: could not enter the room', error);
      throw appError('internal');
    } finally {
      attempt.finish();
    }
  }

  #createRoom(target: Target): ActiveRoom {
    const { host, snapshot } = target;
    const { log, sessionSnapshots } = this.#settings;
    const session = this.#settings.createSession({
      ...this.#settings.sessionOptions,
      url: target.url,
      name: target.name,
      ...(target.password !== undefined && { password: target.password }),
      ...(target.identity !== undefined && { identity: target.identity }),
      WebSocket: target.WebSocket ?? this.#settings.WebSocket,
      ...(snapshot?.resume && { resume: snapshot.resume }),
    });
    const keeper =
      snapshot && sessionSnapshots
        ? new SnapshotKeeper({
            session,
            save: (current, name) => sessionSnapshots.save(snapshot.key, name, current),
            log,
          })
        : undefined;
    const room: ActiveRoom = new ActiveRoom({
      session,
      host,
      ...(target.fingerprint256 !== undefined && { fingerprint256: target.fingerprint256 }),
      address: target.address,
      addresses: (port) =>
        reachableAddresses(this.#settings.joinAddresses(port), this.#settings.bindAddress, port),
      ...(host && {
        invites: new RoomInvites({ roomId: host.room.id, fingerprint: host.fingerprint256 }, log),
        advert: this.#advertFor(host, target.password !== undefined),
      }),
      ...(keeper && { snapshots: keeper }),
      transfers: new RoomTransfers({
        session,
        origin: httpOriginOf(target.url),
        ...(target.tls && { tls: target.tls }),
        downloadsDir: this.#settings.downloadsDir,
        urlStorageFile: this.#settings.uploadsFile,
        emit: (event) => this.#emit(event),
      }),
      emit: (event) => this.#emit(event),
      onEnded: (event) => void this.#closeRoom(room, event),
      log,
    });
    return room;
  }

  #advertFor(host: ParleyHost, password: boolean): HostAdvert {
    const addresses = advertisedAddresses(this.#settings.bindAddress);
    return new HostAdvert({
      advertise: this.#settings.advertiseRoom,
      host,
      password,
      ...(addresses && { addresses }),
      notice: (event) => this.#emit(event),
      log: this.#settings.log,
    });
  }

  /** Closes a room (and its host) once, then tells the window it ended. */
  async #closeRoom(room: ActiveRoom, ended: EndedEvent): Promise<void> {
    if (this.#phase.kind !== 'in-room' || this.#phase.room !== room) return;
    const done = room.close().finally(() => {
      this.#phase = { kind: 'idle' };
    });
    this.#phase = { kind: 'leaving', done };
    await done;
    this.#emit({ type: 'state', state: 'closed' });
    this.#emit(ended);
  }
}
