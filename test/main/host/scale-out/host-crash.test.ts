/**
 * A host of a shared room dies (SIGKILL, as a crash): its clients come back through another host
 * and lose or double nothing acknowledged; the others see its people leave within 10 s. The host
 * that dies is the real `parley host --redis` command, so its start banner is checked too.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GENERAL } from '../../../../protocol/wire/identity';
import { CLI_BUILD_TIMEOUT_MS, ensureCliBuilt } from '../../../support/cli-build';
import { killAll, runParley } from '../../cli/support/run-parley';
import { newIdentity, V2Client } from '../helpers/v2-client';
import { sharedHost, testRedis } from './helpers';

beforeAll(() => ensureCliBuilt(), CLI_BUILD_TIMEOUT_MS);
afterEach(() => killAll());

/** The promise of the protocol: a dead host's people are gone for the others within this. */
const LEFT_WITHIN_MS = 10_000;

describe('a host of a shared room killed with SIGKILL', () => {
  // A real host process to start and kill: slower than the default test timeout on a busy machine.
  it(
    'loses nothing acked, doubles nothing, and its people leave within 10 s',
    { timeout: 90_000 },
    async () => {
      const redis = await testRedis({ appendfsync: 'always' });
      const doomed = runParley([
        'host',
        ...['--port', '0', '--bind', '127.0.0.1', '--no-discovery', '--memory'],
        ...['--redis', redis.url],
      ]);
      const [, port] = await doomed.waitForOutput(/open on port (\d+)\./, 30_000);
      await doomed.waitForOutput(/Redis writes every acknowledged message/);
      const survivor = await sharedHost(redis);

      const { client: watcher } = await V2Client.join(survivor.port, 'watcher', newIdentity());
      const mover = newIdentity();
      const { client, welcome } = await V2Client.join(Number(port), 'mover', mover);
      const { client: bystander } = await V2Client.join(Number(port), 'bystander', newIdentity());
      await watcher.next('joined', undefined, (frame) => frame.peer.name === 'bystander');

      const acked = new Map<string, number>();
      for (let index = 0; index < 20; index++) client.say(`m${index}`, GENERAL, `line ${index}`);
      for (let index = 0; index < 10; index++) {
        const ack = await client.nextIn('ack', GENERAL);
        acked.set(ack.id, ack.seq);
      }
      doomed.child.kill('SIGKILL');
      const killedAt = Date.now();
      await Promise.all([client.waitClosed(), bystander.waitClosed()]);

      // The mover comes back through the other host and sends again whatever it has no ack for.
      const { client: back } = await V2Client.join(survivor.port, 'mover', {
        ...mover,
        resume: { token: welcome.token },
      });
      const left = await watcher.next(
        'left',
        LEFT_WITHIN_MS,
        (frame) => frame.peer.name === 'bystander',
      );
      expect(left.peer.name).toBe('bystander');
      expect(Date.now() - killedAt).toBeLessThan(LEFT_WITHIN_MS);
      for (let index = 0; index < 20; index++) back.say(`m${index}`, GENERAL, `line ${index}`);
      const final = new Map<string, number>();
      while (final.size < 20) {
        const ack = await back.nextIn('ack', GENERAL);
        final.set(ack.id, ack.seq);
      }
      for (const [id, seq] of acked) expect(final.get(id)).toBe(seq);

      back.send({ type: 'history', conv: GENERAL, before: 1_000, limit: 100 });
      const history = await back.nextIn('history', GENERAL);
      const ids = history.messages
        .filter((entry) => entry.kind === 'text')
        .map((entry) => entry.id);
      expect(ids.sort()).toEqual([...final.keys()].sort());
      expect(watcher.received('left').map((frame) => frame.peer.name)).not.toContain('mover');
    },
  );
});
