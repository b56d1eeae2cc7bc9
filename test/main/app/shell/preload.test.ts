/**
 * The preload as Electron runs it: bundled to CommonJS and evaluated where `require` knows only
 * 'electron' (a sandboxed preload cannot load packages from node_modules).
 */
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { bridgeRequests, ROOM_EVENT_CHANNEL, type ParleyBridge } from '../../../../protocol/bridge';

const entry = fileURLToPath(new URL('../../../../main/app/shell/preload.ts', import.meta.url));
let bundle: string;

beforeAll(async () => {
  // As scripts/build.js builds it, but with packages bundled in (see the report on build.js).
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]?.text ?? '';
});

function runPreload() {
  const exposed = new Map<string, unknown>();
  const invokes: { channel: string; arg: unknown }[] = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api),
    },
    ipcRenderer: {
      invoke: async (channel: string, arg: unknown) => {
        invokes.push({ channel, arg });
        return { ok: true, value: null };
      },
      on(channel: string, listener: (...args: unknown[]) => void) {
        const set = listeners.get(channel) ?? new Set();
        set.add(listener);
        listeners.set(channel, set);
      },
      off: (channel: string, listener: (...args: unknown[]) => void) =>
        listeners.get(channel)?.delete(listener),
    },
  };
  const requested: string[] = [];
  const sandboxRequire = (name: string) => {
    requested.push(name);
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(bundle, { require: sandboxRequire, module, exports: module.exports });
  return { exposed, invokes, listeners, requested };
}

describe('preload', () => {
  it('loads with nothing but electron, as a sandboxed preload must', () => {
    const { requested } = runPreload();
    expect(requested).toEqual(['electron']);
  });

  it('exposes window.parley with every request method and no ipcRenderer', async () => {
    const { exposed, invokes } = runPreload();
    expect([...exposed.keys()]).toEqual(['parley']);
    const bridge = exposed.get('parley') as ParleyBridge;
    expect(bridge.kind).toBe('desktop');
    expect(Object.keys(bridge).sort()).toEqual(
      [...Object.keys(bridgeRequests), 'kind', 'subscribe'].sort(),
    );
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipc|invoke|send\(/i);
    await bridge.send({ conv: 'general', text: 'hello' });
    expect(invokes).toEqual([{ channel: 'parley:send', arg: { conv: 'general', text: 'hello' } }]);
  });

  it('subscribes and unsubscribes on the room event channel', () => {
    const { exposed, listeners } = runPreload();
    const bridge = exposed.get('parley') as ParleyBridge;
    const seen: unknown[] = [];
    const stop = bridge.subscribe((event) => seen.push(event));
    const [listener] = listeners.get(ROOM_EVENT_CHANNEL) ?? [];
    listener?.({ sender: 'ipcRenderer' }, { type: 'gap' });
    stop();
    expect(seen).toEqual([{ type: 'gap' }]);
    expect(listeners.get(ROOM_EVENT_CHANNEL)?.size).toBe(0);
  });
});
