/**
 * The host's TLS identity: one self-signed certificate and key per data directory, created on
 * first use and kept, because its SHA-256 fingerprint is what clients pin and what the host reads
 * aloud. Replacing it makes every client that knew the room warn about a changed identity.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { generate } from 'selfsigned';
import * as v from 'valibot';
import { errorCode, writeFileAtomic } from '../fs/atomic-file';
import { CertificateError } from './certificate-error';

export { CertificateError, type CertificateErrorCode } from './certificate-error';

export const CERT_FILE = 'cert.pem';
export const KEY_FILE = 'key.pem';

export interface CertificateOptions {
  /**
   * DNS names the certificate lists besides localhost, 127.0.0.1 and ::1.
   * Default: this machine's hostname and its `.local` (mDNS) form.
   */
  hostnames?: readonly string[];
  /** Lifetime of a new certificate. Default 825 days, the longest Apple platforms accept. */
  validityDays?: number;
  /** Replace the certificate (keeping the key) when it expires within this time. Default 1 day. */
  renewBeforeMs?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

export interface HostCertificate {
  /** PEM certificate, for `https.createServer({ cert })`. */
  cert: string;
  /** PEM private key (PKCS#8), for `https.createServer({ key })`. */
  key: string;
  /** Canonical SHA-256 fingerprint (`AB:CD:…`), the room's identity. */
  fingerprint256: string;
  /** First-use creation, an existing pair, or a new certificate for the old key after expiry. */
  status: 'created' | 'loaded' | 'renewed';
  validTo: Date;
}

const optionsSchema = v.object({
  hostnames: v.optional(v.array(v.pipe(v.string(), v.maxLength(253)))),
  validityDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)), 825),
  renewBeforeMs: v.optional(v.pipe(v.number(), v.minValue(0)), 24 * 60 * 60 * 1000),
  now: v.optional(v.function(), () => Date.now),
});

type ResolvedOptions = {
  hostnames: readonly string[];
  validityDays: number;
  renewBeforeMs: number;
  now: () => number;
};

// A client whose clock runs behind the host's must not see a "not yet valid" certificate.
const CLOCK_SKEW_ALLOWANCE_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
// Another process may be between writing key.pem and cert.pem; give it this long to finish.
const INCOMPLETE_PAIR_RETRIES = 20;
const INCOMPLETE_PAIR_RETRY_MS = 50;
const LABEL = /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$/;

const inFlight = new Map<string, Promise<HostCertificate>>();

/** Loads the pair in `dataDir`, creating it on first use. Concurrent calls share one result. */
export function ensureCertificate(
  dataDir: string,
  options: CertificateOptions = {},
): Promise<HostCertificate> {
  const parsed = v.safeParse(optionsSchema, options);
  if (!parsed.success) {
    return Promise.reject(new TypeError(`certificate options: ${parsed.issues[0].message}`));
  }
  const resolved: ResolvedOptions = {
    ...parsed.output,
    now: parsed.output.now as () => number,
    hostnames: parsed.output.hostnames ?? defaultHostnames(),
  };
  const directory = resolve(dataDir);
  const pending = inFlight.get(directory);
  if (pending) return pending;
  const started = loadOrCreate(directory, resolved).finally(() => inFlight.delete(directory));
  inFlight.set(directory, started);
  return started;
}

/** This machine's name as DNS names for the certificate, skipping names DNS would not accept. */
export function defaultHostnames(): string[] {
  const name = osHostname().trim().toLowerCase();
  if (!isDnsName(name)) return [];
  return name.includes('.') ? [name] : [name, `${name}.local`];
}

async function loadOrCreate(directory: string, options: ResolvedOptions): Promise<HostCertificate> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const certPath = join(directory, CERT_FILE);
  const keyPath = join(directory, KEY_FILE);
  for (let attempt = 0; attempt <= INCOMPLETE_PAIR_RETRIES; attempt++) {
    const [certPem, keyPem] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
    if (certPem !== undefined && keyPem !== undefined) {
      return load(certPath, certPem, keyPath, keyPem, options);
    }
    if (certPem === undefined && keyPem === undefined) {
      const created = await create(certPath, keyPath, options);
      if (created) return created;
      // Another process created the pair first: load theirs on the next turn.
    } else {
      await delay(INCOMPLETE_PAIR_RETRY_MS);
    }
  }
  const certMissing = (await readIfExists(certPath)) === undefined;
  const keyMissing = (await readIfExists(keyPath)) === undefined;
  if (certMissing && keyMissing) {
    // Reads say missing while exclusive creation says taken: a dangling link or the like.
    throw new CertificateError(
      'pair_incomplete',
      keyPath,
      `${keyPath} cannot be created or read (is it a broken link?). Remove it to create a new identity.`,
    );
  }
  const [missing, present] = certMissing ? [certPath, keyPath] : [keyPath, certPath];
  throw new CertificateError(
    'pair_incomplete',
    missing,
    `${missing} is missing but ${present} exists. Restore the missing file, or delete ${present} to create a new identity (clients will see a changed fingerprint).`,
  );
}

