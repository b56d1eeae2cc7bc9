/**
 * Claiming a room's DNS-SD names before announcing them, as RFC 6762 §8 says: three probes
 * 250 ms apart ask whether anyone already answers for the instance name and the host name. When
 * someone does with other data, the names are taken: the next ones are tried (`Room (2)`, §9).
 * When two hosts probe for the same names at once, the one whose records compare lower waits a
 * second and probes again (§8.2), by which time the other has announced and answers its probes.
 * Without this, two hosts advertising the same room id would share one instance name, and every
 * list of rooms would show one entry whose port flips between theirs.
 */
import { isIPv4 } from 'node:net';
import { DiscoveryError } from './discovery-error';
import type { MdnsQuestion, MdnsRecord, MdnsSocket } from './mdns-socket';

/** The names one attempt claims, and the unique records (SRV, A, AAAA) that claim them. */
export interface NameCandidate {
  records: MdnsRecord[];
}

export interface ClaimOptions {
  socket: Pick<MdnsSocket, 'probe' | 'onQuery' | 'onResponse'>;
  /** The names and records of attempt 1, 2, 3…: each attempt must use other names. */
  candidate: (attempt: number) => NameCandidate;
  /** Time between probes (RFC 6762: 250 ms). */
  intervalMs: number;
  /** Attempts before giving up with `name_conflict`. */
  maxAttempts?: number;
}

const PROBES = 3;
/** §8.2: the host that lost a simultaneous probe tie-break waits one second. */
const TIE_BREAK_WAIT_MS = 1000;
const MAX_TIE_BREAKS = 10;
const DEFAULT_MAX_ATTEMPTS = 50;

const TYPE_CODES: Record<MdnsRecord['type'], number> = {
  A: 1,
  PTR: 12,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
};

function nameBytes(name: string): number[] {
  const bytes: number[] = [];
  for (const label of name.split('.')) {
    if (label === '') continue;
    const encoded = Buffer.from(label);
    bytes.push(encoded.length, ...encoded);
  }
  bytes.push(0);
  return bytes;
}

function ipv6Bytes(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...(tail === undefined ? [] : zeros), ...right].flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/** The record's rdata as DNS puts it on the wire (uncompressed), for the §8.2 comparison. */
function rdata(record: MdnsRecord): number[] {
  switch (record.type) {
    case 'A':
      return isIPv4(record.data) ? record.data.split('.').map(Number) : [];
    case 'AAAA':
      return ipv6Bytes(record.data);
    case 'SRV': {
      const { port, target } = record.data;
      const priority = Number((record.data as { priority?: number }).priority ?? 0);
      const weight = Number((record.data as { weight?: number }).weight ?? 0);
      const u16 = (value: number) => [value >> 8, value & 0xff];
      return [...u16(priority), ...u16(weight), ...u16(port), ...nameBytes(target)];
    }
    case 'PTR':
      return nameBytes(record.data);
    case 'TXT':
      return record.data.flatMap((item) => [item.length, ...item]);
  }
}

function compareBytes(a: number[], b: number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (a[index] !== b[index]) return a[index]! - b[index]!;
  }
  return a.length - b.length;
}

function compareRecords(a: MdnsRecord, b: MdnsRecord): number {
  return TYPE_CODES[a.type] - TYPE_CODES[b.type] || compareBytes(rdata(a), rdata(b));
}

/**
 * §8.2: sorts both sets and compares them record by record; negative when `ours` is
 * lexicographically earlier (we lose), 0 when identical (our own probe heard back).
 */
export function compareProbeRecords(ours: MdnsRecord[], theirs: MdnsRecord[]): number {
  const a = [...ours].sort(compareRecords);
  const b = [...theirs].sort(compareRecords);
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const order = compareRecords(a[index]!, b[index]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

const lower = (name: string) => name.toLowerCase();

function sameRecord(a: MdnsRecord, b: MdnsRecord): boolean {
  return lower(a.name) === lower(b.name) && compareRecords(a, b) === 0;
}

type ProbeOutcome = 'claimed' | 'taken' | 'tie-lost';

function delay(ms: number, wake: { cancel?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake.cancel = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/** Probes once for `candidate`'s names (three probes); says whether they are free. */
async function probe(options: ClaimOptions, candidate: NameCandidate, first: boolean) {
  const { socket, intervalMs } = options;
  const names = new Set(candidate.records.map((record) => lower(record.name)));
  const ours = (name: string) => names.has(lower(name));
  let outcome: ProbeOutcome | undefined;
  const wake: { cancel?: () => void } = {};
  const decide = (result: ProbeOutcome) => {
    outcome ??= result;
    wake.cancel?.();
  };
  const stopResponses = socket.onResponse((packet) => {
    const records = [...packet.answers, ...packet.additionals];
    const taken = records.some(
      (record) =>
        ours(record.name) &&
        record.ttl > 0 &&
        !candidate.records.some((own) => sameRecord(own, record)),
    );
    if (taken) decide('taken');
  });
  const stopQueries = socket.onQuery((_questions, authorities) => {
    const theirs = authorities.filter((record) => ours(record.name));
    if (theirs.length === 0) return;
    const mine = candidate.records.filter((record) =>
      theirs.some((other) => lower(other.name) === lower(record.name)),
    );
    if (compareProbeRecords(mine, theirs) < 0) decide('tie-lost');
  });
  try {
    // §8.1: a random wait first, so hosts started together (after a power cut) do not collide.
    if (first) await delay(Math.random() * intervalMs, wake);
    const questions: MdnsQuestion[] = [...names].map((name) => ({ name, type: 'ANY' }));
    for (let sent = 0; sent < PROBES && outcome === undefined; sent++) {
      socket.probe(questions, candidate.records);
      await delay(intervalMs, wake);
    }
    return outcome ?? 'claimed';
  } finally {
    stopResponses();
    stopQueries();
  }
}

/**
 * Probes until a set of names is free; resolves with the attempt whose names were claimed.
 * Rejects with DiscoveryError `name_conflict` when `maxAttempts` sets were all taken.
 */
export async function claimNames(options: ClaimOptions): Promise<number> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  let tieBreaks = 0;
  for (let attempt = 1; attempt <= maxAttempts;) {
    const outcome = await probe(
      options,
      options.candidate(attempt),
      attempt === 1 && tieBreaks === 0,
    );
    if (outcome === 'claimed') return attempt;
    if (outcome === 'tie-lost' && tieBreaks < MAX_TIE_BREAKS) {
      tieBreaks++;
      await delay(TIE_BREAK_WAIT_MS, {});
    } else {
      attempt++;
    }
  }
  throw new DiscoveryError(
    'name_conflict',
    `Every name tried for the room (${maxAttempts}) is already in use on the network.`,
  );
}
