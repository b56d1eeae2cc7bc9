import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../protocol/wire/limits';
import { resolveHostOptions } from '../../../main/host/host-options';
import { defaultStaticDir } from '../../../main/host/package-root';
import { RECOMMENDED_SERVER_TIMEOUTS } from '../../../main/host/security/connection-caps';
import { testCertificate } from './helpers/tls';

describe('resolveHostOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveHostOptions({})).toEqual({
      port: 7420,
      host: '0.0.0.0',
      roomName: 'Parley',
      password: undefined,
      store: undefined,
      maxChannels: 1000,
      sessionRetentionDays: 30,
      limits: { ...DEFAULT_LIMITS },
      staticDir: defaultStaticDir(),
      allowPlain: true,
      tls: undefined,
      allowCleartext: false,
      guestPage: true,
      maxConnectionsPerAddress: 20,
      allowedOrigins: [],
      authThrottle: {},
      serverTimeouts: { ...RECOMMENDED_SERVER_TIMEOUTS },
      maxFileSize: 2 * 1024 ** 3,
      maxRoomFiles: 20 * 1024 ** 3,
      maxUploads: 10,
      fileCleanup: {},
    });
  });

  it('merges given server timeouts over the recommended ones', () => {
    const resolved = resolveHostOptions({ serverTimeouts: { headersTimeout: 500 } });
    expect(resolved.serverTimeouts).toEqual({
      ...RECOMMENDED_SERVER_TIMEOUTS,
      headersTimeout: 500,
    });
    expect(() =>
      resolveHostOptions({ serverTimeouts: { headersTimeout: 5000, requestTimeout: 1000 } }),
    ).toThrow(/headersTimeout must not be longer than requestTimeout/);
  });

  it('takes a certificate and key that load together, and refuses any other pair', async () => {
    const { cert, key } = await testCertificate();
    expect(resolveHostOptions({ tls: { cert, key } }).tls).toEqual({ cert, key });
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    for (const tls of [
      { cert, key: 'not a key' },
      { cert: key, key },
      { cert, key: otherKey },
    ]) {
      expect(() => resolveHostOptions({ tls }), JSON.stringify(tls).slice(0, 40)).toThrow(
        /Invalid host option tls/,
      );
    }
  });

  it('merges given limits over the defaults and trims the room name', () => {
    const resolved = resolveHostOptions({ roomName: '  Den ', limits: { rateBurst: 3 } });
    expect(resolved.roomName).toBe('Den');
    expect(resolved.limits).toEqual({ ...DEFAULT_LIMITS, rateBurst: 3 });
  });

  it('treats an empty password as an open room', () => {
    expect(resolveHostOptions({ password: '' }).password).toBeUndefined();
    expect(resolveHostOptions({ password: ' s ' }).password).toBe(' s ');
  });

  it('names the bad option', () => {
    expect(() => resolveHostOptions({ limits: { rateBurst: -1 } })).toThrow(/limits\.rateBurst/);
    expect(() => resolveHostOptions({ port: 65_536 })).toThrow(/port/);
  });
});
