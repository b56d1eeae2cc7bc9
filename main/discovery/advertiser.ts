/**
 * Advertises a hosted room on the LAN with DNS-SD over multicast DNS (`_parley._tcp`), so
 * others see it in their list of rooms without typing an address.
 *
 * Before the first announcement the room's names are claimed (name-claim.ts, RFC 6762 §8): a
 * second host advertising the same room id gets `Room (2)`, not the first one's name. Only the
 * addresses the host listens on are advertised, and nothing for a host on loopback only
 * (advertised-addresses.ts).
 *
 * bonjour-service builds the records (its `Service`) and answers queries for them (its `Server`);
 * this module owns the announcements, because bonjour-service cannot change a published TXT
 * record: `update()` replaces the record in the responder and re-announces it with the
 * cache-flush bit (RFC 6762 §8.4, §10.2), so browsers update in place instead of seeing the room
 * leave and come back. Updates are coalesced to at most one announcement per
 * `minUpdateIntervalMs`, so a room where many people join at once does not flood the network.
 * `stop()` sends goodbyes (TTL 0) so the room disappears from every list at once.
 */
import { EventEmitter } from 'node:events';
import * as v from 'valibot';
import { fingerprintSchema } from '../../protocol/client/fingerprint';
import { roomIdSchema } from '../../protocol/client/invite';
import { PROTOCOL_VERSION } from '../../protocol/wire/limits';
import { DiscoveryError, describeCause, type DiscoveryWarning } from './discovery-error';
import { advertRecords, goodbyeRecords, txtFingerprint } from './advert-records';
import { advertisedAddresses, bindSchema } from './advertised-addresses';
import {
  MdnsSocket,
  confinedInterfaceAddress,
  type MdnsOptions,
  type MdnsRecord,
} from './mdns-socket';
import { claimNames } from './name-claim';
import { encodeRoomTxt, instanceNameFor, targetHostFor, type RoomDescription } from './room-txt';

export interface AdvertiserOptions {
  roomId: string;
  roomName: string;
  /** The TCP port the host listens on. */
  port: number;
  /** People in the room now. Default 0. */
  peers?: number;
  /** The room needs a password. Default false. */
  password?: boolean;
  /** SHA-256 fingerprint of the host's TLS certificate, when it serves TLS. */
  fingerprint?: string;
  /** Which network and port multicast DNS uses (tests: the loopback interface). */
  mdns?: MdnsOptions;
  /**
   * The address the host listens on: `0.0.0.0` or `::` (every address, the default), or one
   * address, then the only one advertised. Loopback only: nothing is advertised (the start
   * rejects with `loopback_only`), unless `mdns.interface` is loopback too.
   */
  bind?: string;
  /**
   * IP addresses advertised for the room, instead of those `bind` implies. Default: the IPv4
   * address of `mdns.interface` when one is given, else every non-internal IPv4 address of the
   * machine (plus IPv6 with `ipv6`). Loopback addresses follow the rule of `bind`.
   */
  addresses?: string[];
  /** Also advertise global and unique-local IPv6 addresses by default. Default false: the host
   * binds IPv4 unless told otherwise. */
  ipv6?: boolean;
  /** TTL of the records that say the room is alive (SRV, A, AAAA). Default 120 s (RFC 6762). */
  ttlSeconds?: number;
  /** Shortest time between two announcements of changed TXT data. Default 1000 ms. */
  minUpdateIntervalMs?: number;
  /** The machine name the SRV target is derived from. Default `os.hostname()`. */
  machineName?: string;
  /** Time between the probes that claim the room's names (RFC 6762 §8.1). Default 250 ms. */
  probeIntervalMs?: number;
}

export interface RoomChanges {
  name?: string;
  peers?: number;
  password?: boolean;
  fingerprint?: string;
}

/** An announcement is sent twice, one second apart (RFC 6762 §8.3), in case one is lost. */
const REPEAT_AFTER_MS = 1000;

const peersSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
const changesSchema = v.strictObject({
  name: v.optional(v.pipe(v.string(), v.maxLength(1024))),
  peers: v.optional(peersSchema),
  password: v.optional(v.boolean()),
  fingerprint: v.optional(fingerprintSchema),
});
const optionsSchema = v.strictObject({
  roomId: roomIdSchema,
  roomName: v.pipe(v.string(), v.maxLength(1024)),
  port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
  peers: v.optional(peersSchema, 0),
  password: v.optional(v.boolean(), false),
  fingerprint: v.optional(fingerprintSchema),
  mdns: v.optional(v.unknown()),
  bind: v.optional(bindSchema),
  addresses: v.optional(v.pipe(v.array(v.pipe(v.string(), v.ip())), v.maxLength(64))),
  ipv6: v.optional(v.boolean(), false),
  ttlSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(4500)), 120),
  minUpdateIntervalMs: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(60_000)), 1000),
  machineName: v.optional(v.pipe(v.string(), v.maxLength(255))),
  probeIntervalMs: v.optional(v.pipe(v.number(), v.minValue(10), v.maxValue(1000)), 250),
});

function parseOrThrow<T extends v.GenericSchema>(schema: T, input: unknown, what: string) {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output as v.InferOutput<T>;
  const issue = result.issues[0];
  const key = issue.path?.map((item) => String(item.key)).join('.') ?? what;
  throw new DiscoveryError('bad_options', `Bad ${what} ${key}: ${issue.message}`);
}

type Settings = ReturnType<typeof parseSettings>;
function parseSettings(options: AdvertiserOptions) {
  return parseOrThrow(optionsSchema, options, 'advertiser option');
}

export class RoomAdvertiser extends EventEmitter<{ warning: [warning: DiscoveryWarning] }> {
  private readonly settings: Settings;
  private readonly addresses: string[];
  private readonly socket: MdnsSocket;
  private current: RoomDescription;
  private records: MdnsRecord[] = [];
  /** Which names the room claimed: 1 for its own, 2 for `Room (2)` after a conflict… */
  private attempt = 1;
  private lastAnnouncedAt = Number.NEGATIVE_INFINITY;
  private updateTimer: NodeJS.Timeout | undefined;
  private repeatTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  /** Use `advertiseRoom()`, which also waits until the first announcement is out. */
  private constructor(settings: Settings, mdns: MdnsOptions | undefined) {
    super();
    this.settings = settings;
    this.current = {
      roomId: settings.roomId,
      name: settings.roomName,
      peers: settings.peers,
      password: settings.password,
      protocol: PROTOCOL_VERSION,
    };
    if (settings.fingerprint !== undefined) this.current.fingerprint = settings.fingerprint;
    // Decided before the socket opens: a room nobody else could reach sends nothing at all.
    this.addresses = advertisedAddresses({
      bind: settings.bind,
      addresses: settings.addresses,
      interfaceAddress: confinedInterfaceAddress(mdns),
      ipv6: settings.ipv6,
    });
    this.socket = new MdnsSocket(mdns, (warning) => this.emit('warning', warning));
  }

  static async start(options: AdvertiserOptions): Promise<RoomAdvertiser> {
    const settings = parseSettings(options);
    const advertiser = new RoomAdvertiser(settings, options.mdns);
    try {
      await advertiser.socket.ready;
      advertiser.attempt = await claimNames({
        socket: advertiser.socket,
        intervalMs: settings.probeIntervalMs,
        candidate: (attempt) => ({ records: advertiser.uniqueRecords(attempt) }),
      });
    } catch (error) {
      await advertiser.socket.close();
      throw error;
    }
    advertiser.records = advertiser.buildRecords();
    advertiser.socket.register(advertiser.records);
    await advertiser.announce();
    return advertiser;
  }

  /** The DNS-SD instance name, e.g. `Kitchen [1a2b3c4d]`, or `Kitchen (2) [1a2b3c4d]`. */
  get instanceName(): string {
    return instanceNameFor(this.settings.roomName, this.settings.roomId, this.attempt);
  }

