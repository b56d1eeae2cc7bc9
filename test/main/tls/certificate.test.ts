import { X509Certificate } from 'node:crypto';
import { readFile, readdir, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CERT_FILE,
  CertificateError,
  KEY_FILE,
  defaultHostnames,
  ensureCertificate,
} from '../../../main/tls/certificate';
import { startHttpsServer, withTempDirs } from './tls-fixtures';

const DAY = 24 * 60 * 60 * 1000;
let dirs: Awaited<ReturnType<typeof withTempDirs>>;

beforeEach(async () => {
  dirs = await withTempDirs();
});
afterEach(async () => {
  await dirs.cleanup();
});

async function expectCertificateError(promise: Promise<unknown>, code: string, file: string) {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(CertificateError);
  expect((error as CertificateError).code).toBe(code);
  expect((error as CertificateError).file).toBe(file);
  expect((error as CertificateError).message).toContain(file);
}

describe('ensureCertificate on first use', () => {
  it('creates cert.pem and a private key.pem and reports the fingerprint of what it wrote', async () => {
    const dir = await dirs.make();
    const result = await ensureCertificate(dir);
    expect(result.status).toBe('created');
    const onDisk = await readFile(join(dir, CERT_FILE), 'utf8');
    expect(onDisk).toBe(result.cert);
    expect(await readFile(join(dir, KEY_FILE), 'utf8')).toBe(result.key);
    expect(result.fingerprint256).toBe(new X509Certificate(onDisk).fingerprint256);
    if (process.platform !== 'win32') {
      expect((await stat(join(dir, KEY_FILE))).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, CERT_FILE))).mode & 0o777).toBe(0o600);
    }
    expect((await readdir(dir)).sort()).toEqual([CERT_FILE, KEY_FILE]);
  });

  it('names localhost, 127.0.0.1 and this machine, for serving TLS (not as a CA)', async () => {
    const dir = await dirs.make();
    const { cert, validTo } = await ensureCertificate(dir);
    const x509 = new X509Certificate(cert);
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    for (const name of defaultHostnames()) expect(x509.subjectAltName).toContain(`DNS:${name}`);
    if (/^[a-z0-9-]+$/i.test(hostname())) {
      expect(defaultHostnames()).toContain(hostname().toLowerCase());
    }
    expect(x509.ca).toBe(false);
    expect(x509.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    // Valid from before now (clients with slow clocks) until about 825 days from now.
    expect(Date.parse(x509.validFrom)).toBeLessThan(Date.now() - DAY / 2);
    expect(validTo.getTime()).toBeGreaterThan(Date.now() + 824 * DAY);
    expect(validTo.getTime()).toBeLessThan(Date.now() + 826 * DAY);
  });

  it('serves https that a client trusting only this certificate accepts by name and by IP', async () => {
    const dir = await dirs.make();
    const certificate = await ensureCertificate(dir);
    const server = await startHttpsServer(certificate);
    try {
      for (const host of ['localhost', '127.0.0.1']) {
        const status = await new Promise<number | undefined>((resolve, reject) => {
          get(
            { host, port: server.port, path: '/api/info', ca: certificate.cert, agent: false },
            (res) => {
              res.resume();
              resolve(res.statusCode);
            },
          ).on('error', reject);
        });
        expect(status, host).toBe(200);
      }
    } finally {
      await server.close();
    }
  });

  it('lists extra host names and skips ones DNS would not accept', async () => {
    const dir = await dirs.make();
    const { cert } = await ensureCertificate(dir, {
      hostnames: ['Parley-Box.lan', 'bad name!', '', '-dash.example'],
    });
    const names = new X509Certificate(cert).subjectAltName ?? '';
    expect(names).toContain('DNS:parley-box.lan');
    expect(names).not.toContain('bad name');
    expect(names).not.toContain('-dash');
  });

  it('creates one pair when called many times at once', async () => {
    const dir = await dirs.make();
    const results = await Promise.all(Array.from({ length: 5 }, () => ensureCertificate(dir)));
    expect(new Set(results.map((result) => result.fingerprint256)).size).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([CERT_FILE, KEY_FILE]);
  });

  it('creates the data directory when it does not exist yet', async () => {
    const dir = join(await dirs.make(), 'nested', 'data');
    expect((await ensureCertificate(dir)).status).toBe('created');
  });
});

describe('ensureCertificate later', () => {
  it('loads the same identity again', async () => {
    const dir = await dirs.make();
    const first = await ensureCertificate(dir);
    const second = await ensureCertificate(dir);
    expect(second.status).toBe('loaded');
    expect(second.fingerprint256).toBe(first.fingerprint256);
    expect(second.key).toBe(first.key);
  });

  it('renews an expiring certificate with the same key, and says so', async () => {
    const dir = await dirs.make();
    const first = await ensureCertificate(dir);
    const later = Date.now() + 900 * DAY;
    const renewed = await ensureCertificate(dir, { now: () => later });
    expect(renewed.status).toBe('renewed');
    expect(renewed.fingerprint256).not.toBe(first.fingerprint256);
    expect(renewed.key).toBe(first.key);
    expect(renewed.validTo.getTime()).toBeGreaterThan(later);
    expect(await readFile(join(dir, CERT_FILE), 'utf8')).toBe(renewed.cert);
  });

  it('refuses an unreadable certificate and names cert.pem', async () => {
    const dir = await dirs.make();
    await ensureCertificate(dir);
    await writeFile(join(dir, CERT_FILE), '-----BEGIN CERTIFICATE-----\nnot base64\n');
    await expectCertificateError(ensureCertificate(dir), 'cert_unreadable', join(dir, CERT_FILE));
  });

  it('refuses an unreadable key and names key.pem', async () => {
    const dir = await dirs.make();
    await ensureCertificate(dir);
    await writeFile(join(dir, KEY_FILE), 'garbage');
    await expectCertificateError(ensureCertificate(dir), 'key_unreadable', join(dir, KEY_FILE));
  });

  it('refuses a certificate that belongs to another key', async () => {
    const [dirA, dirB] = [await dirs.make(), await dirs.make()];
    await ensureCertificate(dirA);
    const other = await ensureCertificate(dirB);
    await writeFile(join(dirA, CERT_FILE), other.cert);
    await expectCertificateError(ensureCertificate(dirA), 'pair_mismatch', join(dirA, CERT_FILE));
  });

  it('refuses half a pair instead of silently making a new identity', async () => {
    const dir = await dirs.make();
    await ensureCertificate(dir);
    await unlink(join(dir, CERT_FILE));
    await expectCertificateError(ensureCertificate(dir), 'pair_incomplete', join(dir, CERT_FILE));
    expect(await readdir(dir)).toEqual([KEY_FILE]);
  });

  it('gives up with an error, not a loop, when key.pem is a dangling link', async () => {
    if (process.platform === 'win32') return;
    const dir = await dirs.make();
    await symlink(join(dir, 'nowhere.pem'), join(dir, KEY_FILE));
    await expectCertificateError(ensureCertificate(dir), 'pair_incomplete', join(dir, KEY_FILE));
  });

  it('rejects options it cannot use', async () => {
    const dir = await dirs.make();
    await expect(ensureCertificate(dir, { validityDays: -1 })).rejects.toThrow(TypeError);
  });
});
