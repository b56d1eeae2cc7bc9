/**
 * What `parley host` prints once the room is open: where and how to join, and the fingerprint
 * people compare. Each address gets the app invite (which carries the fingerprint, so the app
 * and `parley join` pin it) and, unless --no-browser, the guest page URL.
 */
import { isIP } from 'node:net';
import type { RoomAddress } from '../../protocol/bridge';
import { readableFingerprint } from '../../protocol/client/fingerprint';
import { buildInvite, parseInvite } from '../../protocol/client/invite';
import { joinAddresses } from '../host/addresses';
import type { ParleyHost } from '../host/types';
import type { HostArgs } from './host-flags';

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);

export interface BannerInput {
  host: ParleyHost;
  args: Pick<HostArgs, 'bind' | 'password' | 'guestPage'>;
  /** Where the history lives. */
  historyLine: string;
  /** The certificate was just created or renewed. */
  identityLine: string | undefined;
  /** How the room is advertised on the local network, when it is. */
  discoveryLine?: string | undefined;
}

export function bannerLines(input: BannerInput): string[] {
  const { host, args, historyLine, identityLine, discoveryLine } = input;
  const addresses = addressesFor(args.bind, host.port);
  const width = Math.max(...addresses.map(({ address }) => address.length)) + 2;
  const lines = [
    `Room "${host.room.name}" is open on port ${host.port}.`,
    historyLine,
    args.password
      ? 'People need the password to join.'
      : 'Anyone who can reach this machine can join.',
  ];
  const fingerprint = host.fingerprint256;
  if (fingerprint !== undefined) {
    const readable = readableFingerprint(fingerprint);
    if (identityLine !== undefined) lines.push(identityLine);
    lines.push(
      `Fingerprint: ${readable.short}`,
      `  full SHA-256: ${readable.full}`,
      'Read the fingerprint out to people who join without the invite, so they can compare it.',
    );
  }
  lines.push(
    args.guestPage
      ? 'Join with the invite (`parley join INVITE --name NAME`, or the Parley app), or in a browser at the guest URL (its certificate warning should show the full SHA-256 above):'
      : 'Join with the invite (`parley join INVITE --name NAME`, or the Parley app):',
  );
  for (const { address, interfaceName } of addresses) {
    lines.push(`  ${address.padEnd(width)}(${interfaceName})`);
    lines.push(...inviteLines(address, host, args.guestPage));
  }
  if (discoveryLine !== undefined) lines.push(discoveryLine);
  lines.push('Press Ctrl+C to stop the room.');
  return lines;
}

function inviteLines(address: string, host: ParleyHost, guestPage: boolean): string[] {
  const parsed = parseInvite(address);
  if (!parsed.ok) return [];
  const { host: name, port } = parsed.invite;
  const fingerprint = host.fingerprint256;
  const invite = inviteFor({ host: name, port, fingerprint, roomId: host.room.id });
  const lines = [`    invite: ${invite}`];
  if (guestPage) {
    const scheme = fingerprint === undefined ? 'http' : 'https';
    lines.push(`    guest:  ${scheme}://${address}/`);
  }
  return lines;
}

function inviteFor(input: {
  host: string;
  port: number;
  fingerprint: string | undefined;
  roomId: string;
}): string {
  const { host, port, fingerprint } = input;
  const base = { host, port, ...(fingerprint !== undefined && { fingerprint }) };
  try {
    return buildInvite({ ...base, roomId: input.roomId });
  } catch {
    // A room id outside the invite alphabet (a hand-made store): the invite still works without.
    return buildInvite(base);
  }
}

/** Every address of this machine when listening on all of them, else just the bound one. */
function addressesFor(bind: string, port: number): RoomAddress[] {
  const all = joinAddresses(port);
  if (WILDCARD_ADDRESSES.has(bind)) return all;
  const address = isIP(bind) === 6 ? `[${bind}]:${port}` : `${bind}:${port}`;
  const known = all.find((candidate) => candidate.address === address);
  return [known ?? { address, interfaceName: 'bound address' }];
}
