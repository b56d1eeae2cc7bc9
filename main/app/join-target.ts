/**
 * What a person pastes to join a room, as the app understands it: a `parley://` invite (from
 * another app, a QR code or the list of rooms), the guest page URL a host hands out, a `ws(s)://`
 * URL, or just `host:port`. An invite with a certificate fingerprint means the room speaks TLS
 * and is trusted by that fingerprint alone (main/tls/pinning.ts).
 */
import * as v from 'valibot';
import { parseJoinAddress } from '../../protocol/address';
import { parseInvite, socketUrl } from '../../protocol/invite';
import type { BridgeError } from '../../protocol/bridge';
import type { WebSocketConstructor } from '../../protocol/client-types';
import { pinnedTlsOptions } from '../tls/pinning';
import { pinnedWebSocket } from '../tls/pinned-websocket';
import { appError } from './app-errors';
import { addressError } from './room-errors';

export interface JoinTarget {
  /** The chat socket to connect to. */
  url: string;
  /** Where the room was reached: the same for every way of typing one address. */
  key: string;
  /** The certificate to pin, for a TLS room. */
  fingerprint?: string;
  /** The room the invite was for, to tell when the address now hosts another one. */
  roomId?: string;
  host: string;
  port: number;
}

/** Schemes parseInvite reads and parseJoinAddress does not. */
const INVITE_LIKE = /^(?:parley|https?):\/\//i;

/** Reads an address or invite; throws a `bad_address` BridgeError with a sentence for people. */
export function joinTarget(address: string): JoinTarget {
  const text = address.trim();
  if (INVITE_LIKE.test(text)) {
    const parsed = parseInvite(text);
    if (!parsed.ok) throw appError('bad_address', parsed.error.message);
    const { invite } = parsed;
    const url = socketUrl(invite);
    return {
      url,
      key: new URL(url).href,
      host: invite.host,
      port: invite.port,
      ...(invite.fingerprint !== undefined && { fingerprint: invite.fingerprint }),
      ...(invite.roomId !== undefined && { roomId: invite.roomId }),
    };
  }
  let url: URL;
  try {
    url = parseJoinAddress(text);
  } catch (error) {
    throw addressError(error);
  }
  const port = url.port === '' ? (url.protocol === 'wss:' ? 443 : 80) : Number(url.port);
  return { url: url.href, key: url.href, host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

const pinErrorSchema = v.object({ code: v.string(), message: v.string() });

/**
 * The WebSocket constructor for a TLS room: every socket (reconnects too) trusts only the
 * certificate with the invite's fingerprint. Rejects with a BridgeError when the host presents
 * another certificate (nothing is sent to it) or cannot be reached.
 */
export async function pinnedSocketFor(
  target: JoinTarget & { fingerprint: string },
  address: string,
  timeoutMs: number,
): Promise<WebSocketConstructor> {
  try {
    const tls = await pinnedTlsOptions(
      { host: target.host, port: target.port },
      target.fingerprint,
      { timeoutMs },
    );
    return pinnedWebSocket(tls);
  } catch (error) {
    throw pinError(error, address);
  }
}

function pinError(error: unknown, address: string): BridgeError {
  const pin = v.safeParse(pinErrorSchema, error);
  if (pin.success && pin.output.code === 'fingerprint_mismatch') {
    // PinError's sentence names both fingerprints and says nothing was sent: worth showing.
    return appError('fingerprint_mismatch', pin.output.message);
  }
  if (pin.success && pin.output.code === 'not_tls') {
    return appError(
      'unreachable',
      `The room at ${address} does not speak TLS, as its invite says.`,
    );
  }
  return appError(
    'unreachable',
    `Could not reach a Parley room at ${address}. Check the address and that the room is still open.`,
  );
}
