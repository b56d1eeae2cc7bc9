/**
 * The program discovery tests run inside a network namespace (netns-discovery.ts), with the
 * real multicast DNS defaults: port 5353, every interface. One JSON object per stdout line.
 * - `advertise FILE`: starts the adverts FILE lists (all at once), prints
 *   `{"adverts":[{"instanceName","targetHost"} | {"error":{"code","message"}}]}`;
 * - `browse`: prints `{"ready":true}`, then `{"rooms":[...]}` on every change of the list and
 *   `{"heard":{"from","instances"}}` for every response that carries a Parley SRV record; a
 *   `refresh` line on stdin asks the network again.
 * Closing stdin stops everything (goodbyes included) and ends the program.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { advertiseRoom, type AdvertiserOptions } from '../../../../main/discovery/advertiser';
import { DiscoveryError } from '../../../../main/discovery/discovery-error';
import { MdnsSocket } from '../../../../main/discovery/mdns-socket';
import { browseRooms } from '../../../../main/discovery/room-browser';
import { SERVICE_DOMAIN } from '../../../../main/discovery/room-txt';

export interface AdvertiseInput {
  adverts: AdvertiserOptions[];
}

export type AdvertResult =
  { instanceName: string; targetHost: string } | { error: { code: string; message: string } };

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const stops: (() => Promise<unknown>)[] = [];
const commands: Record<string, () => void> = {};

async function advertise(file: string): Promise<void> {
  const input = JSON.parse(readFileSync(file, 'utf8')) as AdvertiseInput;
  const results = await Promise.all(
    input.adverts.map(async (options): Promise<AdvertResult> => {
      try {
        const advert = await advertiseRoom(options);
        stops.push(() => advert.stop());
        return { instanceName: advert.instanceName, targetHost: advert.targetHost };
      } catch (error) {
        const code = error instanceof DiscoveryError ? error.code : 'unexpected';
        return { error: { code, message: error instanceof Error ? error.message : String(error) } };
      }
    }),
  );
  print({ adverts: results });
}

async function browse(): Promise<void> {
  const browser = browseRooms({ sweepIntervalMs: 100 });
  stops.push(() => browser.stop());
  const ear = new MdnsSocket(undefined, () => undefined);
  stops.push(() => ear.close());
  await Promise.all([browser.ready, ear.ready]);
  browser.on('change', (rooms) => print({ rooms }));
  ear.onResponse((packet, from) => {
    const instances = [...packet.answers, ...packet.additionals]
      .filter((record) => record.type === 'SRV' && record.name.endsWith(`.${SERVICE_DOMAIN}`))
      .map((record) => record.name);
    if (instances.length > 0) print({ heard: { from: from.address, instances } });
  });
  commands.refresh = () => browser.refresh();
  print({ ready: true });
}

const [mode, file] = process.argv.slice(2);
const started =
  mode === 'advertise' && file ? advertise(file) : mode === 'browse' ? browse() : undefined;
if (!started) {
  process.stderr.write('usage: discovery-lab advertise FILE | browse\n');
  process.exit(2);
}
started.catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => commands[line.trim()]?.());
lines.on('close', () => {
  void Promise.allSettled(stops.map((stop) => stop())).then(() => process.exit(0));
});
