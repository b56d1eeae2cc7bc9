/**
 * Discovery on a LAN of two machines that never leaves this one: adverts and browsers run in
 * the network namespaces of netns-pair.ts (discovery-lab.ts inside), with the real mDNS port and
 * every interface, the way the app and `parley host` run them. Needs root.
 */
import { fileURLToPath } from 'node:url';
import type { AdvertiserOptions } from '../../../../main/discovery/advertiser';
import type { DiscoveredRoom } from '../../../../main/discovery/room-browser';
import {
  ChildLines,
  createNetnsPair,
  endChild,
  type Side,
} from '../../../security/support/netns-pair';
import type { AdvertResult } from './discovery-lab';

const LAB_SOURCE = fileURLToPath(new URL('./discovery-lab.ts', import.meta.url));

type BrowseLine = { ready: true } | { rooms: DiscoveredRoom[] } | { heard: Heard };
export interface Heard {
  from: string;
  instances: string[];
}

/** A room browser in a namespace: every list it announced, and every advert it heard. */
export class LabBrowser {
  readonly #out: ChildLines;

  constructor(out: ChildLines) {
    this.#out = out;
  }

  #parsed(): BrowseLine[] {
    return this.#out.lines.map((line) => JSON.parse(line) as BrowseLine);
  }

  /** Every list of rooms the browser announced ('change' events), in order. */
  lists(): DiscoveredRoom[][] {
    return this.#parsed().flatMap((line) => ('rooms' in line ? [line.rooms] : []));
  }

  /** How many lines were printed so far: a mark to wait for what comes after it. */
  get mark(): number {
    return this.#out.lines.length;
  }

  /** The first list (from `mark` on, else any) that `accept` takes. */
  async list(
    accept: (rooms: DiscoveredRoom[]) => boolean,
    what: string,
    from = 0,
  ): Promise<DiscoveredRoom[]> {
    const found = await this.#out.next<BrowseLine>(
      (line) => 'rooms' in line && accept(line.rooms),
      what,
      { from },
    );
    return (found.value as { rooms: DiscoveredRoom[] }).rooms;
  }

  /** Asks the network again and waits until an answer naming `instance` came back. */
  async refreshAndHear(instance: string): Promise<Heard> {
    const from = this.mark;
    this.#out.child.stdin?.write('refresh\n');
    const found = await this.#out.next<BrowseLine>(
      (line) => 'heard' in line && line.heard.instances.includes(instance),
      `an answer from ${instance}`,
      { from },
    );
    return (found.value as { heard: Heard }).heard;
  }

  async ready(): Promise<void> {
    await this.#out.next<BrowseLine>((line) => 'ready' in line, 'the browser to start');
  }
}

export interface LabAdverts {
  results: AdvertResult[];
  /** Says goodbye for these adverts and ends their program. */
  stop(): Promise<void>;
}

export interface DiscoveryLab {
  hostAddress: string;
  /** The peer's addresses on the link (it has two). */
  peerAddresses: string[];
  /** Starts these adverts at once in one program on that side; resolves once all started. */
  advertise(side: Side, adverts: AdvertiserOptions[]): Promise<LabAdverts>;
  browse(side: Side): Promise<LabBrowser>;
  close(): Promise<void>;
}

export async function createDiscoveryLab(): Promise<DiscoveryLab> {
  const pair = await createNetnsPair(LAB_SOURCE);
  return {
    hostAddress: pair.hostAddress,
    peerAddresses: [pair.peerAddress, pair.secondPeerAddress],
    async advertise(side, adverts) {
      const file = await pair.writeJson({ adverts });
      const child = pair.spawn(side, ['advertise', file]);
      const out = new ChildLines(child);
      const { value } = await out.next<{ adverts: AdvertResult[] }>(() => true, 'the adverts');
      return { results: value.adverts, stop: () => endChild(child) };
    },
    async browse(side) {
      const browser = new LabBrowser(new ChildLines(pair.spawn(side, ['browse'])));
      await browser.ready();
      return browser;
    },
    close: () => pair.close(),
  };
}
