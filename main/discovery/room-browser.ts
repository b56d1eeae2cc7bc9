/**
 * Keeps a live list of the Parley rooms advertised on the LAN (`_parley._tcp`).
 *
 * bonjour-service's `Browser` assembles services from PTR, SRV and TXT records and handles
 * goodbyes; it is fed only validated packets (see mdns-socket.ts). This module adds what it lacks:
 * - liveness: a room lives as long as the TTL of its SRV record, refreshed by every packet that
 *   carries that record; at 80, 85, 90 and 95 % of the TTL the browser asks again (RFC 6762
 *   §5.2), so a live room stays and a host that vanished without a goodbye drops out;
 * - continuous querying, at growing intervals (1 s, 2 s, 4 s … up to `maxQueryIntervalMs`), so a
 *   lost announcement does not hide a room for long;
 * - validation of each advert (room-txt.ts): an invalid or hostile advert is not listed;
 * - one 'change' event with the whole list, sorted by name, whenever the list changes.
 */
import { EventEmitter } from 'node:events';
import * as v from 'valibot';
import { Browser } from 'bonjour-service/dist/lib/browser.js';
import type { Service } from 'bonjour-service/dist/lib/service.js';
import { preferredAddresses } from './address-preference';
import { DiscoveryError, describeCause, type DiscoveryWarning } from './discovery-error';
import { MdnsSocket, type MdnsOptions, type MdnsPacket, type Remote } from './mdns-socket';
import { SERVICE_DOMAIN, SERVICE_TYPE, parseRoomTxt, type RoomDescription } from './room-txt';

export interface DiscoveredRoom extends RoomDescription {
  /** The SRV target host name. */
  host: string;
  port: number;
  /**
   * Addresses to try, best first (address-preference.ts): the advertised ones on a network this
   * machine shares, then other routable ones, then loopback for a room on this machine. The order
   * depends on the advert alone, never on the path a packet took.
   */
  addresses: string[];
  /** The DNS-SD instance (unique per advert): the key for lists. */
  instance: string;
}

export interface RoomBrowserOptions {
  mdns?: MdnsOptions;
  /** How often TTLs are checked. Default 1000 ms. */
  sweepIntervalMs?: number;
  /** Longest interval between two queries for rooms. Default 60 s. */
  maxQueryIntervalMs?: number;
  /** Longest TTL believed, so a bogus advert cannot linger for days. Default 3600 s. */
  maxTtlSeconds?: number;
  /** Most rooms listed; further adverts are ignored (a flood of fake ones). Default 200. */
  maxRooms?: number;
}

export interface RoomBrowserEvents {
  change: [rooms: DiscoveredRoom[]];
  warning: [warning: DiscoveryWarning];
}

const optionsSchema = v.strictObject({
  mdns: v.optional(v.unknown()),
  sweepIntervalMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10)), 1000),
  maxQueryIntervalMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1000)), 60_000),
  maxTtlSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 3600),
  maxRooms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), 200),
});

/** Fractions of the TTL at which a room that was not heard from is asked about again. */
const REFRESH_POINTS = [0.8, 0.85, 0.9, 0.95];
/** After a goodbye for its SRV record, a room stays one more second (RFC 6762 §10.1). */
const GOODBYE_GRACE_MS = 1000;
const FIRST_QUERY_INTERVAL_MS = 1000;

interface Entry {
  room: DiscoveredRoom;
  lastSeen: number;
  ttlMs: number;
  refreshQueries: number;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function compareRooms(a: DiscoveredRoom, b: DiscoveredRoom): number {
  return (
    a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) ||
    a.roomId.localeCompare(b.roomId) ||
    a.instance.localeCompare(b.instance)
  );
}

export class RoomBrowser extends EventEmitter<RoomBrowserEvents> {
  private readonly settings: v.InferOutput<typeof optionsSchema>;
  private readonly socket: MdnsSocket;
  private readonly browser: Browser;
  private readonly entries = new Map<string, Entry>();
  private readonly sweepTimer: NodeJS.Timeout;
  private queryInterval = FIRST_QUERY_INTERVAL_MS;
  private nextQueryAt: number;
  private listed: DiscoveredRoom[] = [];
  private stopping: Promise<void> | undefined;