async function create(
  certPath: string,
  keyPath: string,
  options: ResolvedOptions,
): Promise<HostCertificate | undefined> {
  const generated = await generateCertificate(undefined, options);
  // The key goes first: a process that sees cert.pem always finds its key.
  if (!(await writeFileAtomic(keyPath, generated.private, { exclusive: true }))) return undefined;
  // Lost to a stray cert.pem: loading then reports the pair as it is on disk.
  if (!(await writeFileAtomic(certPath, generated.cert, { exclusive: true }))) return undefined;
  return describe(generated.cert, generated.private, 'created');
}

async function load(
  certPath: string,
  certPem: string,
  keyPath: string,
  keyPem: string,
  options: ResolvedOptions,
): Promise<HostCertificate> {
  const certificate = parseCertificate(certPath, certPem);
  const key = parseKey(keyPath, keyPem);
  if (!certificate.checkPrivateKey(key)) {
    throw new CertificateError(
      'pair_mismatch',
      certPath,
      `${certPath} does not belong to the key in ${keyPath}. Restore the matching pair, or delete both files to create a new identity (clients will see a changed fingerprint).`,
    );
  }
  await tightenPermissions(keyPath);
  const expiresAt = Date.parse(certificate.validTo);
  if (expiresAt - options.now() > options.renewBeforeMs) return describe(certPem, keyPem, 'loaded');
  const renewed = await generateCertificate(keyPem, options);
  await writeFileAtomic(certPath, renewed.cert);
  return describe(renewed.cert, keyPem, 'renewed');
}

function parseCertificate(path: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new CertificateError(
      'cert_unreadable',
      path,
      `${path} is not a readable PEM certificate (${String(error)}). Restore it from a backup, or delete it and ${KEY_FILE} to create a new identity.`,
    );
  }
}

function parseKey(path: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new CertificateError(
      'key_unreadable',
      path,
      `${path} is not a readable PEM private key (${String(error)}). Restore it from a backup, or delete it and ${CERT_FILE} to create a new identity.`,
    );
  }
}

async function generateCertificate(existingKeyPem: string | undefined, options: ResolvedOptions) {
  const notBefore = options.now() - CLOCK_SKEW_ALLOWANCE_MS;
  const altNames = [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 7 as const, ip: '::1' },
    ...unique(options.hostnames.map((name) => name.trim().toLowerCase()))
      .filter((name) => name !== 'localhost' && isDnsName(name))
      .map((value) => ({ type: 2 as const, value })),
  ];
  const keyPair = existingKeyPem
    ? {
        privateKey: existingKeyPem,
        publicKey: createPublicKey(existingKeyPem)
          .export({ type: 'spki', format: 'pem' })
          .toString(),
      }
    : undefined;
  return generate([{ name: 'commonName', value: 'Parley host' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ...(keyPair ? { keyPair } : {}),
    notBeforeDate: new Date(notBefore),
    notAfterDate: new Date(options.now() + options.validityDays * DAY_MS),
    // Browsers (Apple's most strictly) want serverAuth, a SAN for every name, and a leaf, not a CA.
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
}

function describe(cert: string, key: string, status: HostCertificate['status']): HostCertificate {
  const certificate = new X509Certificate(cert);
  return {
    cert,
    key,
    fingerprint256: certificate.fingerprint256,
    status,
    validTo: new Date(certificate.validTo),
  };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function tightenPermissions(keyPath: string): Promise<void> {
  // Windows has no POSIX modes; elsewhere a key that others can read is fixed, not just warned about.
  if (process.platform === 'win32') return;
  await chmod(keyPath, 0o600).catch(() => undefined);
}

function isDnsName(name: string): boolean {
  return (
    name.length > 0 && name.length <= 253 && name.split('.').every((label) => LABEL.test(label))
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
