import { describe, expect, it } from 'vitest';
import { PlainClient, V1Client } from './helpers/clients';
import { testHost } from './helpers/host';

describe('connections', () => {
  it('accepts the connection over the cap and closes it with 1013', async () => {
    const host = await testHost({ limits: { maxConnections: 2 } });
    const { client: first } = await V1Client.join(host.port, 'alice');
    await PlainClient.connect(host.port, '?name=bob');
    const third = await V1Client.connect(host.port);
    expect((await third.waitClosed()).code).toBe(1013);
    first.close();
    await first.waitClosed();
    // A freed place is available again (bounded retries while the host notices the close).
    let welcomed = false;
    for (let attempt = 0; attempt < 20 && !welcomed; attempt++) {
      const next = await V1Client.connect(host.port);
      next.send({ type: 'hello', name: `carol${attempt}` });
      welcomed = await Promise.race([
        next.next('welcome', 2000).then(() => true),
        next.closed.then(() => false),
      ]);
    }
    expect(welcomed).toBe(true);
  });

  it('counts sockets still saying hello towards the cap', async () => {
    const host = await testHost({ limits: { maxConnections: 1 } });
    const waiting = await V1Client.connect(host.port);
    const refused = await PlainClient.connect(host.port);
    expect((await refused.waitClosed()).code).toBe(1013);
    waiting.send({ type: 'hello', name: 'alice' });
    expect((await waiting.next('welcome')).self.name).toBe('alice');
  });
});
