/**
 * The TLS identity `parley host` serves with: one certificate per data directory, in DIR/tls,
 * created on first use and kept, because its fingerprint is what members check and pin. A --memory
 * host keeps it there too, so restarting it does not look like a changed identity.
 */
import { createSecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CertificateError, ensureCertificate, type HostCertificate } from '../tls/certificate';
import { defaultDataDir } from './data-dir';
import type { HostArgs } from './host-flags';
import { CliProblem } from './usage-error';

export const TLS_SUBDIR = 'tls';

export interface HostIdentity {
  certificate: HostCertificate;
  /** Where cert.pem and key.pem live. */
  dir: string;
}

export async function loadHostIdentity(
  args: Pick<HostArgs, 'data' | 'cert' | 'key'>,
  env: Record<string, string | undefined>,
): Promise<HostIdentity> {
  if (args.cert !== undefined && args.key !== undefined) return loadGivenPair(args.cert, args.key);
  const dir = join(resolve(args.data ?? defaultDataDir(env)), TLS_SUBDIR);
  try {
    return { certificate: await ensureCertificate(dir), dir };
  } catch (error) {
    // Its message names the file and says how to recover; a new identity is never made silently.
    if (error instanceof CertificateError) throw new CliProblem(error.message);
    const detail = error instanceof Error ? error.message : String(error);
    throw new CliProblem(`cannot create or read the host's certificate in ${dir}: ${detail}`);
  }
}

/** One line about the certificate when it is new or renewed (its fingerprint then changed). */
export function identityNote(identity: HostIdentity): string | undefined {
  switch (identity.certificate.status) {
    case 'created':
      return `Created this host's certificate in ${identity.dir}.`;
    case 'renewed':
      return 'The certificate was renewed, so its fingerprint changed: members who joined before will be warned and must compare it again.';
    default:
      return undefined;
  }
}

/** --cert/--key: the pair every host of a shared room presents, so pinned clients can move. */
async function loadGivenPair(certFile: string, keyFile: string): Promise<HostIdentity> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CliProblem(`cannot read --cert or --key: ${detail}`);
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
    createSecureContext({ cert, key });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CliProblem(
      `--cert ${certFile} and --key ${keyFile} do not load as a pair: ${detail}`,
    );
  }
  return {
    certificate: {
      cert,
      key,
      fingerprint256: x509.fingerprint256,
      status: 'loaded',
      validTo: new Date(x509.validTo),
    },
    dir: resolve(certFile, '..'),
  };
}
