import { describe, expect, it } from 'vitest';
import { GENERAL } from '../../../../protocol/wire/identity';
import { newIdentity, V2Client } from '../helpers/v2-client';
import { sharedHost, testRedis } from './helpers';

describe('several hosts, one room', () => {
  it('gives every entry the same seq and order on every host', async () => {
    const redis = await testRedis();
    const hosts = [await sharedHost(redis), await sharedHost(redis), await sharedHost(redis)];
    expect(new Set(hosts.map((host) => host.room.id)).size).toBe(1);
    const clients = [];
    for (const [index, host] of hosts.entries()) {
      const { client } = await V2Client.join(host.port, `person${index}`, newIdentity());
      clients.push(client);
    }
    for (let round = 0; round < 5; round++) {
      for (const [index, client] of clients.entries()) {
        client.say(`s${round}-${index}`, GENERAL, `round ${round} from ${index}`);
      }
    }
    const total = 5 * clients.length;
    const seen = await Promise.all(
      clients.map(async (client) => {
        const texts: string[] = [];
        while (texts.length < total) {
          const message = await client.nextIn('message', GENERAL);
          if (message.kind === 'text')
            texts.push(`${message.seq}:${String(message['text' as keyof typeof message])}`);
        }
        return texts;
      }),
    );
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    const seqs = seen[0]!.map((line) => Number(line.split(':')[0]));
    expect(seqs).toEqual(seqs.map((_, index) => seqs[0]! + index));
    for (const client of clients) expect(client.invalid).toEqual([]);
  });
});
