import { describe, expect, it } from 'vitest';
import { DiscoveryError } from '../../../main/discovery/discovery-error';
import type {
  MdnsPacket,
  MdnsQuestion,
  MdnsRecord,
  Remote,
} from '../../../main/discovery/mdns-socket';
import { claimNames, compareProbeRecords } from '../../../main/discovery/name-claim';

const srv = (name: string, port: number): MdnsRecord => ({
  name,
  type: 'SRV',
  ttl: 120,
  data: { port, target: 'box-1.local' },
});
const a = (name: string, address: string): MdnsRecord => ({
  name,
  type: 'A',
  ttl: 120,
  data: address,
});

/** A network where the test decides who answers each probe. */
class FakeNetwork {
  readonly probes: { questions: MdnsQuestion[]; authorities: MdnsRecord[] }[] = [];
  #responses = new Set<(packet: MdnsPacket, from: Remote) => void>();
  #queries = new Set<(questions: MdnsQuestion[], authorities: MdnsRecord[]) => void>();
  constructor(readonly onProbe: (network: FakeNetwork, authorities: MdnsRecord[]) => void) {}

  readonly socket = {
    probe: (questions: MdnsQuestion[], authorities: MdnsRecord[]) => {
      this.probes.push({ questions, authorities });
      // Our own probe comes back to us, as multicast loopback delivers it.
      queueMicrotask(() => {
        this.query(authorities);
        this.onProbe(this, authorities);
      });
    },
    onResponse: (listener: (packet: MdnsPacket, from: Remote) => void) => {
      this.#responses.add(listener);
      return () => this.#responses.delete(listener);
    },
    onQuery: (listener: (questions: MdnsQuestion[], authorities: MdnsRecord[]) => void) => {
      this.#queries.add(listener);
      return () => this.#queries.delete(listener);
    },
  };

  respond(answers: MdnsRecord[]): void {
    for (const listener of [...this.#responses]) {
      listener({ answers, additionals: [] }, { address: '10.0.0.9', port: 5353 });
    }
  }

  query(authorities: MdnsRecord[]): void {
    const questions = authorities.map((record) => ({ name: record.name, type: 'ANY' }));
    for (const listener of [...this.#queries]) listener(questions, authorities);
  }
}

const candidate = (attempt: number) => ({
  records: [srv(`Room${attempt > 1 ? ` (${attempt})` : ''}._parley._tcp.local`, 7420)],
});

describe('claimNames', () => {
  it('claims the first names after three probes when nobody objects', async () => {
    const network = new FakeNetwork(() => undefined);
    expect(await claimNames({ socket: network.socket, candidate, intervalMs: 10 })).toBe(1);
    expect(network.probes).toHaveLength(3);
    expect(network.probes[0]!.questions).toEqual([
      { name: 'room._parley._tcp.local', type: 'ANY' },
    ]);
  });

  it('moves on to "Room (2)" when another host answers for "Room" with other data', async () => {
    const network = new FakeNetwork((net, authorities) => {
      if (authorities[0]!.name.startsWith('Room.'))
        net.respond([srv('Room._parley._tcp.local', 9999)]);
    });
    expect(await claimNames({ socket: network.socket, candidate, intervalMs: 10 })).toBe(2);
  });

  it('does not count an answer with identical data as a conflict', async () => {
    const network = new FakeNetwork((net) => net.respond([srv('Room._parley._tcp.local', 7420)]));
    expect(await claimNames({ socket: network.socket, candidate, intervalMs: 10 })).toBe(1);
  });

  it('waits and probes again after losing a simultaneous tie-break, then keeps its name', async () => {
    let rivals = 1;
    const network = new FakeNetwork((net) => {
      // Another host probes for "Room" at the same moment, with a later port: it wins once.
      if (rivals-- > 0) net.query([srv('Room._parley._tcp.local', 9000)]);
    });
    const started = Date.now();
    expect(await claimNames({ socket: network.socket, candidate, intervalMs: 10 })).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('gives up with name_conflict when every name is taken', async () => {
    const network = new FakeNetwork((net, authorities) =>
      net.respond([srv(authorities[0]!.name, 1)]),
    );
    const claim = claimNames({ socket: network.socket, candidate, intervalMs: 10, maxAttempts: 3 });
    await expect(claim).rejects.toBeInstanceOf(DiscoveryError);
    await expect(claim).rejects.toMatchObject({ code: 'name_conflict' });
  });
});

describe('compareProbeRecords', () => {
  it('orders by rdata as on the wire, whatever order the records come in', () => {
    const name = 'Room._parley._tcp.local';
    expect(compareProbeRecords([srv(name, 7000)], [srv(name, 8000)])).toBeLessThan(0);
    expect(compareProbeRecords([srv(name, 8000)], [srv(name, 7000)])).toBeGreaterThan(0);
    const mine = [a('box.local', '10.0.0.2'), srv(name, 7000)];
    expect(compareProbeRecords(mine, [...mine].reverse())).toBe(0);
    expect(
      compareProbeRecords([a('box.local', '10.0.0.2')], [a('box.local', '10.0.0.10')]),
    ).toBeLessThan(0);
  });
});
