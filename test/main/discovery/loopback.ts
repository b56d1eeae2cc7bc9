/**
 * Discovery tests run multicast DNS on the loopback interface only, on a UDP port of their own
 * (never 5353), so they reach no other machine and never meet the machine's real mDNS traffic.
 */
import { createSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import type { DiscoveryWarning } from '../../../main/discovery/discovery-error';
import {
  MdnsSocket,
  type MdnsOptions,
  type MdnsPacket,
  type MdnsRecord,
} from '../../../main/discovery/mdns-socket';

/** A UDP port free on 127.0.0.1 right now. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function loopbackMdns(): Promise<MdnsOptions> {
  return { interface: '127.0.0.1', port: await freeUdpPort() };
}

/**
 * Resolves with the first value `emitter` emits for `event` that satisfies `accept` (checking
 * `current` first, if given), or rejects after `timeoutMs`.
 */
export function waitFor<T>(
  emitter: EventEmitter,
  event: string,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number | undefined; current?: T; what?: string } = {},
): Promise<T> {
  const { timeoutMs = 8000, current, what = event } = options;
  if (current !== undefined && accept(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    function listener(value: T): void {
      if (!accept(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    }
    emitter.on(event, listener);
  });
}

/** A socket on the same loopback mDNS port that records every (validated) response it hears. */
export class MdnsObserver extends EventEmitter {
  readonly packets: { packet: MdnsPacket; at: number }[] = [];
  readonly warnings: DiscoveryWarning[] = [];
  readonly socket: MdnsSocket;

  private constructor(mdns: MdnsOptions) {
    super();
    this.socket = new MdnsSocket(mdns, (warning) => this.warnings.push(warning));
    this.socket.onResponse((packet) => {
      const entry = { packet, at: Date.now() };
      this.packets.push(entry);
      this.emit('packet', entry);
    });
  }

  static async open(mdns: MdnsOptions): Promise<MdnsObserver> {
    const observer = new MdnsObserver(mdns);
    await observer.socket.ready;
    return observer;
  }

  /** The next packet (heard from now on) that satisfies `accept`. */
  next(accept: (packet: MdnsPacket) => boolean, what: string, timeoutMs = 8000) {
    return waitFor<{ packet: MdnsPacket; at: number }>(this, 'packet', (e) => accept(e.packet), {
      timeoutMs,
      what,
    });
  }

  close(): Promise<void> {
    return this.socket.close();
  }
}

export function recordsOf<T extends MdnsRecord['type']>(
  packet: MdnsPacket,
  type: T,
): Extract<MdnsRecord, { type: T }>[] {
  return [...packet.answers, ...packet.additionals].filter(
    (record): record is Extract<MdnsRecord, { type: T }> => record.type === type,
  );
}

/** The TXT strings of a record as `key=value` texts. */
export function txtStrings(record: Extract<MdnsRecord, { type: 'TXT' }>): string[] {
  return record.data.map((item) => item.toString('utf8'));
}
