/**
 * The message list's rich messages: replies quote what they answer (and jump to it), edits say
 * "(edited)", deletions leave a line, reactions count and say who, own messages offer edit and
 * delete, images show as thumbnails and other files as cards with a download.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RoomEvent } from '../../../../protocol/bridge';
import type { FileInfo } from '../../../../protocol/wire/entries';
import { useFixturePages } from '../../helpers/fixture';
import type { RecordedEvent } from '../../helpers/fixture-page';
import { entryEvent, summaryOf } from '../../helpers/entries';

const pages = useFixturePages();

const ADA = { id: 'a', name: 'Ada' };
const BOB = { id: 'b', name: 'Bob' };
const CY = { id: 'c', name: 'Cy' };
const SUMMARY = summaryOf([ADA, BOB, CY]);
const TS = Date.now() - 60_000;
/** A 1×1 GIF. */
const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

const IMAGE: FileInfo = {
  id: 'f1',
  name: 'cat.png',
  size: 2048,
  mime: 'image/png',
  width: 800,
  height: 600,
  thumb: '/api/files/t1/cap/thumb.webp',
  url: '/api/files/f1/cap/cat.png',
};
const REPORT: FileInfo = {
  id: 'f2',
  name: 'report.pdf',
  size: 3 * 1024 * 1024,
  mime: 'application/pdf',
  url: '/api/files/f2/cap/report.pdf',
};

function change(init: Record<string, unknown>): RoomEvent {
  return { type: 'entry', entry: { conv: 'general', ts: TS, ...init } } as RoomEvent;
}

/** Bob's question (1), Ada's answer to it (2, edited), Ada's deleted one (3), Bob's files (4). */
const EVENTS: RoomEvent[] = [
  entryEvent({ seq: 1, from: BOB, text: 'Lunch **today**?', ts: TS }),
  { type: 'entry', entry: { ...textOf(2, ADA, 'yes'), replyTo: 1 } },
  entryEvent({ seq: 3, from: ADA, text: 'oops', ts: TS }),
  { type: 'entry', entry: { ...textOf(4, BOB, 'files'), files: [IMAGE, REPORT] } },
  change({ seq: 5, id: 'e5', from: ADA, kind: 'edit', target: 2, text: 'yes, at noon' }),
  change({ seq: 6, id: 'd6', from: ADA, kind: 'delete', target: 3 }),
  change({ seq: 7, id: 'r7', from: BOB, kind: 'reaction', target: 1, emoji: '👍', on: true }),
  change({ seq: 8, id: 'r8', from: CY, kind: 'reaction', target: 1, emoji: '👍', on: true }),
  change({ seq: 9, id: 'r9', from: ADA, kind: 'reaction', target: 1, emoji: '🎉', on: true }),
];

function textOf(seq: number, from: { id: string; name: string }, text: string) {
  return { seq, conv: 'general', id: `id-${seq}`, from, ts: TS, kind: 'text' as const, text };
}

async function mount(page: Page, appDownloads = false): Promise<void> {
  await page.evaluate(
    ({ summary, events, appDownloads, pixel }) => {
      const fixture = parleyFixture;
      const state = fixture.roomState(summary, events);
      fixture.mount('message-list', {
        rows: fixture.timeline(state),
        conv: 'general',
        peerNames: ['Ada', 'Bob', 'Cy'],
        selfName: 'Ada',
        selfId: 'a',
        people: summary.peers,
        // The page's policy loads images from itself or data: URLs; the path rides in the fragment.
        fileLinks: { href: (path: string) => `${pixel}#${path}`, appDownloads },
      });
    },
    { summary: SUMMARY, events: EVENTS, appDownloads, pixel: PIXEL },
  );
  await page.locator('message-list [data-seq="4"]').waitFor();
}

function events(page: Page, type: string): Promise<RecordedEvent[]> {
  return page.evaluate((type) => parleyFixture.events.filter((event) => event.type === type), type);
}

const row = (page: Page, seq: number) => page.locator(`message-list [data-seq="${seq}"]`);

