/**
 * The built guest page against a real host, two guests in Chromium: replies, edits, deletions
 * and reactions between them; a search that finds a word 500 messages back and jumps to it; a
 * file dropped on the window, its progress, and the other guest's download compared byte for
 * byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startHost } from '../../main/host/server';
import { createMemoryStore } from '../../main/host/store/memory-store';
import type { ParleyHost } from '../../main/host/types';
import type { TextEntry } from '../../protocol/wire/entries';
import { launchBrowser, openPage } from './helpers/browser';
import type { OpenedPage } from './helpers/browser';
import { usePatientPolls } from './helpers/poll';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const staticDir = path.join(repoRoot, 'dist/renderer');
/** Messages in the room before anyone joins; the word to find is in the 5th. */
const HISTORY = 520;
const NEEDLE_SEQ = 5;
/** Large enough for the progress bar to show over a few frames. */
const FILE_BYTES = 6 * 1024 * 1024;

const SEED = 20_261_206;

/** Bytes that do not compress, made alike here and in the page (a linear congruence). */
function pseudoRandomBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed >>> 0;
  for (let index = 0; index < size; index++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/build.js'], { cwd: repoRoot, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(output))));
  });
}

/** The room's history, from someone long gone. */
function history(): TextEntry[] {
  const from = { id: 'p_oldtimer', name: 'Old-timer' };
  const start = Date.now() - HISTORY * 60_000;
  return Array.from({ length: HISTORY }, (_, index) => {
    const seq = index + 1;
    const text = seq === NEEDLE_SEQ ? 'the pelican has landed' : `status report ${seq}`;
    return {
      seq,
      conv: 'general',
      id: `old-${seq}`,
      from,
      ts: start + index * 60_000,
      kind: 'text',
      text,
    };
  });
}

async function join(page: Page, name: string): Promise<void> {
  const form = page.locator('#join-form');
  await form.getByLabel('Your name').fill(name);
  await form.getByRole('button', { name: 'Join room' }).click();
  await page.locator('room-view').waitFor();
}

async function say(page: Page, text: string): Promise<void> {
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
}

/** The row of the message whose text is `text`. */
const rowWith = (page: Page, text: string) =>
  page.locator('message-list .msg', { has: page.locator('.text', { hasText: text }) });

