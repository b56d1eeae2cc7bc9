/**
 * The parley.v1 welcome's peer list is encoded once per change and spliced into every welcome,
 * compressed once for the clients that negotiated permessage-deflate: what a client reads must
 * still be exactly the welcome as `JSON.stringify` wrote it whole.
 */
import type { PerMessageDeflateOptions } from 'ws';
import { describe, expect, it } from 'vitest';
import type { WelcomeFrame } from '../../../protocol/wire/frames';
import { hostDeflateCount, hostDeflatedBytes } from '../../../main/host/frame-encoding';
import { V1Client } from './helpers/clients';
import { testHost } from './helpers/host';
import { deflateParamsOf, rawSocketOf } from './helpers/ws-internals';
import { until, withTimeout } from '../../support/wait';
import type { ParleyHost } from '../../../main/host/types';

/** Long names, so that a few hundred peers pass several of the compressed list's 16 KiB blocks. */
const nameOf = (index: number) => `someone with a long name ${index}`.slice(0, 32);

/** Joins and returns the welcome exactly as its text arrived, and the bytes read for it. */
async function rawWelcome(
  port: number,
  name: string,
  perMessageDeflate: boolean | PerMessageDeflateOptions,
) {
  const client = await V1Client.connect(port, { perMessageDeflate });
  const text = new Promise<string>((resolve) =>
    client.socket.on('message', (data, isBinary) => {
      const string = String(data);
      if (!isBinary && string.startsWith('{"type":"welcome"')) resolve(string);
    }),
  );
  const readBefore = rawSocketOf(client.socket).bytesRead;
  client.send({ type: 'hello', name });
  const welcome = await withTimeout(text, 5000, `${name}'s welcome`);
  const bytesRead = rawSocketOf(client.socket).bytesRead - readBefore;
  return { client, welcome, bytesRead, deflate: deflateParamsOf(client.socket) };
}

/** The welcome as the host wrote it before splicing: the whole frame through JSON.stringify. */
function wholeEncoding(host: ParleyHost, received: string): string {
  const { type, protocol, room, self, token, history, lastSeq, gap } = JSON.parse(
    received,
  ) as WelcomeFrame;
  const welcome = { type, protocol, room, self, token, history, lastSeq, gap };
  return JSON.stringify({ ...welcome, peers: host.peers() });
}

async function fillRoom(host: ParleyHost, count: number): Promise<V1Client[]> {
  const clients: V1Client[] = [];
  // Bounded: `count` joins, 20 at a time.
  for (let first = 0; first < count; first += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - first) }, (_, offset) =>
        V1Client.join(host.port, nameOf(first + offset), {}, { perMessageDeflate: false }),
      ),
    );
    clients.push(...batch.map((joined) => joined.client));
  }
  return clients;
}

describe('the welcome peer list, spliced', () => {
  it('reaches clients with and without deflate exactly as the whole encoding, compressed once', async () => {
    const host = await testHost({ limits: { maxConnections: 1000 } });
    const present = await fillRoom(host, 560);

    const plain = await rawWelcome(host.port, 'plain reader', false);
    expect(plain.deflate).toBeUndefined();
    expect(plain.welcome).toBe(wholeEncoding(host, plain.welcome));

    const first = await rawWelcome(host.port, 'deflate reader', true);
    expect(first.deflate).toMatchObject({ server_no_context_takeover: true });
    expect(first.welcome).toBe(wholeEncoding(host, first.welcome));
    expect(first.welcome.length).toBeGreaterThan(33_000);
    // It came compressed (RSV1): far fewer bytes on the wire than the JSON has.
    expect(first.bytesRead).toBeLessThan(first.welcome.length / 2);

    // Another deflate welcome compresses its own head and the list's newest rest (under one
    // 16 KiB block), never the whole list again.
    const [callsBefore, bytesBefore] = [hostDeflateCount(), hostDeflatedBytes()];
    const second = await rawWelcome(host.port, 'another reader', true);
    expect(second.welcome).toBe(wholeEncoding(host, second.welcome));
    expect(hostDeflateCount() - callsBefore).toBeLessThanOrEqual(2);
    expect(hostDeflatedBytes() - bytesBefore).toBeLessThan(16 * 1024 + 512);

    // A smaller window than the host's gets a list compressed for it, still exact.
    const small = await rawWelcome(host.port, 'small window', { serverMaxWindowBits: 9 });
    expect(small.deflate).toMatchObject({ server_max_window_bits: 9 });
    expect(small.welcome).toBe(wholeEncoding(host, small.welcome));

    // After a leave the list is rebuilt, raw and compressed, without the one who left.
    present[3]!.close();
    await until(() => host.peers().length === 563, 5000, 'a peer to leave');
    const afterLeave = await rawWelcome(host.port, 'late reader', true);
    expect(afterLeave.welcome).toBe(wholeEncoding(host, afterLeave.welcome));
    expect(afterLeave.welcome).not.toContain(`"${nameOf(3)}"`);
    for (const reader of [plain, first, second, small, afterLeave]) {
      expect(reader.client.invalid).toEqual([]);
    }
  }, 60_000);

  it('splices a welcome that carries history the same way', async () => {
    const host = await testHost({ limits: { maxConnections: 1000 } });
    const present = await fillRoom(host, 100);
    for (let index = 0; index < 20; index++) present[0]!.say(`m${index}`, `message ${index} `);
    await present[0]!.next('ack', 5000, (ack) => ack.id === 'm19');
    const reader = await rawWelcome(host.port, 'history reader', true);
    expect((JSON.parse(reader.welcome) as WelcomeFrame).history).toHaveLength(20);
    expect(reader.welcome).toBe(wholeEncoding(host, reader.welcome));
  }, 30_000);
});
