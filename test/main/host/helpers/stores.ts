/** Stores for tests: the memory store with a gate on append resolution, or one that fails. */
import { createMemoryStore } from '../../../../main/host/store/memory-store';
import type { MessageStore } from '../../../../main/host/store/message-store';

/** Delegates everything to `inner` except `append`, which `wrapAppend` may delay or fail. */
function wrapStore(
  inner: MessageStore,
  wrapAppend: (appended: Promise<void>, seq: number) => Promise<void>,
): MessageStore {
  return {
    get room() {
      return inner.room;
    },
    get lastSeq() {
      return inner.lastSeq;
    },
    get lastDurableSeq() {
      return inner.lastDurableSeq;
    },
    append: (message) => wrapAppend(inner.append(message), message.seq),
    findSeqBySayId: (peerId, sayId) => inner.findSeqBySayId(peerId, sayId),
    page: (beforeSeq, limit) => inner.page(beforeSeq, limit),
    saveSession: (hash, peer) => inner.saveSession(hash, peer),
    findSession: (hash) => inner.findSession(hash),
    renameRoom: (name) => inner.renameRoom(name),
    close: () => inner.close(),
  };
}

export interface GatedStore {
  store: MessageStore;
  /** Appends made from now on do not resolve until `release`. */
  hold(): void;
  release(): void;
}

/**
 * Appends become durable as usual (reads see them) but resolve only when released: the window in
 * which a message is stored but not yet acknowledged or broadcast.
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

/** A store whose append of `failingSeq` is refused, like a full disk. */
export function failingStore(failingSeq: number, roomName = 'Failing'): MessageStore {
  return wrapStore(createMemoryStore(roomName), (appended, seq) =>
    seq === failingSeq ? appended.then(() => Promise.reject(new Error('disk full'))) : appended,
  );
}
