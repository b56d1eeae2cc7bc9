/**
 * One multicast DNS socket, as bonjour-service opens it (its `Server`: multicast-dns underneath,
 * answering queries for the records registered with it), behind a typed face:
 * - options are validated and merged with the mDNS defaults;
 * - every inbound response is validated record by record, so what reaches the DNS-SD browser is
 *   well-formed whatever a hostile host on the LAN sends;
 * - socket errors become warnings or a rejected `ready`, never an uncaught exception.
 */
import { networkInterfaces } from 'node:os';
import * as v from 'valibot';
import { Server } from 'bonjour-service/dist/lib/mdns-server.js';
import { DiscoveryError, describeCause, type DiscoveryWarning } from './discovery-error';

export interface MdnsOptions {
  /**
   * The network interface to use, by IPv4 address (`192.168.1.20`, `127.0.0.1`) or by name
   * (`wlan0`, `lo`). Default: every interface for listening, the system's choice for sending.
   */
  interface?: string;
  /** Address the UDP socket binds. Default `0.0.0.0`: multicast is not delivered to sockets
   * bound to a unicast address on Linux. */
  bind?: string;
  /** UDP port. Default 5353 (mDNS); tests use another to keep apart from the machine's mDNS. */
  port?: number;
  /** IPv4 multicast group. Default 224.0.0.251 (mDNS). */
  group?: string;
}

export const MDNS_DEFAULTS = Object.freeze({ bind: '0.0.0.0', port: 5353, group: '224.0.0.251' });

const ipv4 = v.pipe(v.string(), v.ipv4());
const mdnsOptionsSchema = v.strictObject({
  interface: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  bind: v.optional(ipv4, MDNS_DEFAULTS.bind),
  port: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
    MDNS_DEFAULTS.port,
  ),
  group: v.optional(
    v.pipe(
      ipv4,
      v.check((ip) => {
        const first = Number(ip.split('.')[0]);
        return first >= 224 && first <= 239;
      }, 'group must be an IPv4 multicast address (224.0.0.0 to 239.255.255.255)'),
    ),
    MDNS_DEFAULTS.group,
  ),
});

/** The IPv4 address of an interface given by address or by name. */
function interfaceAddress(value: string): string {
  if (v.is(ipv4, value)) return value;
  const address = networkInterfaces()[value]?.find((entry) => entry.family === 'IPv4')?.address;
  if (address === undefined) {
    throw new DiscoveryError('bad_options', `Network interface ${value} has no IPv4 address.`);
  }
  return address;
}

function mdnsOptionsFor(options: MdnsOptions | undefined) {
  const checked = v.safeParse(mdnsOptionsSchema, options ?? {});
  if (!checked.success) {
    const issue = checked.issues[0];
    const key = issue.path?.map((item) => String(item.key)).join('.') ?? 'mdns';
    throw new DiscoveryError('bad_options', `Bad mDNS option ${key}: ${issue.message}`);
  }
  const { interface: iface, bind, port, group } = checked.output;
  return {
    port,
    ip: group,
    bind,
    interface: iface === undefined ? undefined : interfaceAddress(iface),
    // Hosts and browsers on the same machine (the desktop app and a terminal host) see each other.
    loopback: true,
    reuseAddr: true,
  };
}

/**
 * The IPv4 address of the interface these options confine multicast DNS to, if any; throws
 * DiscoveryError `bad_options` like the socket would.
 */
export function confinedInterfaceAddress(options: MdnsOptions | undefined): string | undefined {
  return mdnsOptionsFor(options).interface;
}

const dnsName = v.pipe(v.string(), v.maxLength(255));
const ttl = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0x7fffffff));
const buffer = v.custom<Buffer>((value) => Buffer.isBuffer(value));

/** The record types DNS-SD uses; anything else is dropped on the way in. */
const recordSchema = v.variant('type', [
  v.looseObject({ type: v.literal('PTR'), name: dnsName, ttl, data: dnsName }),
  v.looseObject({
    type: v.literal('SRV'),
    name: dnsName,
    ttl,
    data: v.looseObject({
      port: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)),
      target: dnsName,
    }),
  }),
  v.looseObject({
    type: v.literal('TXT'),
    name: dnsName,
    ttl,
    data: v.pipe(v.array(buffer), v.maxLength(64)),
  }),
  v.looseObject({ type: v.literal('A'), name: dnsName, ttl, data: ipv4 }),
  v.looseObject({ type: v.literal('AAAA'), name: dnsName, ttl, data: v.pipe(v.string(), v.ip()) }),
]);

export type MdnsRecord = v.InferOutput<typeof recordSchema> & { flush?: boolean };

export interface MdnsPacket {
  answers: MdnsRecord[];
  additionals: MdnsRecord[];
}

export interface MdnsQuestion {
  name: string;
  type: string;
}

export interface Remote {
  address: string;
  port: number;
}

function validRecords(list: unknown): MdnsRecord[] {
  if (!Array.isArray(list)) return [];
  const records: MdnsRecord[] = [];
  for (const item of list) {
    const record = v.safeParse(recordSchema, item);
    if (record.success) records.push(record.output);
  }
  return records;
}