describe('rich messages and files between two guests', () => {
  let browser: Browser;
  let host: ParleyHost;
  const opened: OpenedPage[] = [];
  let ada: Page;
  let bob: Page;

  beforeAll(async () => {
    usePatientPolls();
    await build();
    const store = createMemoryStore('Rich room');
    for (const entry of history()) await store.append(entry);
    [browser, host] = await Promise.all([
      launchBrowser(),
      startHost({ port: 0, host: '127.0.0.1', staticDir, roomName: 'Rich room', store }),
    ]);
    const url = `http://127.0.0.1:${host.port}/`;
    for (const name of ['Ada', 'Bob']) {
      const page = await openPage(browser, url, { acceptDownloads: true });
      opened.push(page);
      await join(page.page, name);
    }
    [ada, bob] = [opened[0]!.page, opened[1]!.page];
  }, 240_000);

  afterAll(async () => {
    for (const page of opened) {
      expect(page.errors).toEqual([]);
      await page.close();
    }
    await browser?.close();
    await host?.close();
  });

  it('replies, edits, reacts and deletes between two guests', async () => {
    await say(ada, 'Lunch **today**?');
    const original = rowWith(bob, 'Lunch today?');
    await expect.poll(() => original.locator('.text strong').textContent()).toBe('today');

    // Bob answers it: the answer quotes it on both sides, and the quote leads back to it.
    await original.hover();
    await original.locator('.actions [data-action="reply"]').click();
    await say(bob, 'yes, noon');
    const answer = rowWith(ada, 'yes, noon');
    await expect.poll(() => answer.locator('.quote').textContent()).toMatch(/Ada\s+Lunch today\?/);
    await answer.locator('.quote').click();
    await expect
      .poll(() => rowWith(ada, 'Lunch today?').getAttribute('class'))
      .toContain('highlight');

    // Ada fixes her message with the Up arrow: Bob sees the new text, marked edited.
    await ada.getByLabel('Message', { exact: true }).click();
    await ada.keyboard.press('ArrowUp');
    await expect
      .poll(() => ada.getByLabel('Message', { exact: true }).inputValue())
      .toBe('Lunch **today**?');
    await ada.getByLabel('Message', { exact: true }).fill('Lunch **tomorrow**?');
    await ada.keyboard.press('Enter');
    const edited = rowWith(bob, 'Lunch tomorrow?');
    await expect.poll(() => edited.locator('.edited').count()).toBe(1);
    // The reply's quote follows the edit.
    await expect
      .poll(() => rowWith(bob, 'yes, noon').locator('.quote').textContent())
      .toContain('Lunch tomorrow?');

    // Bob reacts; Ada sees the count and who.
    await edited.hover();
    await edited.locator('.actions [data-action="react"]').click();
    await bob.locator('emoji-picker .frequent button').first().click();
    const chip = rowWith(ada, 'Lunch tomorrow?').locator('.reaction[data-emoji]');
    await expect.poll(() => chip.locator('.count').textContent()).toBe('1');
    expect(await chip.locator('.who').textContent()).toBe('Bob');

    // Ada takes it back, after saying yes to the question.
    const mine = rowWith(ada, 'Lunch tomorrow?');
    await mine.hover();
    await mine.locator('[data-action="delete"]').click();
    await ada.locator('confirm-dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => bob.locator('message-list .bubble.deleted').count()).toBe(1);
    expect(await bob.locator('message-list').textContent()).not.toContain('Lunch tomorrow?');
  });

  it('finds a word 500 messages back and jumps to it', async () => {
    await ada.keyboard.press('Control+k');
    const search = ada.locator('search-dialog dialog');
    await search.getByLabel('Words to find').fill('pelic');
    await search.getByLabel('Words to find').press('Enter');
    const hit = search.locator('button.hit');
    await expect.poll(() => hit.count()).toBe(1);
    expect(await hit.locator('mark').textContent()).toBe('pelican');
    await hit.click();
    const row = ada.locator(`message-list [data-seq="${NEEDLE_SEQ}"]`);
    await expect.poll(() => row.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await row.locator('.text').textContent()).toBe('the pelican has landed');
    expect(await row.getAttribute('class')).toContain('highlight');
  });

  it('sends a dropped file with progress, and the other guest downloads the same bytes', async () => {
    const bytes = Buffer.from(pseudoRandomBytes(FILE_BYTES, SEED));
    // Samples the progress bars every frame, from before the drop until told to stop.
    await ada.evaluate(() => {
      const seen: { done: number; max: number }[] = [];
      const find = (root: { querySelector(selector: string): unknown } | null, path: string[]) => {
        let node = root as { shadowRoot: unknown; querySelector(selector: string): unknown } | null;
        for (const tag of path) {
          node = (node?.shadowRoot ?? node) as typeof node;
          node = (node?.querySelector(tag) ?? null) as typeof node;
        }
        return node as unknown as {
          shadowRoot: { querySelectorAll(s: string): { value: number; max: number }[] };
        } | null;
      };
      const page = globalThis as unknown as {
        document: { querySelector(selector: string): unknown };
        requestAnimationFrame(callback: () => void): void;
        progressSeen: typeof seen;
        sampling: boolean;
      };
      page.progressSeen = seen;
      page.sampling = true;
      const sample = () => {
        const list = find(page.document as never, [
          'parley-app',
          'room-view',
          'conversation-pane',
          'transfer-list',
        ]);
        for (const bar of list?.shadowRoot.querySelectorAll('progress') ?? []) {
          seen.push({ done: bar.value, max: bar.max });
        }
        if (page.sampling) page.requestAnimationFrame(sample);
      };
      sample();
    });
    await ada.locator('conversation-pane').evaluate(
      (pane, content) => {
        const view = pane.ownerDocument.defaultView!;
        // pseudoRandomBytes again, here in the page: the same bytes as the test's.
        const made = new Uint8Array(content.size);
        let state = content.seed >>> 0;
        for (let index = 0; index < content.size; index++) {
          state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
          made[index] = state >>> 24;
        }
        const data = new view.DataTransfer();
        data.items.add(new view.File([made], 'measurements.bin'));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          view.document.body.dispatchEvent(
            new view.DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
          );
        }
      },
      { size: FILE_BYTES, seed: SEED },
    );
    await ada.getByLabel('Message', { exact: true }).press('Enter');

    const card = bob.locator('message-list .file', { hasText: 'measurements.bin' });
    await expect.poll(() => card.count(), { timeout: 60_000 }).toBe(1);
    expect(await card.locator('.file-meta').textContent()).toMatch(/^6(\.0)? MB/);
    const seen = await ada.evaluate(() => {
      const page = globalThis as unknown as {
        progressSeen: { done: number; max: number }[];
        sampling: boolean;
      };
      page.sampling = false;
      return page.progressSeen;
    });
    expect(seen.some((sample) => sample.max === FILE_BYTES)).toBe(true);

    const [download] = await Promise.all([
      bob.waitForEvent('download'),
      card.getByRole('link', { name: 'Download measurements.bin' }).click(),
    ]);
    const saved = await readFile(await download.path());
    expect(saved.equals(bytes)).toBe(true);
  });
});
