/**
 * Which room a host serves, asked before joining (GET /api/info): a desktop or terminal client
 * derives the identity it sends from the room id, and a `ws://` address, unlike an invite or a
 * TLS room checked against its certificate, does not say it. Uses the runtime's fetch.
 */
import * as v from 'valibot';
import { roomSchema, type RoomInfo } from '../wire/frames';

const infoSchema = v.object({ app: v.literal('parley'), room: roomSchema });

/** The info URL of the host behind a chat socket URL (`ws://host:port/ws` → `http://host:port/api/info`). */
export function infoUrlOf(socketUrl: string): string {
  const url = new URL(socketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = '/api/info';
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** The room at `socketUrl`; rejects when nothing (or no Parley host) answers within `timeoutMs`. */
export async function fetchRoomInfo(socketUrl: string, timeoutMs = 10_000): Promise<RoomInfo> {
  const response = await fetch(infoUrlOf(socketUrl), { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`/api/info answered ${response.status}`);
  return v.parse(infoSchema, await response.json()).room;
}
