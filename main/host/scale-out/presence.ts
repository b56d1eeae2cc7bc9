/**
 * Who is in a room that several hosts share, and the names they hold: each host admits its own
 * sessions in Redis (one script: the name claimed room-wide, the person present on this host,
 * the session saved) and takes people out when their last session here ends. The room's
 * `joined`, `left` and renames come back to every host through the stream (follower.ts).
 *
 * A host holds a lease in Redis and renews it; every host looks for hosts whose lease ran out and
 * takes their people out of the room (one script, once), so a host that dies is noticed within
 * `leaseMs + checkEveryMs`. A host that finds its own lease gone (it was paused for longer than
 * the lease, or cut off from Redis) announces its people again.
 */
import type { PeerV2 } from '../../../protocol/wire/entries';
import { nameKey } from '../../../protocol/wire/text';
import type { Admission, AdmitVerdict } from '../admission';
import type { Person } from '../people';
import type { Room } from '../room';
import { hashToken } from '../tokens';
import type { Outbox } from './outbox';
import { describe, UnavailableError } from './redis-link';
import type { ReplicaStore } from './replica-store';
import type { SharedRoom } from './shared-room';

export interface PresenceOptions {
  /** How long a host's lease lasts without renewal (ms). */
  leaseMs: number;
  /** How often a host renews its lease and looks for dead hosts (ms). */
  checkEveryMs: number;
}

/** A dead host's people get `left` within leaseMs + checkEveryMs (under 10 s). */
export const PRESENCE_DEFAULTS: PresenceOptions = { leaseMs: 6000, checkEveryMs: 2000 };

export class Presence implements Admission {
  #room: Room | undefined;
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  /** Admissions in flight per peer: its last session ending meanwhile does not take it out. */
  readonly #admitting = new Map<string, number>();
  #stopped = false;

  constructor(
    private readonly shared: SharedRoom,
    private readonly replica: ReplicaStore,
    private readonly outbox: Outbox,
    private readonly options: PresenceOptions,
    private readonly problem: (why: string) => void,
  ) {}

  attach(room: Room): void {
    this.#room = room;
  }

  /** Takes the lease and starts renewing it. */
  async start(): Promise<void> {
    await this.shared.renewLease(this.options.leaseMs);
    this.#timer = setInterval(() => void this.check(), this.options.checkEveryMs);
    this.#timer.unref();
  }

  /** Renews the lease, then takes out the people of hosts whose lease ran out. */
  check(): Promise<void> {
    this.#checking ??= this.#check().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #check(): Promise<void> {
    if (this.#stopped || !this.shared.isReady) return;
    try {
      const held = await this.shared.renewLease(this.options.leaseMs);
      if (!held) await this.reannounce();
      await this.shared.reapDeadHosts();
    } catch (error) {
      if (!(error instanceof UnavailableError)) this.problem(`presence: ${describe(error)}`);
    }
  }

  /** This host was taken for dead: everyone with a session here is present again. */
  async reannounce(): Promise<void> {
    const room = this.#room;
    if (!room) return;
    for (const person of [...room.people.all()]) {
      if (person.sessions.size === 0) continue;
      const result = await this.shared.arrive(person.peer, person.key, undefined);
      if (result.kind === 'taken') this.problem(`${person.name} lost its name while away`);
    }
  }

  async knowSession(token: string | undefined): Promise<void> {
    if (token === undefined) return;
    const tokenHash = hashToken(token);
    if (this.replica.cache.findSession(tokenHash) || !this.shared.isReady) return;
    try {
      const record = await this.shared.findSession(tokenHash);
      if (record) this.replica.cache.saveSession(tokenHash, record.peer);
    } catch (error) {
      // The hello goes on without it (a fresh session); admission then says whether Redis is back.
      if (!(error instanceof UnavailableError)) this.problem(`session: ${describe(error)}`);
    }
  }

  async admit(peer: PeerV2, tokenHash: string | undefined): Promise<AdmitVerdict> {
    if (!this.shared.isReady) return 'unavailable';
    this.#admitting.set(peer.id, (this.#admitting.get(peer.id) ?? 0) + 1);
    try {
      const session = tokenHash === undefined ? undefined : { peer, used: Date.now() };
      const result = await this.shared.arrive(
        peer,
        nameKey(peer.name),
        session && tokenHash !== undefined ? { tokenHash, record: session } : undefined,
      );
      if (result.kind === 'taken') return 'name_taken';
      // What this identity marked read, wherever: the replica may not have it yet.
      for (const [conv, seq] of result.reads) this.replica.cache.saveRead(peer.id, conv, seq);
      if (tokenHash !== undefined) this.replica.admitted.add(tokenHash);
      return 'admitted';
    } catch (error) {
      if (!(error instanceof UnavailableError)) this.problem(`admission: ${describe(error)}`);
      return 'unavailable';
    } finally {
      const left = (this.#admitting.get(peer.id) ?? 1) - 1;
      if (left > 0) this.#admitting.set(peer.id, left);
      else this.#admitting.delete(peer.id);
    }
  }

  abandon(peerId: string): void {
    const person = this.#room?.people.get(peerId);
    if (person && person.sessions.size > 0) return;
    this.#depart(peerId);
  }

  /** The person's last session here ended (room.ts). */
  departed(person: Person): void {
    this.#depart(person.id);
  }

  #depart(peerId: string): void {
    if ((this.#admitting.get(peerId) ?? 0) > 0) return;
    this.outbox.push(async () => {
      // Back meanwhile (a reconnect to this host): it stays.
      const person = this.#room?.people.get(peerId);
      if (person && person.sessions.size > 0) return;
      if ((this.#admitting.get(peerId) ?? 0) > 0) return;
      await this.shared.depart(peerId);
    });
  }

  /** Stops renewing; on a clean shutdown everyone here leaves the room at once. */
  async stop(leave: boolean): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#checking;
    if (!leave || !this.shared.isReady) return;
    try {
      await this.shared.dropLease();
      await this.shared.reap(this.shared.hostId);
    } catch (error) {
      // The others reap this host once its lease runs out.
      if (!(error instanceof UnavailableError)) this.problem(`leaving: ${describe(error)}`);
    }
  }
}
