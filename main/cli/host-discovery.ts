/**
 * `parley host` on the local network: advertises the room with DNS-SD (`_parley._tcp`, unless
 * --no-discovery) so it shows in the Parley app's list of rooms, keeps the number of people in
 * the advert current, and says on the terminal whether advertising works. A room that cannot be
 * advertised still runs: people join with the invite or the address.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import * as v from 'valibot';
import { advertiseRoom } from '../discovery/advertiser';
import { describeCause } from '../discovery/discovery-error';
import { HostAdvert, type AdvertiseRoom } from '../discovery/host-advert';
import type { ParleyHost } from '../host/types';
import type { HostArgs } from './host-flags';
import { reportProblem, writeLine, type CliIo } from './io';

const SERVICE = '_parley._tcp';
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

export const DISCOVERY_DEFAULTS: { advertise: AdvertiseRoom } = Object.freeze({
  advertise: advertiseRoom,
});

export function advertisedLine(roomName: string): string {
  return `Advertised on the local network as ${JSON.stringify(roomName)} (${SERVICE}).`;
}

export function notAdvertisedWarning(cause: unknown): string {
  return (
    "warning: the room is not advertised on the local network, so it shows in nobody's list " +
    `of rooms (${describeCause(cause)}); people can still join with the invite or the address.`
  );
}

/**
 * The addresses to advertise for a --bind: every LAN address (undefined, the advertiser's
 * default) when listening on all of them, else only the one the host listens on. A name is
 * resolved as the server resolved it when it started listening (the first address).
 */
export async function advertisedAddresses(bind: string): Promise<string[] | undefined> {
  if (WILDCARD_ADDRESSES.has(bind)) return undefined;
  if (isIP(bind) !== 0) return [bind];
  try {
    return [(await lookup(bind)).address];
  } catch {
    // The host listens there, so the name did resolve a moment ago; advertise it as the default.
    return undefined;
  }
}

export interface HostDiscoveryInput {
  host: ParleyHost;
  args: Pick<HostArgs, 'bind' | 'password' | 'discovery'>;
  io: CliIo;
  advertise?: AdvertiseRoom;
}

export interface HostDiscovery {
  /** The banner line saying how the room is advertised; undefined when it is not. */
  readonly line: string | undefined;
  /** Says goodbye on the network (the room leaves every list); call before the host closes. */
  stop(): Promise<void>;
}

const NOT_ADVERTISED: HostDiscovery = { line: undefined, stop: () => Promise.resolve() };

/**
 * Starts advertising and resolves once the first announcement is out, or it failed (then one
 * warning line is on stderr). Later trouble heals by itself: it is printed with PARLEY_DEBUG only.
 */
export async function startHostDiscovery(input: HostDiscoveryInput): Promise<HostDiscovery> {
  const { host, args, io } = input;
  if (!args.discovery) return NOT_ADVERTISED;
  const addresses = await advertisedAddresses(args.bind);
  const advert = new HostAdvert({
    advertise: input.advertise ?? DISCOVERY_DEFAULTS.advertise,
    host,
    // As the host reads it: an empty password is no password.
    password: Boolean(args.password),
    ...(addresses && { addresses }),
    notice: (_event, cause) => reportProblem(io, notAdvertisedWarning(cause)),
    log: (message, detail) => {
      if (!io.env.PARLEY_DEBUG) return;
      writeLine(
        io.stderr,
        detail === undefined ? message : `${message}: ${describeDetail(detail)}`,
      );
    },
  });
  advert.start();
  const advertised = await advert.whenAdvertised();
  return {
    line: advertised ? advertisedLine(host.room.name) : undefined,
    stop: () => advert.stop(),
  };
}

/** Errors and discovery warnings both carry a message. */
const withMessageSchema = v.object({ message: v.string() });

function describeDetail(detail: unknown): string {
  const parsed = v.safeParse(withMessageSchema, detail);
  return parsed.success ? parsed.output.message : String(detail);
}
