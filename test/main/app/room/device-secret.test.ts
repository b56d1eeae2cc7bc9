import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceSecretFrom } from '../../../../main/app/room/device-secret';
import { base64url } from '../../../../protocol/wire/identity';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-identity-'));
  file = path.join(dir, 'user-data', 'identity.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('device secret', () => {
  it('is made once, kept in a private file, and the same after a restart', async () => {
    const secret = await deviceSecretFrom(file)();
    expect(secret).toHaveLength(32);
    expect((await stat(file)).mode & 0o077).toBe(0);
    const kept = JSON.parse(await readFile(file, 'utf8'));
    expect(kept).toEqual({ version: 1, deviceSecret: base64url(secret) });
    expect(await deviceSecretFrom(file)()).toEqual(secret);
  });

  it('is loaded once per source, even when asked for twice at once', async () => {
    const source = deviceSecretFrom(file);
    const [first, second] = await Promise.all([source(), source()]);
    expect(first).toBe(second);
  });

  it('replaces a damaged file with a new secret rather than failing', async () => {
    await writeFile(path.join(dir, 'broken.json'), '{"version": 1, "deviceSecret": "short"}');
    const secret = await deviceSecretFrom(path.join(dir, 'broken.json'))();
    expect(secret).toHaveLength(32);
    expect(await deviceSecretFrom(path.join(dir, 'broken.json'))()).toEqual(secret);
  });

  it('rejects when the file cannot be written', async () => {
    await writeFile(path.join(dir, 'blocked'), '');
    await expect(deviceSecretFrom(path.join(dir, 'blocked', 'identity.json'))()).rejects.toThrow();
  });
});
