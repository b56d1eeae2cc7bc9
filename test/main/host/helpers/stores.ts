/** Stores for tests: the memory store with a gate on append resolution, or one that fails. */
import type { Entry } from '../../../../protocol/wire/entries';
import { createMemoryStore } from '../../../../main/host/store/memory-store';
import type { RoomStore } from '../../../../main/host/store/room-store';

/** Every method of `inner`, bound to it (its private fields need it as `this`), with overrides. */
export function delegateStore(inner: RoomStore, overrides: Partial<RoomStore> = {}): RoomStore {
  const bound = {} as Record<string, unknown>;
  let prototype: object | null = Object.getPrototypeOf(inner) as object | null;
  for (
    ;
    prototype && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const value = (inner as unknown as Record<string, unknown>)[key];
      if (key !== 'constructor' && typeof value === 'function' && !(key in bound)) {
        bound[key] = (value as (...args: unknown[]) => unknown).bind(inner);
      }
    }
  }
  const store = Object.assign(bound, overrides) as unknown as RoomStore;
  Object.defineProperty(store, 'room', { get: () => inner.room, enumerable: true });
  return store;
}

/** Delegates everything to `inner` except `append`, which `wrapAppend` may delay or fail. */
function wrapStore(
  inner: RoomStore,
  wrapAppend: (appended: Promise<void>, entry: Entry) => Promise<void>,
): RoomStore {
  return delegateStore(inner, { append: (entry) => wrapAppend(inner.append(entry), entry) });
}

export interface GatedStore {
  store: RoomStore;
  /** Appends made from now on do not resolve until `release`. */
  hold(): void;
  release(): void;
}

/**
 * Appends become durable as usual (reads see them) but resolve only when released: the window in
 * which an entry is stored but not yet acknowledged or broadcast.
 */
export function gatedStore(roomName = 'Gated'): GatedStore {
  let gate: Promise<void> | undefined;
  let open: () => void = () => {};
  const store = wrapStore(createMemoryStore(roomName), (appended) => {
    const held = gate;
    return held ? Promise.all([appended, held]).then(() => undefined) : appended;
  });
  return {
    store,
    hold() {
      gate ??= new Promise<void>((resolve) => (open = resolve));
    },
    release() {
      gate = undefined;
      open();
    },
  };
}

/** A store whose append of `failingSeq` (in `conv`) is refused, like a full disk. */
export function failingStore(
  failingSeq: number,
  roomName = 'Failing',
  conv = 'general',
): RoomStore {
  return wrapStore(createMemoryStore(roomName), (appended, entry) =>
    entry.seq === failingSeq && entry.conv === conv
      ? appended.then(() => Promise.reject(new Error('disk full')))
      : appended,
  );
}
