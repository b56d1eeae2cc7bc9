import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchRoomInfo, infoUrlOf } from '../../../protocol/client/room-info';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A web server answering /api/info with `body`. */
async function serving(body: unknown): Promise<string> {
  server = createServer((request, response) => {
    if (request.url !== '/api/info') {
      response.writeHead(404).end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
}

describe('room info', () => {
  it('finds the info URL beside the chat socket', () => {
    expect(infoUrlOf('ws://192.168.1.20:7420/ws')).toBe('http://192.168.1.20:7420/api/info');
    expect(infoUrlOf('wss://[fe80::1]:7420/ws?x=1')).toBe('https://[fe80::1]:7420/api/info');
  });

  it('reads the room a Parley host serves', async () => {
    const url = await serving({ app: 'parley', protocol: 2, room: { id: 'r_lab', name: 'Lab' } });
    expect(await fetchRoomInfo(url)).toEqual({ id: 'r_lab', name: 'Lab' });
  });

  it('refuses an answer that is not a Parley host’s', async () => {
    const url = await serving({ app: 'something else' });
    await expect(fetchRoomInfo(url)).rejects.toThrow();
  });
});
