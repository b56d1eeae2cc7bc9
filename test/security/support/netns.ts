/**
 * A second machine without leaving this one (netns-pair.ts): the host runs in one namespace,
 * probes run in the other (a peer on the "LAN") or next to the host (loopback). Needs root.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostOptions } from '../../../main/host/types';
import type { Probe, ProbeResult } from './netns-lab';
import { ChildLines, createNetnsPair } from './netns-pair';

const LAB_SOURCE = fileURLToPath(new URL('./netns-lab.ts', import.meta.url));

export interface Lab {
  /** The host's address on the veth link, as seen from the peer namespace. */
  hostAddress: string;
  /** The peer's address: what the host sees as a non-loopback client. */
  peerAddress: string;
  /** The peer's second address: another client, as far as the host can tell. */
  secondPeerAddress: string;
  /** Ports of the hosts started by startHosts, by name. */
  ports: Record<string, number>;
  startHosts(hosts: Record<string, HostOptions>): Promise<Record<string, number>>;
  /** Runs probes from the peer namespace ('peer') or next to the host ('host', for loopback). */
  probe(from: 'peer' | 'host', probes: Probe[]): Promise<ProbeResult[]>;
  close(): Promise<void>;
}

export async function createLab(): Promise<Lab> {
  const pair = await createNetnsPair(LAB_SOURCE);
  let ports: Record<string, number> = {};
  const firstLine = async <T>(args: string[], side: 'host' | 'peer', what: string) =>
    (await new ChildLines(pair.spawn(side, args)).next<T>(() => true, what)).value;

  return {
    hostAddress: pair.hostAddress,
    peerAddress: pair.peerAddress,
    secondPeerAddress: pair.secondPeerAddress,
    get ports() {
      return ports;
    },
    async startHosts(hosts) {
      const staticDir = join(pair.dir, 'static');
      await mkdir(staticDir, { recursive: true });
      const file = await pair.writeJson({ staticDir, hosts });
      const line = await firstLine<{ ports: Record<string, number> }>(
        ['host', file],
        'host',
        'the hosts in the namespace',
      );
      ports = line.ports;
      return ports;
    },
    async probe(from, probes) {
      const file = await pair.writeJson(probes);
      return firstLine<ProbeResult[]>(['probe', file], from, 'the probes');
    },
    close: () => pair.close(),
  };
}
