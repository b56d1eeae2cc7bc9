/**
 * Child process entry: one of several Socket.IO 4 servers joined through Redis by
 * `@socket.io/redis-adapter` (argv[2] is the Redis URL), set up as its documentation shows: a
 * node-redis publisher and a duplicate subscriber. Otherwise the one-server target
 * (bench/targets/socket-io.ts): `io.emit` per message reaches every server's clients.
 */
import { createClient } from '@redis/client';
import { createAdapter } from '@socket.io/redis-adapter';
import { runServerChild } from '../children/server-child';
import { startSocketIoServerWith } from '../targets/socket-io';

const [redisUrl = ''] = process.argv.slice(2);

runServerChild(async () => {
  const publisher = createClient({ url: redisUrl });
  const subscriber = publisher.duplicate();
  // node-redis emits errors as events; without a listener one would crash the child.
  for (const client of [publisher, subscriber]) client.on('error', () => undefined);
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const server = await startSocketIoServerWith({ adapter: createAdapter(publisher, subscriber) });
  return {
    port: server.port,
    async close() {
      await server.close();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
});
