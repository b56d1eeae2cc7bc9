/**
 * The composer's rich side: @mention completion, replies and edits (Up arrow edits the last
 * message, Escape calls it off), and files picked, pasted or added, sent several at once.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useFixturePages } from '../../helpers/fixture';
import type { RecordedEvent } from '../../helpers/fixture-page';

const pages = useFixturePages();

async function mountComposer(page: Page, properties: Record<string, unknown> = {}): Promise<void> {
  await page.evaluate((properties) => {
    parleyFixture.mount('message-composer', {
      placeholder: 'Message Lab',
      mentionable: ['Bob', 'Bea Lee', 'Cy'],
      ...properties,
    });
  }, properties);
  // Files do not cross back to the test as they are: keep what a person would see of them.
  await page.locator('message-composer').evaluate((element) => {
    type FileLike = { name: string; size: number; type: string };
    const sent: { text: string; files: FileLike[] }[] = [];
    element.addEventListener('send-files', (event: unknown) => {
      const { text, files } = (event as unknown as { detail: { text: string; files: FileLike[] } })
        .detail;
      sent.push({ text, files: files.map(({ name, size, type }) => ({ name, size, type })) });
    });
    Object.assign(globalThis, { sentFiles: sent });
  });
  await page.getByLabel('Message', { exact: true }).waitFor();
}

function events(page: Page, type: string): Promise<RecordedEvent[]> {
  return page.evaluate((type) => parleyFixture.events.filter((event) => event.type === type), type);
}

const field = (page: Page) => page.getByLabel('Message', { exact: true });
const options = (page: Page) => page.locator('message-composer [role="option"]');

describe('message-composer, rich', () => {
  it('completes @names from the people of the room, by keyboard or by click', async () => {
    const page = await pages.newPage();
    await mountComposer(page);
    await field(page).click();
    await page.keyboard.type('hi @b');
    const offered = async () => (await options(page).allTextContents()).map((name) => name.trim());
    expect(await offered()).toEqual(['@Bea Lee', '@Bob']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await field(page).inputValue()).toBe('hi @Bob ');
    // Enter picked the name; it did not send.
    expect(await events(page, 'send-message')).toEqual([]);

    await page.keyboard.type('and @C');
    await options(page).first().dispatchEvent('mousedown');
    expect(await field(page).inputValue()).toBe('hi @Bob and @Cy ');
    // An @ inside a word (an address) offers nobody.
    await page.keyboard.type('mail ann@b');
    expect(await options(page).count()).toBe(0);
  });

  it('asks to edit the last message on Up in an empty field, and sends the edit', async () => {
    const page = await pages.newPage();
    await mountComposer(page);
    await field(page).click();
    await page.keyboard.press('ArrowUp');
    expect(await events(page, 'edit-last')).toHaveLength(1);
    // The pane answers with the message to edit: its text fills the field.
    await page.evaluate(() => {
      parleyFixture.element!.context = { kind: 'edit', seq: 7, author: 'yourself', text: 'teh' };
    });
    await expect.poll(() => field(page).inputValue()).toBe('teh');
    expect(await page.locator('message-composer .context').textContent()).toContain(
      'Editing your message',
    );
    await field(page).fill('the');
    await page.keyboard.press('Enter');
    expect((await events(page, 'edit-message')).map((event) => event.detail)).toEqual([
      { seq: 7, text: 'the' },
    ]);
    expect(await events(page, 'send-message')).toEqual([]);
  });

  it('answers a message: shows what it answers, sends with replyTo, Escape calls it off', async () => {
    const page = await pages.newPage();
    await mountComposer(page);
    await page.evaluate(() => {
      parleyFixture.element!.context = { kind: 'reply', seq: 3, author: 'Bob', text: 'Lunch?' };
    });
    const context = page.locator('message-composer .context');
    await expect.poll(() => context.textContent()).toContain('Replying to Bob');
    expect(await context.textContent()).toContain('Lunch?');
    await field(page).click();
    await page.keyboard.type('yes');
    await page.keyboard.press('Enter');
    expect((await events(page, 'send-message')).map((event) => event.detail)).toEqual([
      { text: 'yes', replyTo: 3 },
    ]);
    await page.keyboard.press('Escape');
    expect(await events(page, 'compose-cancel')).toHaveLength(1);
  });

  it('sends several files picked at once with the message, and removes one on request', async () => {
    const page = await pages.newPage();
    await mountComposer(page);
    await page.locator('message-composer input[type=file]').setInputFiles([
      { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('alpha') },
      { name: 'b.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2048) },
      { name: 'c.txt', mimeType: 'text/plain', buffer: Buffer.from('gamma') },
    ]);
    const waiting = page.locator('message-composer .attachments li .attachment-name');
    await expect.poll(() => waiting.allTextContents()).toEqual(['a.txt', 'b.bin', 'c.txt']);
    await page.getByRole('button', { name: 'Remove c.txt' }).click();
    await field(page).click();
    await page.keyboard.type('two files');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (globalThis as { sentFiles?: unknown }).sentFiles)).toEqual([
      {
        text: 'two files',
        files: [
          { name: 'a.txt', size: 5, type: 'text/plain' },
          { name: 'b.bin', size: 2048, type: 'application/octet-stream' },
        ],
      },
    ]);
    expect(await waiting.count()).toBe(0);
  });

  it('takes an image pasted from the clipboard as a file to send', async () => {
    const page = await pages.newPage();
    await mountComposer(page);
    await field(page).click();
    await field(page).evaluate((textarea) => {
      const view = textarea.ownerDocument.defaultView!;
      const data = new view.DataTransfer();
      const png = new Uint8Array([137, 80, 78, 71]);
      data.items.add(new view.File([png], 'image.png', { type: 'image/png' }));
      textarea.dispatchEvent(
        new view.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    });
    const waiting = page.locator('message-composer .attachments li .attachment-name');
    await expect.poll(() => waiting.allTextContents()).toEqual(['image.png']);
    // Nothing but the file went in: the field stays empty.
    expect(await field(page).inputValue()).toBe('');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (globalThis as { sentFiles?: unknown }).sentFiles)).toEqual([
      { text: '', files: [{ name: 'image.png', size: 4, type: 'image/png' }] },
    ]);
  });
});
