/**
 * `parley host --redis`: two hosts of one room started from the command line present the one
 * certificate given with --cert/--key, serve the same room, and say what Redis keeps across a
 * crash (with a warning when it could lose acknowledged messages).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readableFingerprint } from '../../../protocol/client/fingerprint';
import { CLI_BUILD_TIMEOUT_MS, ensureCliBuilt } from '../../support/cli-build';
import { testCertificate } from '../host/helpers/tls';
import { tempDir } from '../host/helpers/host';
import { testRedis } from '../host/scale-out/helpers';
import { until } from '../../support/wait';
import { killAll, runParley } from './support/run-parley';

beforeAll(() => ensureCliBuilt(), CLI_BUILD_TIMEOUT_MS);
afterEach(() => killAll());

describe('parley host --redis', () => {
  it(
    'shares one room and one certificate, and warns about appendfsync everysec',
    { timeout: 90_000 },
    async () => {
      const redis = await testRedis({ appendfsync: 'everysec' });
      const certificate = await testCertificate();
      const dir = await tempDir();
      const cert = path.join(dir, 'cert.pem');
      const key = path.join(dir, 'key.pem');
      await writeFile(cert, certificate.cert);
      await writeFile(key, certificate.key);
      const flags = ['--port', '0', '--bind', '127.0.0.1', '--no-discovery', '--memory'];
      const shared = ['--redis', redis.url, '--room-id', 'floor', '--cert', cert, '--key', key];
      const hosts = [
        runParley(['host', ...flags, ...shared]),
        runParley(['host', ...flags, ...shared]),
      ];
      const short = readableFingerprint(certificate.fingerprint256).short;
      for (const host of hosts) {
        await host.waitForOutput(/Press Ctrl\+C/, 30_000);
        expect(host.stdout()).toContain(`Fingerprint: ${short}`);
        expect(host.stdout()).toContain('synced once a second (appendfsync everysec)');
        // stderr is a pipe of its own: its lines may arrive after the banner on stdout.
        await until(
          () => host.stderr().includes('a Redis crash can lose the last acknowledged messages'),
          10_000,
          'the appendfsync warning on stderr',
        );
      }
      const invites = hosts.map((host) => /invite: parley:\/\/\S+/.exec(host.stdout())?.[0] ?? '');
      // Same room id in both invites (they differ by port only).
      const roomOf = (invite: string) =>
        new URL(invite.slice('invite: '.length)).searchParams.get('room');
      expect(roomOf(invites[0]!)).toBe('floor');
      expect(roomOf(invites[1]!)).toBe('floor');
    },
  );
});
