/**
 * Who is in the room: people (peers) with their live sessions, the names they hold, and the two
 * peer lists welcomes carry (parley.v1's in join order, parley.v2's by name). One person may be
 * connected several times (one identity in two windows, parley.v2); it is present from its first
 * session to the end of its last, and holds its name meanwhile.
 *
 * Pure state: the room (room.ts) tells everyone about changes.
 */
import type { Channel } from './channel';
import type { Peer } from '../../protocol/wire/frames';
import type { PeerV2 } from '../../protocol/wire/entries';
import { nameKey } from '../../protocol/wire/text';
import { PeerListBytes, type PeerListSnapshot } from './peer-list';
import { SortedPeers } from './sorted-peers';

/** A connection that can hold a session: a parley.v1, plain or parley.v2 client. */
export interface RoomMember {
  readonly mode: 'v1' | 'plain' | 'v2';
  readonly channel: Channel;
  /** Set by the room when the member joins or takes a session over. */
  session: Session | undefined;
}

/** One connection's place in the room: whose it is, and the token that resumes it. */
export interface Session {
  readonly person: Person;
  /** The SHA-256 of the session's resume token (a resume with it takes this session over). */
  readonly tokenHash: string;
  /** The connection currently speaking for this session (changes on a takeover). */
  member: RoomMember;
}

export class Person {
  #peer: PeerV2;
  #v1Peer: Peer;
  #key: string;
  readonly sessions = new Set<Session>();
  /**
   * When typing was last relayed, per conversation (performance.now()); made on the first typing,
   * as most people of a large room never type and an empty Map costs each of them ~150 bytes.
   */
  lastTyping: Map<string, number> | undefined;
  /**
   * Read markers by conversation: loaded from the store for an identity, kept here otherwise
   * (conversation-view.ts). Undefined until loaded; null once loaded while there are none, as most
   * people joining a large room have none and an empty Map would cost each of them ~150 bytes.
   */
  reads: Map<string, number> | null | undefined;

  constructor(peer: PeerV2) {
    this.#peer = Object.freeze({ ...peer });
    this.#v1Peer = Object.freeze({ id: peer.id, name: peer.name });
    this.#key = nameKey(peer.name);
  }

  get id(): string {
    return this.#peer.id;
  }

  /** As parley.v2 shows it (with `ephemeral` when it came without an identity). */
  get peer(): PeerV2 {
    return this.#peer;
  }

  /** As parley.v1 shows it: `{id, name}`. */
  get v1Peer(): Peer {
    return this.#v1Peer;
  }

  get name(): string {
    return this.#peer.name;
  }

  /** Its name's nameKey (names are unique, and sorted, by it). */
  get key(): string {
    return this.#key;
  }

  /** True for a peer that came with an identity: it may have direct conversations. */
  get hasIdentity(): boolean {
    return this.#peer.ephemeral !== true;
  }

  rename(name: string): void {
    this.#peer = Object.freeze({ ...this.#peer, name });
    this.#v1Peer = Object.freeze({ id: this.#peer.id, name });
    this.#key = nameKey(name);
  }

  /** Every live connection of this person. */
  *members(): IterableIterator<RoomMember> {
    for (const session of this.sessions) yield session.member;
  }
}

export class People {
  /** Present people by id, in the order they arrived. */
  private readonly byId = new Map<string, Person>();
  private readonly byToken = new Map<string, Session>();
  /** nameKey -> the id of the person holding that name. */
  private readonly nameOwners = new Map<string, string>();
  private readonly v1List = new PeerListBytes();
  readonly sorted = new SortedPeers();
  private guestCounter = 0;

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Person | undefined {
    return this.byId.get(id);
  }

  /** Everyone present, in arrival order. */
  all(): IterableIterator<Person> {
    return this.byId.values();
  }

  /** The id of the present person holding `name` (by nameKey), if any. */
  nameHolder(name: string): string | undefined {
    return this.nameOwners.get(nameKey(name));
  }

  /** The live session a resume token belongs to, if its connection is still open. */
  sessionOf(tokenHash: string): Session | undefined {
    return this.byToken.get(tokenHash);
  }

  /** `guest-N`, N counting up per host, skipping names someone already holds. */
  guestName(): string {
    for (let attempt = 0; attempt <= this.byId.size; attempt++) {
      const name = `guest-${++this.guestCounter}`;
      if (!this.nameHolder(name)) return name;
    }
    return `guest-${++this.guestCounter}`;
  }

  /**
   * Everyone present as parley.v1 shows them, as JSON array items (raw and compressed), shared
   * by every parley.v1 welcome until someone leaves.
   */
  v1PeerItems(): PeerListSnapshot {
    return this.v1List.snapshot(() => Array.from(this.byId.values(), (person) => person.v1Peer));
  }

  /** A person arrives (its first session follows). */
  arrive(peer: PeerV2): Person {
    const person = new Person(peer);
    this.byId.set(person.id, person);
    this.nameOwners.set(person.key, person.id);
    this.v1List.joined(person.v1Peer);
    this.sorted.add(person);
    return person;
  }

  /** The last session of `person` ended. */
  depart(person: Person): void {
    if (this.byId.get(person.id) !== person) return;
    this.byId.delete(person.id);
    if (this.nameOwners.get(person.key) === person.id) this.nameOwners.delete(person.key);
    this.v1List.left();
    this.sorted.delete(person);
  }

  addSession(session: Session): void {
    session.person.sessions.add(session);
    this.byToken.set(session.tokenHash, session);
  }

  /** True when it was the person's last session. */
  removeSession(session: Session): boolean {
    session.person.sessions.delete(session);
    if (this.byToken.get(session.tokenHash) === session) this.byToken.delete(session.tokenHash);
    return session.person.sessions.size === 0;
  }

  /** Gives a present person another name (the caller checked nobody else holds it). */
  rename(person: Person, name: string): void {
    this.sorted.delete(person);
    if (this.nameOwners.get(person.key) === person.id) this.nameOwners.delete(person.key);
    person.rename(name);
    this.nameOwners.set(person.key, person.id);
    this.sorted.add(person);
    // The v1 list is rebuilt on the next welcome.
    this.v1List.left();
  }
}
