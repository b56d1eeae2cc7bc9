/**
 * The DNS records of one room's advert. bonjour-service's `Service` builds the DNS-SD records
 * (PTR, SRV, TXT); the address records come from the advertiser's own list instead of every
 * interface bonjour-service finds, and TTLs and cache-flush bits follow RFC 6762.
 */
import { networkInterfaces } from 'node:os';
import { Service } from 'bonjour-service/dist/lib/service.js';
import type { MdnsRecord } from './mdns-socket';
import { SERVICE_TYPE, encodeRoomTxt, type RoomDescription } from './room-txt';

/** TTL of records that do not decide whether the room is alive (PTR, TXT): 75 min (§10). */
const LONG_TTL_SECONDS = 4500;
/** Shared by every Parley room on the network: never said goodbye to by one of them. */
const SERVICE_ENUMERATION = '_services._dns-sd._udp.local';

export interface AdvertInput {
  instanceName: string;
  targetHost: string;
  port: number;
  room: RoomDescription;
  addresses: readonly string[];
  /** TTL of the records that say the room is alive (SRV, A, AAAA). */
  ttlSeconds: number;
}

function isLinkLocalIpv6(address: string): boolean {
  return /^fe[89ab]/i.test(address);
}

/**
 * The addresses to advertise by default: the interface's own address when discovery is bound to
 * one interface, else every non-internal IPv4 address (and, with `ipv6`, every IPv6 address that
 * works without a zone id).
 */
export function defaultAddresses(interfaceAddress: string | undefined, ipv6: boolean): string[] {
  const addresses: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (interfaceAddress !== undefined) {
        if (entry.address === interfaceAddress) addresses.push(entry.address);
      } else if (!entry.internal) {
        if (entry.family === 'IPv4') addresses.push(entry.address);
        else if (ipv6 && !isLinkLocalIpv6(entry.address)) addresses.push(entry.address);
      }
    }
  }
  return [...new Set(addresses)];
}

function noop(): void {}

export function advertRecords(input: AdvertInput): MdnsRecord[] {
  const service = new Service(
    {
      name: input.instanceName,
      type: SERVICE_TYPE,
      port: input.port,
      host: input.targetHost,
      txt: encodeRoomTxt(input.room),
      disableIPv6: true,
    },
    noop,
    noop,
  );
  const records: MdnsRecord[] = [];
  for (const record of service.records()) {
    if (record.type === 'A' || record.type === 'AAAA') continue;
    // SRV and TXT belong to this room alone: the cache-flush bit makes caches replace them.
    const unique = record.type === 'SRV' || record.type === 'TXT';
    const ttl = record.type === 'SRV' ? input.ttlSeconds : LONG_TTL_SECONDS;
    records.push({ ...record, ttl, flush: unique } as MdnsRecord);
  }
  for (const address of input.addresses) {
    const type = address.includes(':') ? 'AAAA' : 'A';
    records.push({
      name: input.targetHost,
      type,
      ttl: input.ttlSeconds,
      data: address,
      flush: true,
    });
  }
  return records;
}

/** The goodbye for an advert: its own records with TTL 0 (RFC 6762 §10.1). */
export function goodbyeRecords(records: readonly MdnsRecord[]): MdnsRecord[] {
  return records
    .filter((record) => record.name !== SERVICE_ENUMERATION)
    .map((record) => ({ ...record, ttl: 0 }));
}

/** The TXT record of an advert, serialized, to tell whether an update changes anything. */
export function txtFingerprint(records: readonly MdnsRecord[]): string {
  return JSON.stringify(records.find((record) => record.type === 'TXT')?.data ?? null);
}
