import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { joinTarget } from '../../../main/app/join-target';
import { RoomController } from '../../../main/app/room-controller';
import { startHost } from '../../../main/host/server';
import { createMemoryStore } from '../../../main/host/store/memory-store';
import type { ParleyHost } from '../../../main/host/types';
import { ensureCertificate, type HostCertificate } from '../../../main/tls/certificate';
import { buildInvite } from '../../../protocol/invite';
import { quietAdvertiser } from './helpers/fakes';

describe('joinTarget: what people paste to join', () => {
  it.each([
    ['192.168.1.20:7420', 'ws://192.168.1.20:7420/ws'],
    ['192.168.1.20', 'ws://192.168.1.20:7420/ws'],
    ['ws://192.168.1.20:7420', 'ws://192.168.1.20:7420/ws'],
    ['parley://192.168.1.20:7420/?room=r_1', 'ws://192.168.1.20:7420/ws'],
    ['http://192.168.1.20:7420/', 'ws://192.168.1.20:7420/ws'],
    ['  [::1]:7421 ', 'ws://[::1]:7421/ws'],
  ])('reads %s as the chat socket %s, one key per room address', (typed, url) => {
    const target = joinTarget(typed);
    expect(target.url).toBe(url);
    expect(target.key).toBe(url);
  });

  it('keeps the room id and the fingerprint an invite carries', () => {
    const fingerprint = Array.from({ length: 32 }, () => '0F').join(':');
    const target = joinTarget(
      buildInvite({ host: '10.0.0.5', port: 7420, fingerprint, roomId: 'r_9' }),
    );
    expect(target).toMatchObject({
      url: 'wss://10.0.0.5:7420/ws',
      host: '10.0.0.5',
      port: 7420,
      fingerprint,
      roomId: 'r_9',
    });
  });

  it.each(['', 'ftp://host', 'parley://host:0/', 'parley://host/?fp=short', 'user@host:7420'])(
    'refuses %j with a bad_address sentence',
    (typed) => {
      expect(() => joinTarget(typed)).toThrow(
        expect.objectContaining({ code: 'bad_address', message: expect.stringMatching(/\w/) }),
      );
    },
  );
});

describe('joining a TLS room by its invite', () => {
  let dir: string;
  let certificate: HostCertificate;
  let host: ParleyHost;
  const controllers: RoomController[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'parley-join-tls-'));
    certificate = await ensureCertificate(dir, { hostnames: ['parley-test.invalid'] });
    host = await startHost({
      port: 0,
      host: '127.0.0.1',
      roomName: 'Vault',
      store: createMemoryStore('Vault'),
      tls: { cert: certificate.cert, key: certificate.key },
    });
  }, 30_000);

  afterEach(async () => {
    await Promise.all(controllers.splice(0).map((controller) => controller.leave()));
  });

  afterAll(async () => {
    await host?.close();
    await rm(dir, { recursive: true, force: true });
  });

  function controller() {
    const made = new RoomController({
      dataDir: dir,
      openStore: createMemoryStore,
      bindAddress: '127.0.0.1',
      advertiseRoom: quietAdvertiser(),
      log: () => undefined,
    });
    controllers.push(made);
    return made;
  }

  it('trusts exactly the certificate in the invite', async () => {
    const invite = buildInvite({
      host: '127.0.0.1',
      port: host.port,
      fingerprint: certificate.fingerprint256,
      roomId: host.room.id,
    });
    const joined = await controller().join({ address: invite, name: 'Bob' });
    expect(joined.room).toEqual(host.room);
  });

  it('refuses a host whose certificate is not the one in the invite, sending it nothing', async () => {
    const other = Array.from({ length: 32 }, () => 'AA').join(':');
    const invite = buildInvite({ host: '127.0.0.1', port: host.port, fingerprint: other });
    const failure = await controller()
      .join({ address: invite, name: 'Bob' })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({
      code: 'fingerprint_mismatch',
      message: expect.stringMatching(/Nothing was sent/),
    });
    expect(host.peers()).toEqual([]);
  });
});
