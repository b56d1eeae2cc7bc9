/**
 * What a stopped host left on disk, read back through the SQLite store itself: the same code a
 * restarted host trusts. Only for a directory no host holds (the store takes a directory lock).
 */
import { v1MessageOf } from '../../../main/host/fan-out';
import { openSqliteStore } from '../../../main/host/store/sqlite-store';
import type { ChatMessage, RoomInfo } from '../../../protocol/wire/frames';
import { GENERAL } from '../../../protocol/wire/identity';

const PAGE = 200;
/** Bounds the read: far more than any test here writes. */
const MAX_PAGES = 500;

export interface StoredHistory {
  room: RoomInfo;
  messages: ChatMessage[];
}

export async function readStoredHistory(dir: string): Promise<StoredHistory> {
  const store = await openSqliteStore(dir, 'read back by a test');
  try {
    const pages: ChatMessage[][] = [];
    let before = store.lastDurableSeq(GENERAL) + 1;
    for (let count = 0; before > 1 && count < MAX_PAGES; count++) {
      const page = store.page(GENERAL, before, PAGE);
      if (page.length === 0) break;
      // These tests post text to general only: every entry is a v1 message.
      pages.unshift(page.flatMap((entry) => (entry.kind === 'text' ? [v1MessageOf(entry)] : [])));
      before = page[0]!.seq;
    }
    return { room: { ...store.room }, messages: pages.flat() };
  } finally {
    await store.close();
  }
}