const remoteSchema = v.looseObject({ address: v.string(), port: v.number() });
const questionSchema = v.looseObject({ name: dnsName, type: v.string() });

/** What the untyped multicast-dns instance inside bonjour-service's Server offers. */
interface RawMdns {
  on(event: string, listener: (...args: unknown[]) => void): void;
  removeListener(event: string, listener: (...args: unknown[]) => void): void;
  query(name: string, type: string): void;
  query(packet: { questions: MdnsQuestion[]; authorities: MdnsRecord[] }): void;
  respond(packet: { answers: MdnsRecord[] }, callback: (error?: Error | null) => void): void;
  destroy(callback: () => void): void;
}

type Warn = (warning: DiscoveryWarning) => void;

export class MdnsSocket {
  /** Resolves once the socket is bound; rejects with DiscoveryError `mdns_unavailable`. */
  readonly ready: Promise<void>;
  /** The IPv4 address of the interface in use, when one was chosen. */
  readonly interfaceAddress: string | undefined;
  private readonly server: Server;
  private readonly mdns: RawMdns;
  private readonly listeners = new Set<(packet: MdnsPacket, from: Remote) => void>();
  private closing: Promise<void> | undefined;

  /** Opens the socket; throws DiscoveryError `bad_options` for invalid options. */
  constructor(options: MdnsOptions | undefined, warn: Warn) {
    const mdnsOptions = mdnsOptionsFor(options);
    this.interfaceAddress = mdnsOptions.interface;
    this.server = new Server(mdnsOptions, (error: unknown) =>
      warn({ code: 'mdns_send_failed', message: describeCause(error), cause: error }),
    );
    this.mdns = this.server.mdns as RawMdns;
    this.ready = new Promise((resolve, reject) => {
      this.mdns.on('ready', () => resolve());
      this.mdns.on('error', (error) => {
        const failure = new DiscoveryError(
          'mdns_unavailable',
          `Cannot use mDNS on port ${mdnsOptions.port}: ${describeCause(error)}`,
          { cause: error },
        );
        warn({ code: failure.code, message: failure.message, cause: error });
        reject(failure);
      });
    });
    // `ready` is awaited by whoever needs it; a failure is reported through `warn` as well.
    this.ready.catch(() => undefined);
    this.mdns.on('warning', (error) =>
      warn({ code: 'mdns_warning', message: describeCause(error), cause: error }),
    );
    this.mdns.on('response', (packet, from) => {
      if (typeof packet !== 'object' || packet === null || !v.is(remoteSchema, from)) return;
      const raw = packet as { answers?: unknown; additionals?: unknown };
      const clean = {
        answers: validRecords(raw.answers),
        additionals: validRecords(raw.additionals),
      };
      for (const listener of [...this.listeners]) {
        try {
          listener(clean, { address: from.address, port: from.port });
        } catch (error) {
          warn({ code: 'mdns_warning', message: describeCause(error), cause: error });
        }
      }
    });
  }

  /** Records the socket answers queries with, until unregistered. */
  register(records: MdnsRecord[]): void {
    this.server.register(records);
  }

  /** Stops answering with records of these names and types. */
  unregister(records: MdnsRecord[]): void {
    this.server.unregister(records);
  }

  /** Sends records unasked (an announcement, or with TTL 0 a goodbye). */
  send(records: MdnsRecord[]): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.mdns.respond({ answers: records }, (error) => {
        if (error) {
          reject(new DiscoveryError('mdns_send_failed', describeCause(error), { cause: error }));
        } else resolve();
      });
    });
  }

  query(name: string, type: MdnsRecord['type']): void {
    if (!this.closing) this.mdns.query(name, type);
  }

  /**
   * Sends a probe (RFC 6762 §8.1): a query for every name about to be claimed, with the records
   * that would claim them in the authority section, so others can object or tie-break.
   */
  probe(questions: MdnsQuestion[], authorities: MdnsRecord[]): void {
    if (!this.closing) this.mdns.query({ questions, authorities });
  }

  /**
   * Queries heard: their questions, and the (validated) authority records a probe carries.
   * Returns the unsubscribe function.
   */
  onQuery(listener: (questions: MdnsQuestion[], authorities: MdnsRecord[]) => void): () => void {
    const handler = (packet: unknown) => {
      const raw = packet as { questions?: unknown; authorities?: unknown } | null;
      const questions = raw?.questions;
      if (!Array.isArray(questions)) return;
      listener(
        questions.filter((q): q is MdnsQuestion => v.is(questionSchema, q)),
        validRecords(raw?.authorities),
      );
    };
    this.mdns.on('query', handler);
    return () => this.mdns.removeListener('query', handler);
  }

  /** Validated responses; returns the unsubscribe function. */
  onResponse(listener: (packet: MdnsPacket, from: Remote) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes the socket. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      this.listeners.clear();
      this.mdns.destroy(() => resolve());
    });
    return this.closing;
  }
}