  /** The host name the SRV record points at. */
  get targetHost(): string {
    return targetHostFor(this.settings.roomId, this.settings.machineName, this.attempt);
  }

  /** What the room's TXT record says now. */
  get txt(): Record<string, string> {
    return encodeRoomTxt(this.current);
  }

  get room(): RoomDescription {
    return { ...this.current };
  }

  /** Sets the number of people in the room (re-announced if it changed). */
  updatePeers(count: number): void {
    this.update({ peers: count });
  }

  /**
   * Changes what the advert says; throws DiscoveryError `bad_options` for invalid values.
   * A new name shows in the TXT record; the instance name keeps the first one (it is only a key).
   */
  update(changes: RoomChanges): void {
    const checked = parseOrThrow(changesSchema, changes, 'room change');
    if (this.stopping) return;
    const next: RoomDescription = { ...this.current };
    if (checked.name !== undefined) next.name = checked.name;
    if (checked.peers !== undefined) next.peers = checked.peers;
    if (checked.password !== undefined) next.password = checked.password;
    if (checked.fingerprint !== undefined) next.fingerprint = checked.fingerprint;
    this.current = next;
    this.scheduleUpdate();
  }

  /** Says goodbye (the room leaves every list) and closes the socket. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.sayGoodbye();
    return this.stopping;
  }

  private async sayGoodbye(): Promise<void> {
    clearTimeout(this.updateTimer);
    clearTimeout(this.repeatTimer);
    this.socket.unregister(this.records);
    await this.send(goodbyeRecords(this.records));
    await this.socket.close();
  }

  private scheduleUpdate(): void {
    if (this.updateTimer !== undefined) return;
    const wait = Math.max(0, this.lastAnnouncedAt + this.settings.minUpdateIntervalMs - Date.now());
    this.updateTimer = setTimeout(() => {
      this.updateTimer = undefined;
      const records = this.buildRecords();
      if (txtFingerprint(records) === txtFingerprint(this.records)) return;
      this.socket.unregister(this.records.filter((record) => record.type === 'TXT'));
      this.records = records;
      this.socket.register(records);
      void this.announce();
    }, wait);
  }

  private async announce(): Promise<void> {
    this.lastAnnouncedAt = Date.now();
    clearTimeout(this.repeatTimer);
    this.repeatTimer = setTimeout(() => void this.send(this.records), REPEAT_AFTER_MS);
    this.repeatTimer.unref();
    await this.send(this.records);
  }

  private async send(records: MdnsRecord[]): Promise<void> {
    try {
      await this.socket.send(records);
    } catch (error) {
      this.emit('warning', {
        code: 'mdns_send_failed',
        message: describeCause(error),
        cause: error,
      });
    }
  }

  private buildRecords(attempt = this.attempt): MdnsRecord[] {
    const { roomName, roomId, machineName, port, ttlSeconds } = this.settings;
    return advertRecords({
      instanceName: instanceNameFor(roomName, roomId, attempt),
      targetHost: targetHostFor(roomId, machineName, attempt),
      port,
      room: this.current,
      addresses: this.addresses,
      ttlSeconds,
    });
  }

  /** The records that claim the names of an attempt: SRV, A, AAAA (RFC 6762 §8.1). */
  private uniqueRecords(attempt: number): MdnsRecord[] {
    return this.buildRecords(attempt).filter(
      (record) => record.type === 'SRV' || record.type === 'A' || record.type === 'AAAA',
    );
  }
}

/**
 * Starts advertising a room; resolves once the socket is bound and the first announcement sent.
 * Rejects with DiscoveryError `bad_options` or `mdns_unavailable`. Later problems are emitted
 * as `warning` events on the advertiser.
 */
export function advertiseRoom(options: AdvertiserOptions): Promise<RoomAdvertiser> {
  return RoomAdvertiser.start(options);
}
