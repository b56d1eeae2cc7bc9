/** One TLS identity per test file (made once: generating a key costs a few milliseconds each). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { ensureCertificate, type HostCertificate } from '../../../../main/tls/certificate';

let made: Promise<{ certificate: HostCertificate; dir: string }> | undefined;

afterAll(async () => {
  const done = made;
  made = undefined;
  if (done) await rm((await done).dir, { recursive: true, force: true });
});

/** A host certificate for 127.0.0.1 / localhost, shared by the tests of one file. */
export async function testCertificate(): Promise<HostCertificate> {
  made ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-host-tls-'));
    return { certificate: await ensureCertificate(dir, { hostnames: [] }), dir };
  })();
  return (await made).certificate;
}
