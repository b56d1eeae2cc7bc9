/**
 * The one contract between the UI and whatever runs the room for it. The desktop app implements
 * it in the preload (window.parley, over IPC to the main process); the browser guest page
 * implements it over the browser's WebSocket. Components only ever see a ParleyBridge.
 *
 * The IPC channel names and argument schemas are declared here once; main validates every
 * argument against them and the preload derives its methods from them.
 */
import * as v from 'valibot';
import type { ChatMessage, Peer, RoomInfo } from './frames';
import type { ConnectionState, EndReason, OutgoingMessage } from './client-types';

export interface RoomAddress {
  /** What another app or terminal client types to join, e.g. `192.168.1.20:7420`. */
  address: string;
  /** The network interface it belongs to (e.g. `wlan0`), or `loopback`. */
  interfaceName: string;
}

export interface RoomSummary {
  room: RoomInfo;
  self: Peer;
  peers: Peer[];
  /** True when this app hosts the room (closing it ends the room for everyone). */
  hosting: boolean;
  /** Addresses others can join by; empty for a guest. */
  addresses: RoomAddress[];
}

export type RoomEvent =
  | { type: 'state'; state: ConnectionState }
  | { type: 'summary'; summary: RoomSummary }
  | { type: 'message'; message: ChatMessage }
  | { type: 'outbox'; outbox: OutgoingMessage[] }
  | { type: 'peers'; peers: Peer[] }
  | { type: 'joined'; peer: Peer }
  | { type: 'left'; peer: Peer }
  | { type: 'typing'; peer: Peer }
  | { type: 'error'; code: string; message: string }
  | { type: 'gap' }
  | { type: 'roomChanged'; previous: RoomInfo; current: RoomInfo }
  | { type: 'ended'; reason: EndReason };

export interface Preferences {
  name: string;
  roomName: string;
  address: string;
  port: number;
}

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));

export const hostRequestSchema = v.object({
  roomName: v.pipe(text(64), v.trim(), v.minLength(1, 'Give the room a name.')),
  name: text(200),
  password: v.optional(text(1024)),
  port,
});
export const joinRequestSchema = v.object({
  address: v.pipe(text(512), v.trim(), v.minLength(1, 'Type the address of the room.')),
  name: text(200),
  password: v.optional(text(1024)),
});
export const preferencesSchema = v.object({
  name: text(200),
  roomName: text(64),
  address: text(512),
  port,
});

export type HostRequest = v.InferInput<typeof hostRequestSchema>;
export type JoinRequest = v.InferInput<typeof joinRequestSchema>;

/** Every request method: its IPC channel and the schema of its one argument (if any). */
export const bridgeRequests = {
  host: { channel: 'parley:host', arg: hostRequestSchema },
  join: { channel: 'parley:join', arg: joinRequestSchema },
  leave: { channel: 'parley:leave', arg: v.undefined() },
  send: { channel: 'parley:send', arg: v.pipe(v.string(), v.maxLength(100_000)) },
  retry: { channel: 'parley:retry', arg: v.pipe(v.string(), v.maxLength(64)) },
  typing: { channel: 'parley:typing', arg: v.undefined() },
  loadOlder: { channel: 'parley:load-older', arg: v.pipe(v.number(), v.integer(), v.minValue(1)) },
  loadPreferences: { channel: 'parley:load-preferences', arg: v.undefined() },
  savePreferences: { channel: 'parley:save-preferences', arg: preferencesSchema },
  openExternal: { channel: 'parley:open-external', arg: v.pipe(v.string(), v.url()) },
} as const;

/** Main process to renderer: one channel carrying RoomEvent objects. */
export const ROOM_EVENT_CHANNEL = 'parley:room-event';

export interface ParleyBridge {
  readonly kind: 'desktop' | 'browser';
  /** Starts a host in this app and joins it. Browser guests cannot host (rejects). */
  host(request: HostRequest): Promise<RoomSummary>;
  join(request: JoinRequest): Promise<RoomSummary>;
  leave(): Promise<void>;
  /** Queues a message; resolves with its say id once queued (not once acknowledged). */
  send(text: string): Promise<string>;
  /** Re-sends a failed message with its original id. */
  retry(id: string): Promise<void>;
  typing(): Promise<void>;
  /** Older messages before `beforeSeq`, oldest first. */
  loadOlder(beforeSeq: number): Promise<{ messages: ChatMessage[]; more: boolean }>;
  loadPreferences(): Promise<Preferences>;
  savePreferences(preferences: Preferences): Promise<void>;
  /** Opens an http(s) link in the system browser (desktop) or a new tab (browser). */
  openExternal(url: string): Promise<void>;
  /** Room events; returns the unsubscribe function. */
  subscribe(listener: (event: RoomEvent) => void): () => void;
}

// Ties the request table to the interface: a method missing from either side fails to compile.
export type BridgeRequestName = keyof typeof bridgeRequests;
type _EveryRequestIsAMethod = BridgeRequestName extends keyof ParleyBridge ? true : never;
type _EveryMethodIsARequest =
  Exclude<keyof ParleyBridge, 'kind' | 'subscribe'> extends BridgeRequestName ? true : never;
export const bridgeContractChecks: [_EveryRequestIsAMethod, _EveryMethodIsARequest] = [true, true];

/** Errors crossing the bridge carry a protocol code and a sentence fit to show a person. */
export interface BridgeError {
  code: string;
  message: string;
}
