/**
 * Maps frames of an esbuild bundle back to the TypeScript they came from, using the .js.map
 * written next to each bundle, so a profile of dist/bench/children/parley-server.js reads
 * "main/host/room.ts:120" instead of one bundle line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CallFrame, FrameResolver } from './analyze';

export function createSourceMapResolver(): FrameResolver {
  const maps = new Map<string, { map: SourceMap; base: string } | undefined>();
  const mapFor = (url: string) => {
    if (maps.has(url)) return maps.get(url);
    let entry: { map: SourceMap; base: string } | undefined;
    try {
      const file = url.startsWith('file://') ? fileURLToPath(url) : url;
      const mapFile = `${file}.map`;
      if (existsSync(mapFile)) {
        entry = {
          map: new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))),
          base: pathToFileURL(mapFile).href,
        };
      }
    } catch {
      entry = undefined;
    }
    maps.set(url, entry);
    return entry;
  };
  return (frame: CallFrame) => {
    const entry = mapFor(frame.url);
    if (!entry) return frame;
    const found = entry.map.findEntry(frame.lineNumber, frame.columnNumber);
    if (!('originalSource' in found) || !found.originalSource) return frame;
    return { url: new URL(found.originalSource, entry.base).href, lineNumber: found.originalLine };
  };
}