  /** Starts browsing; throws DiscoveryError `bad_options` for invalid options. */
  constructor(options: RoomBrowserOptions = {}) {
    super();
    const checked = v.safeParse(optionsSchema, options);
    if (!checked.success) {
      const issue = checked.issues[0];
      const key = issue.path?.map((item) => String(item.key)).join('.') ?? 'options';
      throw new DiscoveryError('bad_options', `Bad room browser option ${key}: ${issue.message}`);
    }
    this.settings = checked.output;
    this.socket = new MdnsSocket(options.mdns, (warning) => this.emit('warning', warning));
    // The Browser sees a stand-in for the socket that only ever carries validated packets.
    const feed = Object.assign(new EventEmitter(), {
      query: (name: string, type: 'PTR') => this.socket.query(name, type),
    });
    this.browser = new Browser(feed, { type: SERVICE_TYPE });
    this.socket.onResponse((packet, from) => {
      try {
        feed.emit('response', packet, from);
      } catch (error) {
        this.emit('warning', { code: 'mdns_warning', message: describeCause(error), cause: error });
      }
      this.absorb(packet, from);
    });
    this.nextQueryAt = Date.now() + this.queryInterval;
    this.sweepTimer = setInterval(() => this.sweep(), this.settings.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /** Resolves once the socket is bound; rejects with DiscoveryError `mdns_unavailable`. */
  get ready(): Promise<void> {
    return this.socket.ready;
  }

  /** The rooms found so far, sorted by name. */
  rooms(): DiscoveredRoom[] {
    return this.listed.map((room) => ({ ...room, addresses: [...room.addresses] }));
  }

  /** Asks the network again now (for example when the user opens the list of rooms). */
  refresh(): void {
    if (this.stopping) return;
    this.queryInterval = FIRST_QUERY_INTERVAL_MS;
    this.nextQueryAt = Date.now() + this.queryInterval;
    this.browser.update();
  }

  /** Stops browsing and closes the socket. Idempotent; no events after it. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.sweepTimer);
      this.browser.stop();
      await this.socket.close();
    })();
    return this.stopping;
  }

  /** Brings the list in line with what the Browser knows after a packet. */
  private absorb(packet: MdnsPacket, from: Remote): void {
    if (this.stopping) return;
    const now = Date.now();
    const records = [...packet.answers, ...packet.additionals];
    const services = this.browser.services;
    for (const srv of records) {
      if (srv.type !== 'SRV' || !srv.name.toLowerCase().endsWith(`.${SERVICE_DOMAIN}`)) continue;
      const key = srv.name.toLowerCase();
      const existing = this.entries.get(key);
      if (srv.ttl === 0) {
        if (existing)
          existing.ttlMs = Math.min(existing.ttlMs, now - existing.lastSeen + GOODBYE_GRACE_MS);
        continue;
      }
      const service = services.find((candidate) => sameName(candidate.fqdn, srv.name));
      if (!service) continue;
      const room = this.describe(service, records, from, existing);
      if (!room) {
        // A packet without the TXT record (a partial answer) says nothing against the room;
        // a TXT record that fails validation means it is no longer a valid advert.
        const hasTxt = typeof service.txt === 'object' && Object.keys(service.txt ?? {}).length > 0;
        if (existing && !hasTxt) this.touch(existing, now, srv.ttl);
        else this.entries.delete(key);
        continue;
      }
      if (!existing && this.entries.size >= this.settings.maxRooms) continue;
      const entry = existing ?? { room, lastSeen: now, ttlMs: 0, refreshQueries: 0 };
      entry.room = room;
      this.touch(entry, now, srv.ttl);
      this.entries.set(key, entry);
    }
    // Goodbyes for the PTR record are handled by the Browser: it forgets the service.
    for (const key of this.entries.keys()) {
      if (!services.some((service) => sameName(service.fqdn, key))) this.entries.delete(key);
    }
    this.publish();
  }

  private touch(entry: Entry, now: number, ttlSeconds: number): void {
    entry.lastSeen = now;
    entry.ttlMs = Math.min(ttlSeconds, this.settings.maxTtlSeconds) * 1000;
    entry.refreshQueries = 0;
  }

  private describe(
    service: Service,
    records: MdnsPacket['answers'],
    from: Remote,
    existing: Entry | undefined,
  ): DiscoveredRoom | undefined {
    const room = parseRoomTxt(service.txt);
    if (!room || !Number.isInteger(service.port) || service.port < 1) return undefined;
    const advertised = records
      .filter((r) => (r.type === 'A' || r.type === 'AAAA') && sameName(r.name, service.host))
      .map((r) => String(r.data));
    // A packet without address records (a partial answer) keeps what an earlier one said.
    const known = advertised.length === 0 ? existing?.room.addresses : undefined;
    const addresses = known ?? preferredAddresses(advertised, from.address);
    return { ...room, host: service.host, port: service.port, addresses, instance: service.fqdn };
  }

  private sweep(): void {
    if (this.stopping) return;
    const now = Date.now();
    let ask = false;
    for (const [key, entry] of this.entries) {
      const age = now - entry.lastSeen;
      if (age >= entry.ttlMs) {
        this.entries.delete(key);
        continue;
      }
      const due = REFRESH_POINTS.filter((point) => age >= point * entry.ttlMs).length;
      if (due > entry.refreshQueries) {
        entry.refreshQueries = due;
        ask = true;
      }
    }
    if (now >= this.nextQueryAt) {
      ask = true;
      this.queryInterval = Math.min(this.queryInterval * 2, this.settings.maxQueryIntervalMs);
      this.nextQueryAt = now + this.queryInterval;
    }
    if (ask) this.browser.update();
    this.publish();
  }

  private publish(): void {
    const rooms = [...this.entries.values()].map((entry) => entry.room).sort(compareRooms);
    if (JSON.stringify(rooms) === JSON.stringify(this.listed)) return;
    this.listed = rooms;
    this.emit('change', this.rooms());
  }
}

/** Starts browsing for rooms; listen to 'change' for the list. */
export function browseRooms(options?: RoomBrowserOptions): RoomBrowser {
  return new RoomBrowser(options);
}
