/**
 * Acting on messages through the whole app and a fake bridge: delete after confirmation, react
 * with the picker (and its search), mute, search and jump (loading older history), files dropped
 * on the window, and the transfers' progress and cancel.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RoomEvent, RoomSummary, SearchHit, TransferView } from '../../../../protocol/bridge';
import { MATCH_END, MATCH_START } from '../../../../protocol/bridge';
import { useFixturePages } from '../../helpers/fixture';
import type { FakeBridgeScript } from '../../helpers/fake-bridge';
import { entryEvent, summaryOf } from '../../helpers/entries';

const pages = useFixturePages();

const ADA = { id: 'a', name: 'Ada' };
const BOB = { id: 'b', name: 'Bob' };
const SUMMARY: RoomSummary = summaryOf([ADA, BOB]);

async function enterRoom(page: Page, script: FakeBridgeScript = {}): Promise<void> {
  await page.evaluate(
    ({ script, summary }) => {
      const fixture = parleyFixture;
      fixture.createBridge('browser', script);
      fixture.mount('parley-app', {}, 'bridge');
      fixture.bridge!.emit({ type: 'summary', summary });
    },
    { script, summary: SUMMARY },
  );
  await page.locator('parley-app room-view').waitFor();
}

function emit(page: Page, events: RoomEvent[]): Promise<void> {
  return page.evaluate((events) => {
    for (const event of events) parleyFixture.bridge!.emit(event);
  }, events);
}

function calls(page: Page, method: string): Promise<unknown[]> {
  return page.evaluate((method) => parleyFixture.bridge!.callsOf(method), method);
}

const row = (page: Page, seq: number) => page.locator(`message-list [data-seq="${seq}"]`);

describe('parley-app, acting on messages', () => {
  it('deletes one’s own message only once the deletion is confirmed', async () => {
    const page = await pages.newPage();
    await enterRoom(page);
    await emit(page, [entryEvent({ seq: 1, from: ADA, text: 'regret this' })]);
    await row(page, 1).hover();
    await row(page, 1).locator('[data-action="delete"]').click();
    const dialog = page.locator('confirm-dialog dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('Delete this message?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await calls(page, 'deleteMessage')).toEqual([]);

    await row(page, 1).hover();
    await row(page, 1).locator('[data-action="delete"]').click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => calls(page, 'deleteMessage')).toEqual([{ conv: 'general', target: 1 }]);
  });

  it('reacts with a frequent emoji or one found by name', async () => {
    const page = await pages.newPage();
    await enterRoom(page);
    await emit(page, [entryEvent({ seq: 1, from: BOB, text: 'shipped!' })]);
    await row(page, 1).hover();
    await row(page, 1).locator('.actions [data-action="react"]').click();
    const picker = page.locator('emoji-picker dialog');
    await picker.getByRole('button', { name: '👍', exact: false }).first().click();
    await expect
      .poll(() => calls(page, 'react'))
      .toEqual([{ conv: 'general', target: 1, emoji: '👍', on: true }]);

    await row(page, 1).hover();
    await row(page, 1).locator('.actions [data-action="react"]').click();
    await picker.getByLabel('Search emoji by name').fill('rocket');
    await picker.locator('.results button').first().click();
    await expect.poll(async () => (await calls(page, 'react')).length).toBe(2);
    expect((await calls(page, 'react'))[1]).toEqual({
      conv: 'general',
      target: 1,
      emoji: '🚀',
      on: true,
    });
  });

  it('mutes the conversation on screen', async () => {
    const page = await pages.newPage();
    await enterRoom(page);
    await page.locator('conversation-header').getByRole('button', { name: 'Mute' }).click();
    expect(await calls(page, 'setMuted')).toEqual([{ conv: 'general', muted: true }]);
  });

  it('searches with Ctrl+K and jumps to a hit, loading older messages until it is there', async () => {
    const page = await pages.newPage();
    const hit: SearchHit = {
      conv: 'general',
      seq: 3,
      from: BOB,
      ts: Date.now() - 3_600_000,
      snippet: `the ${MATCH_START}pelican${MATCH_END} landed`,
    };
    await enterRoom(page, { search: { value: [hit] } });
    // The newest page is held; seq 3 lies two pages back.
    const recent = await page.evaluate(() =>
      parleyFixture.messages(201, 50, [{ id: 'b', name: 'Bob' }]),
    );
    await emit(
      page,
      recent.map((entry) => ({ type: 'entry', entry })),
    );
    await row(page, 250).waitFor();
    await page.evaluate(() => {
      const older = (first: number) =>
        parleyFixture
          .messages(first, 100, [{ id: 'b', name: 'Bob' }])
          .map((entry) => (entry.seq === 3 ? { ...entry, text: 'the pelican landed' } : entry));
      const bridge = parleyFixture.bridge!;
      const pagesBefore = new Map([
        [201, older(101)],
        [101, older(1)],
      ]);
      bridge.loadOlder = async (request) => {
        bridge.calls.push({ method: 'loadOlder', arg: request });
        return { entries: pagesBefore.get(request.before) ?? [], more: request.before > 101 };
      };
    });

    await page.keyboard.press('Control+k');
    const search = page.locator('search-dialog dialog');
    await expect.poll(() => search.isVisible()).toBe(true);
    await search.getByLabel('Words to find').fill('pelic');
    await search.getByLabel('Words to find').press('Enter');
    const found = search.locator('button.hit');
    await expect.poll(() => found.count()).toBe(1);
    expect(await search.locator('section h3').textContent()).toBe('#general');
    expect(await found.locator('mark').textContent()).toBe('pelican');
    expect(await calls(page, 'search')).toEqual([{ q: 'pelic' }]);

    await found.click();
    await expect.poll(() => search.isVisible()).toBe(false);
    await expect.poll(() => row(page, 3).isVisible()).toBe(true);
    expect(await row(page, 3).locator('.text').textContent()).toBe('the pelican landed');
    expect(await row(page, 3).getAttribute('class')).toContain('highlight');
    const asked = (await calls(page, 'loadOlder')) as { before: number }[];
    expect(asked.map((request) => request.before).slice(0, 2)).toEqual([201, 101]);
  });

  it('sends files dropped on the window, shows each transfer’s progress, and cancels one', async () => {
    const page = await pages.newPage();
    await enterRoom(page);
    await page.locator('conversation-pane').evaluate((pane) => {
      const view = pane.ownerDocument.defaultView!;
      const data = new view.DataTransfer();
      data.items.add(new view.File(['one'], 'one.txt', { type: 'text/plain' }));
      data.items.add(new view.File(['second'], 'two.txt', { type: 'text/plain' }));
      const fire = (type: string) =>
        view.document.body.dispatchEvent(
          new view.DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
        );
      fire('dragenter');
      fire('dragover');
    });
    await expect.poll(() => page.locator('conversation-pane .drop-zone').count()).toBe(1);
    await page.locator('conversation-pane').evaluate((pane) => {
      const view = pane.ownerDocument.defaultView!;
      const data = new view.DataTransfer();
      data.items.add(new view.File(['one'], 'one.txt', { type: 'text/plain' }));
      data.items.add(new view.File(['second'], 'two.txt', { type: 'text/plain' }));
      view.document.body.dispatchEvent(
        new view.DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
      );
    });
    await expect.poll(() => page.locator('conversation-pane .drop-zone').count()).toBe(0);
    const waiting = page.locator('message-composer .attachments .attachment-name');
    await expect.poll(() => waiting.allTextContents()).toEqual(['one.txt', 'two.txt']);
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await expect
      .poll(() => calls(page, 'upload'))
      .toEqual([
        {
          conv: 'general',
          files: [
            { name: 'one.txt', size: 3 },
            { name: 'two.txt', size: 6 },
          ],
        },
      ]);

    const running: TransferView = {
      id: 't1',
      direction: 'upload',
      conv: 'general',
      name: 'one.txt',
      size: 4 * 1024 * 1024,
      done: 1024 * 1024,
      bytesPerSecond: 2 * 1024 * 1024,
      etaSeconds: 2,
      state: 'running',
    };
    await emit(page, [
      { type: 'transfer', transfer: running },
      { type: 'transfer', transfer: { ...running, id: 't2', name: 'two.txt', state: 'queued' } },
    ]);
    const line = page.locator('transfer-list [data-transfer="t1"]');
    await expect
      .poll(() => line.locator('.status').textContent())
      .toMatch(/^1(\.0)? MB of 4(\.0)? MB · 2(\.0)? MB\/s · 2 s left$/);
    expect(await line.locator('progress').evaluate((bar) => [bar.value, bar.max])).toEqual([
      1024 * 1024,
      4 * 1024 * 1024,
    ]);
    await line.getByRole('button', { name: 'Cancel one.txt' }).click();
    await expect.poll(() => calls(page, 'cancelTransfer')).toEqual(['t1']);
    // Once sent, an upload leaves the list (its message shows the file).
    await emit(page, [
      { type: 'transfer', transfer: { ...running, done: running.size, state: 'done' } },
    ]);
    await expect.poll(() => line.count()).toBe(0);
  });
});
