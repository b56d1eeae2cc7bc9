import type { StorageLike } from '../../../renderer/bridges/browser-storage';

/** A Web Storage stand-in backed by a Map, for running the browser bridge under Node. */
export function memoryStorage(): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}
