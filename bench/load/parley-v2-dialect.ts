/**
 * The conversations case (parley.v2): each client says hello with an identity of its own, joins
 * its channel (the founders create them) and, when it has a partner, the second of the pair
 * opens their direct conversation; then it is ready. Its messages go to its channel, every fifth
 * one to its direct conversation (conversation-layout.ts), so a message reaches its channel's
 * members or the pair, not the room. Keeps state for one pool: the channel ids the founders got.
 */
import { createHash } from 'node:crypto';
import { directConversationId, peerIdOf } from '../../protocol/wire/identity';
import { SUBPROTOCOL_V2 } from '../../protocol/wire/limits';
import * as v from 'valibot';
import {
  channelOf,
  conversationLayout,
  goesDirect,
  isFounder,
  opensDirect,
  partnerOf,
  waveOf,
  type ConversationLayout,
} from './conversation-layout';
import type { Dialect, DialectClient, HandshakeStep } from './dialects';
import { contains, parleyErrorCode, PARLEY_WELCOME } from './frame-match';

const WAIT: HandshakeStep = { kind: 'wait' };
const READY: HandshakeStep = { kind: 'ready' };
const ACK = Buffer.from('"type":"ack"');
const CATCHUP = Buffer.from('"type":"catchup"');
const ackSchema = v.object({ type: v.literal('ack'), id: v.string(), conv: v.string() });

/** Where a client is in its handshake. */
const enum Step {
  Welcome,
  Created,
  Joined,
  Opened,
  Ready,
}

/** The identity secret of client `index`: 32 bytes as base64url, the same in every run. */
export function benchIdentity(index: number): string {
  return createHash('sha256').update(`parley-bench:${index}`).digest('base64url');
}

function send(client: DialectClient, frame: object): void {
  client.sendText(JSON.stringify(frame));
}

const conversationNeedle = (conv: string) => Buffer.from(`"conv":"${conv}"`);

export function createParleyV2Dialect(): Dialect {
  let layout: ConversationLayout = conversationLayout(1);
  let steps = new Uint8Array(0);
  /** Channel ids by channel number, as the founders' acks named them. */
  let channelIds: string[] = [];
  let channelNeedles: Buffer[] = [];
  /** Ready clients per channel: the receivers of a channel message. */
  let readyInChannel = new Uint32Array(0);
  let ready = new Uint8Array(0);
  /** Clients whose direct conversation exists (its opener saw its catchup): only they send there. */
  let paired = new Uint8Array(0);
  const peerIds = new Map<number, string>();
  const peerIdFor = (index: number) => {
    let id = peerIds.get(index);
    if (id === undefined) {
      id = peerIdOf(benchIdentity(index));
      peerIds.set(index, id);
    }
    return id;
  };
  const directIds = new Map<number, string>();
  const directOf = (index: number) => {
    let id = directIds.get(index);
    if (id === undefined) {
      id = directConversationId(peerIdFor(index), peerIdFor(partnerOf(layout, index)));
      directIds.set(index, id);
    }
    return id;
  };

  const becomeReady = (index: number): HandshakeStep => {
    steps[index] = Step.Ready;
    ready[index] = 1;
    readyInChannel[channelOf(layout, index)]! += 1;
    return READY;
  };

  /** Whether message number `message` from client `index` goes to its direct conversation. */
  const direct = (index: number, message: number) =>
    paired[index] === 1 && goesDirect(layout, index, message);

  const afterJoin = (client: DialectClient, index: number): HandshakeStep => {
    if (!opensDirect(layout, index)) return becomeReady(index);
    send(client, { type: 'open_direct', peer: peerIdFor(partnerOf(layout, index)) });
    steps[index] = Step.Opened;
    return WAIT;
  };

  return {
    path: () => '/ws',
    protocols: [SUBPROTOCOL_V2],
    prepare(clients) {
      layout = conversationLayout(clients);
      steps = new Uint8Array(clients);
      ready = new Uint8Array(clients);
      paired = new Uint8Array(clients);
      readyInChannel = new Uint32Array(layout.channels);
      channelIds = [];
      channelNeedles = [];
      directIds.clear();
    },
    waveOf: (index) => waveOf(layout, index),
    greet(client, index) {
      send(client, { type: 'hello', name: `b${index}`, identity: benchIdentity(index) });
      steps[index] = Step.Welcome;
      return WAIT;
    },
    handshake(client, index, data, start, end) {
      const code = parleyErrorCode(data, start, end);
      if (code !== undefined) return { kind: 'error', code };
      switch (steps[index] as Step) {
        case Step.Welcome: {
          if (!contains(data, PARLEY_WELCOME, start, end)) return WAIT;
          if (isFounder(layout, index)) {
            send(client, { type: 'create_channel', id: `create${index}`, name: `bench${index}` });
            steps[index] = Step.Created;
            return WAIT;
          }
          const channel = channelIds[channelOf(layout, index)];
          if (channel === undefined) return { kind: 'error', code: 'no_channel_from_founder' };
          send(client, { type: 'join', conv: channel });
          steps[index] = Step.Joined;
          return WAIT;
        }
        case Step.Created: {
          if (!contains(data, ACK, start, end)) return WAIT;
          const ack = v.safeParse(ackSchema, JSON.parse(data.toString('utf8', start, end)));
          if (!ack.success || ack.output.id !== `create${index}`) return WAIT;
          channelIds[index] = ack.output.conv;
          channelNeedles[index] = conversationNeedle(ack.output.conv);
          return becomeReady(index);
        }
        case Step.Joined: {
          const needle = channelNeedles[channelOf(layout, index)]!;
          const caughtUp =
            contains(data, CATCHUP, start, end) && contains(data, needle, start, end);
          return caughtUp ? afterJoin(client, index) : WAIT;
        }
        case Step.Opened: {
          const needle = conversationNeedle(directOf(index));
          const caughtUp =
            contains(data, CATCHUP, start, end) && contains(data, needle, start, end);
          return caughtUp ? becomeReady(index) : WAIT;
        }
        default:
          return WAIT;
      }
    },
    say(client, index, sayId, text, message) {
      const conv = direct(index, message) ? directOf(index) : channelIds[channelOf(layout, index)];
      send(client, { type: 'say', id: sayId, conv, text });
    },
    receivers(index, message) {
      if (!direct(index, message)) return readyInChannel[channelOf(layout, index)]!;
      return 1 + ready[partnerOf(layout, index)]!;
    },
    control: (_client, data, start, end) => parleyErrorCode(data, start, end),
  };
}
