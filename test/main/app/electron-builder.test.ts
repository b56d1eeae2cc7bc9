import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = readFileSync(`${root}electron-builder.yml`, 'utf8');

/** The lines indented under a top-level key (or under `parent:` then `key:`), comments dropped. */
function block(key: string, parent?: string): string[] {
  const lines = config.split('\n').filter((line) => !line.trim().startsWith('#'));
  const scope = parent ? block(parent) : lines;
  const start = scope.findIndex((line) => line === `${key}:`);
  if (start < 0) return [];
  const body: string[] = [];
  for (const line of scope.slice(start + 1)) {
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) break;
    body.push(line.replace(/^ {2}/, ''));
  }
  return body;
}

function scalar(key: string, lines = config.split('\n')): string | undefined {
  const line = lines.find((l) => l.startsWith(`${key}: `));
  return line?.slice(key.length + 2).trim();
}

const listItems = (lines: string[]) =>
  lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2).replace(/^'(.*)'$/, '$1'));

describe('electron-builder.yml', () => {
  it('names the app', () => {
    expect(scalar('appId')).toBe('app.parley.desktop');
    expect(scalar('productName')).toBe('Parley');
  });

  it('packages only the built output and package.json', () => {
    const files = listItems(block('files'));
    const included = files.filter((f) => !f.startsWith('!'));
    expect(included.sort()).toEqual(['dist/**', 'package.json']);
    for (const pattern of files) expect(pattern).not.toMatch(/^(main|protocol|renderer|test)\//);
  });

  it('unpacks the native binaries (libsql, sharp and its libvips) from the asar', () => {
    expect(listItems(block('asarUnpack')).sort()).toEqual([
      'node_modules/@img/**',
      'node_modules/@libsql/**',
      'node_modules/libsql/**',
      'node_modules/sharp/**',
    ]);
  });

  it('flips every Electron fuse the security checklist asks for', () => {
    const fuses = Object.fromEntries(block('electronFuses').map((l) => l.split(': ')));
    expect(fuses).toEqual({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      enableCookieEncryption: 'true',
      // Pages on file:// get no privileges beyond a web page's: the window uses parley-app://.
      grantFileProtocolExtraPrivileges: 'false',
    });
  });

  it('declares parley:// invite links as opened by the app', () => {
    const protocols = block('protocols');
    expect(protocols[0]).toBe('- name: Parley invite');
    expect(protocols.slice(1).map((line) => line.trim())).toEqual(['schemes:', '- parley']);
  });

  it('builds AppImage and deb on Linux, NSIS on Windows, dmg on macOS', () => {
    expect(listItems(block('target', 'linux')).sort()).toEqual(['AppImage', 'deb']);
    expect(scalar('category', block('linux'))).toBe('Network');
    expect(scalar('maintainer', block('linux'))).toMatch(/\S+ <\S+@\S+>/);
    expect(listItems(block('target', 'win'))).toEqual(['nsis']);
    expect(listItems(block('target', 'mac'))).toEqual(['dmg']);
  });

  it('uses build/icon.png, a 512x512 RGBA PNG', () => {
    expect(scalar('icon')).toBe('build/icon.png');
    const png = readFileSync(`${root}build/icon.png`);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]));
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([
      512, 512, 8, 6,
    ]);
    // The image data inflates to exactly one filter byte plus 512 RGBA pixels per row.
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(raw.length).toBe(512 * (1 + 512 * 4));
  });
});