describe('message-list rich messages', () => {
  it('shows a reply with what it answers, and a click on the quote asks to jump there', async () => {
    const page = await pages.newPage();
    await mount(page);
    const quote = row(page, 2).locator('.quote');
    expect((await quote.textContent())?.replace(/\s+/g, ' ').trim()).toBe('Bob Lunch today?');
    await quote.click();
    expect(await events(page, 'jump-to-message')).toEqual([
      { type: 'jump-to-message', detail: { conv: 'general', seq: 1 } },
    ]);
  });

  it('formats text, says "(edited)", and leaves a line where a message was deleted', async () => {
    const page = await pages.newPage();
    await mount(page);
    expect(await row(page, 1).locator('.text strong').textContent()).toBe('today');
    expect(await row(page, 2).locator('.text').textContent()).toBe('yes, at noon');
    expect(await row(page, 2).locator('.edited').textContent()).toBe('(edited)');
    expect(await row(page, 3).locator('.bubble').textContent()).toContain('Message deleted');
    expect(await row(page, 3).textContent()).not.toContain('oops');
    // A deleted message offers nothing to do with it.
    expect(await row(page, 3).locator('.actions').count()).toBe(0);
  });

  it('counts reactions, says who gave them, and a click adds or takes back one’s own', async () => {
    const page = await pages.newPage();
    await mount(page);
    const thumbs = row(page, 1).locator('.reaction[data-emoji="👍"]');
    const party = row(page, 1).locator('.reaction[data-emoji="🎉"]');
    expect(await thumbs.locator('.count').textContent()).toBe('2');
    expect(await thumbs.locator('.who').textContent()).toBe('Bob and Cy');
    expect(await thumbs.getAttribute('aria-pressed')).toBe('false');
    expect(await party.locator('.who').textContent()).toBe('You');
    expect(await party.getAttribute('aria-pressed')).toBe('true');
    // Who reacted shows on hover.
    await thumbs.hover();
    await expect.poll(() => thumbs.locator('.who').isVisible()).toBe(true);
    await thumbs.click();
    await party.click();
    expect((await events(page, 'react')).map((event) => event.detail)).toEqual([
      { conv: 'general', seq: 1, emoji: '👍', on: true },
      { conv: 'general', seq: 1, emoji: '🎉', on: false },
    ]);
  });

  it('offers edit and delete on one’s own messages only, reply and react on every one', async () => {
    const page = await pages.newPage();
    await mount(page);
    const actionsOf = async (seq: number) => {
      const buttons = row(page, seq).locator('.actions button');
      return buttons.evaluateAll((all) => all.map((button) => button.getAttribute('data-action')));
    };
    expect(await actionsOf(1)).toEqual(['react', 'reply']);
    expect(await actionsOf(2)).toEqual(['react', 'reply', 'edit', 'delete']);
    await row(page, 2).hover();
    await row(page, 2).locator('[data-action="delete"]').click();
    await row(page, 1).hover();
    await row(page, 1).locator('.actions [data-action="reply"]').click();
    const raised = (await events(page, 'message-action')).map((event) => {
      const { action, conv, seq } = event.detail as { action: string; conv: string; seq: number };
      return { action, conv, seq };
    });
    expect(raised).toEqual([
      { action: 'delete', conv: 'general', seq: 2 },
      { action: 'reply', conv: 'general', seq: 1 },
    ]);
  });

  it('shows an image as a thumbnail that opens full size, a file as a card to download', async () => {
    const page = await pages.newPage();
    await mount(page);
    const image = row(page, 4).locator('button.image img');
    expect(await image.getAttribute('src')).toBe(`${PIXEL}#/api/files/t1/cap/thumb.webp`);
    // The box keeps the picture's proportions within 320 × 240.
    expect([await image.getAttribute('width'), await image.getAttribute('height')]).toEqual([
      '320',
      '240',
    ]);
    await row(page, 4).locator('button.image').click();
    expect((await events(page, 'view-image')).map((event) => event.detail)).toEqual([
      { file: IMAGE },
    ]);
    const card = row(page, 4).locator('.file');
    expect(await card.locator('.file-name').textContent()).toBe('report.pdf');
    expect(await card.locator('.file-meta').textContent()).toMatch(/^3(\.0)? MB · PDF/);
    // In the browser, the browser's own downloader fetches it.
    const link = card.locator('a.download');
    expect(await link.getAttribute('href')).toBe(`${PIXEL}#/api/files/f2/cap/report.pdf`);
    expect(await link.getAttribute('download')).toBe('report.pdf');
  });

  it('on the desktop, downloads through the app', async () => {
    const page = await pages.newPage();
    await mount(page, true);
    await row(page, 4).locator('.file button[data-action="download"]').click();
    expect((await events(page, 'download-file')).map((event) => event.detail)).toEqual([
      { file: REPORT },
    ]);
  });
});
