/**
 * The conversations of a room through the whole app and a fake bridge: switching, unread counts
 * that move and clear, channels browsed, joined and created, direct conversations opened from the
 * people list, topics and names, a notification's conversation, and reading marks.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ConversationView, RoomEvent, RoomSummary } from '../../../../protocol/bridge';
import { ERROR_SENTENCES } from '../../../../protocol/wire/codes';
import { useFixturePages } from '../../helpers/fixture';
import type { FakeBridgeScript } from '../../helpers/fake-bridge';
import {
  GENERAL_VIEW,
  channelView,
  directView,
  entryEvent,
  summaryOf,
  systemEntry,
} from '../../helpers/entries';

const pages = useFixturePages();

const ADA = { id: 'a', name: 'Ada' };
const BOB = { id: 'b', name: 'Bob' };
const CY = { id: 'c', name: 'Cy' };
const DESIGN = channelView({ id: 'c_design', name: 'design', topic: 'Pixels', creator: 'a' });
const RANDOM = channelView({ id: 'c_random', name: 'random', topic: 'Anything', member: false });
const WITH_BOB = directView({ id: 'd_bob', peer: BOB });
const SUMMARY: RoomSummary = summaryOf([ADA, BOB, CY], {
  conversations: [GENERAL_VIEW, DESIGN, RANDOM],
});

async function enterRoom(page: Page, script: FakeBridgeScript = {}, summary = SUMMARY) {
  await page.evaluate(
    ({ script, summary }) => {
      const fixture = parleyFixture;
      fixture.createBridge('desktop', script);
      fixture.mount('parley-app', {}, 'bridge');
      fixture.bridge!.emit({ type: 'summary', summary });
    },
    { script, summary },
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

/** The conversation list after a change, as the bridge sends it. */
function listed(...views: ConversationView[]): RoomEvent {
  return { type: 'conversations', conversations: views };
}

const item = (page: Page, conv: string) =>
  page.locator(`conversation-sidebar button[data-conv="${conv}"]`);
const texts = (page: Page) => page.locator('message-list .msg .text').allTextContents();
const heading = (page: Page) => page.locator('conversation-header h2');

describe('conversations in the app', () => {
  it('keeps a timeline per conversation and sends, types and loads in the one on screen', async () => {
    const page = await pages.newPage();
    await enterRoom(page);
    await emit(page, [
      entryEvent({ seq: 1, from: BOB, text: 'in general' }),
      {
        type: 'entry',
        entry: systemEntry({
          seq: 1,
          conv: 'c_design',
          by: ADA,
          ts: Date.now(),
          event: 'channel_created',
          name: 'design',
        }),
      },
      {
        type: 'entry',
        entry: systemEntry({
          seq: 2,
          conv: 'c_design',
          by: BOB,
          ts: Date.now(),
          event: 'joined_channel',
        }),
      },
      entryEvent({ seq: 3, from: BOB, text: 'in design', conv: 'c_design' }),
      { type: 'typing', conv: 'c_design', peer: BOB },
    ]);
    await expect.poll(() => texts(page)).toEqual(['in general']);
    expect(await heading(page).textContent()).toBe('#general');
    expect(await page.locator('room-view .typing-line').textContent()).toBe('');

    await item(page, 'c_design').click();
    await expect.poll(() => texts(page)).toEqual(['in design']);
    expect(await heading(page).textContent()).toBe('#design');
    expect(await page.locator('conversation-header .topic').textContent()).toBe('Pixels');
    const lines = await page.locator('message-list .system').allTextContents();
    expect(lines.map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^Ada created #design · \d\d:\d\d$/),
      expect.stringMatching(/^Bob joined #design · \d\d:\d\d$/),
    ]);
    expect(await page.locator('room-view .typing-line').textContent()).toBe('Bob is typing…');

    const composer = page.getByLabel('Message', { exact: true });
    expect(await composer.getAttribute('placeholder')).toBe('Message #design');
    await composer.fill('for design');
    await composer.press('Enter');
    await expect
      .poll(() => calls(page, 'send'))
      .toEqual([{ conv: 'c_design', text: 'for design' }]);
    expect(await calls(page, 'typing')).toEqual(['c_design']);

    // A draft stays with its conversation.
    await composer.fill('half a thought');
    await item(page, 'general').click();
    await expect.poll(() => composer.inputValue()).toBe('');
    await item(page, 'c_design').click();
    await expect.poll(() => composer.inputValue()).toBe('half a thought');
  });

  it('moves unread counts as entries arrive elsewhere, and marks what is read', async () => {
    const page = await pages.newPage();
    await enterRoom(page);
    await emit(page, [
      entryEvent({ seq: 1, from: BOB, text: 'hi @Ada', conv: 'c_design' }),
      listed(GENERAL_VIEW, { ...DESIGN, lastSeq: 1, unread: 1, mentioned: true }, RANDOM),
    ]);
    await expect.poll(() => item(page, 'c_design').locator('.count').textContent()).toBe('1');
    expect(await item(page, 'c_design').locator('.mention').count()).toBe(1);
    await expect.poll(() => page.title()).toBe('(1) Lab · Parley');

    await emit(page, [
      entryEvent({ seq: 2, from: CY, text: 'and me', conv: 'c_design' }),
      listed(GENERAL_VIEW, { ...DESIGN, lastSeq: 2, unread: 2, mentioned: true }, RANDOM),
    ]);
    await expect.poll(() => item(page, 'c_design').locator('.count').textContent()).toBe('2');

    // Opening it, at its end, with the window focused, reads it up to its last seq.
    await item(page, 'c_design').click();
    await expect.poll(() => calls(page, 'markRead')).toEqual([{ conv: 'c_design', seq: 2 }]);
    await emit(page, [listed(GENERAL_VIEW, { ...DESIGN, lastSeq: 2, readSeq: 2 }, RANDOM)]);
    await expect.poll(() => item(page, 'c_design').locator('.count').count()).toBe(0);
    await expect.poll(() => page.title()).toBe('Lab · Parley');

    // Read on another device: the count clears here too, with nothing asked of the bridge.
    await emit(page, [
      entryEvent({ seq: 2, from: BOB, text: 'back here' }),
      listed(
        { ...GENERAL_VIEW, lastSeq: 2, unread: 1 },
        { ...DESIGN, lastSeq: 2, readSeq: 2 },
        RANDOM,
      ),
    ]);
    await expect.poll(() => item(page, 'general').locator('.count').textContent()).toBe('1');
    await emit(page, [
      listed(
        { ...GENERAL_VIEW, lastSeq: 2, readSeq: 2 },
        { ...DESIGN, lastSeq: 2, readSeq: 2 },
        RANDOM,
      ),
    ]);
    await expect.poll(() => item(page, 'general').locator('.count').count()).toBe(0);
    expect(await calls(page, 'markRead')).toEqual([{ conv: 'c_design', seq: 2 }]);
  });

  it('marks nothing read while the window is in the background, and reads on coming back', async () => {
    const page = await pages.newPage();
    // The window starts in the background: the page's document says it has no focus.
    await page.evaluate(() => {
      const page = globalThis as unknown as { focused?: boolean; document: object };
      Object.defineProperty(Object.getPrototypeOf(page.document), 'hasFocus', {
        configurable: true,
        value: () => page.focused ?? false,
      });
    });
    await enterRoom(page);
    await emit(page, [
      entryEvent({ seq: 1, from: BOB, text: 'while you were away' }),
      listed({ ...GENERAL_VIEW, lastSeq: 1, unread: 1 }, DESIGN, RANDOM),
    ]);
    await expect.poll(() => texts(page)).toEqual(['while you were away']);
    expect(await calls(page, 'markRead')).toEqual([]);
    // The count shows: nobody is reading.
    expect(await item(page, 'general').locator('.count').textContent()).toBe('1');

    await page.evaluate(() => {
      const page = globalThis as unknown as { focused: boolean } & EventTarget;
      page.focused = true;
      page.dispatchEvent(new Event('focus'));
    });
    await expect.poll(() => calls(page, 'markRead')).toEqual([{ conv: 'general', seq: 1 }]);
  });

  it('lists every channel with its topic to join one, and opens it once joined', async () => {
    const page = await pages.newPage();
    await enterRoom(page, {
      joinChannel: {
        error: { code: 'no_such_conversation', message: ERROR_SENTENCES.no_such_conversation },
      },
    });
    await page.getByRole('button', { name: 'Browse channels' }).click();
    const dialog = page.getByRole('dialog', { name: 'Channels' });
    await dialog.waitFor();
    expect(await dialog.locator('.name').allTextContents()).toEqual([
      '#general',
      '#design',
      '#random',
    ]);
    expect(await dialog.locator('.topic').allTextContents()).toEqual(['Pixels', 'Anything']);
    expect(await dialog.getByRole('button', { name: 'Open #design' }).count()).toBe(1);

    // Refused: the sentence shows, the dialog stays.
    await dialog.getByRole('button', { name: 'Join #random' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toBe(ERROR_SENTENCES.no_such_conversation);

    await page.evaluate(
      (view) => {
        parleyFixture.bridge!.script.joinChannel = { value: view };
      },
      { ...RANDOM, member: true },
    );
    await dialog.getByRole('button', { name: 'Join #random' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('#random');
    expect(await dialog.isVisible()).toBe(false);
    expect(await calls(page, 'joinChannel')).toEqual(['c_random', 'c_random']);
    expect(await item(page, 'c_random').getAttribute('aria-current')).toBe('page');

    // Open takes one to a channel already joined.
    await page.getByRole('button', { name: 'Browse channels' }).click();
    await dialog.getByRole('button', { name: 'Open #design' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('#design');
  });

  it('creates a channel, saying in sentences what is wrong', async () => {
    const page = await pages.newPage();
    await enterRoom(page, {
      createChannel: { error: { code: 'channel_exists', message: ERROR_SENTENCES.channel_exists } },
    });
    await page.getByRole('button', { name: 'New channel' }).click();
    const dialog = page.getByRole('dialog', { name: 'New channel' });
    await dialog.getByRole('button', { name: 'Create channel' }).click();
    await expect
      .poll(() => dialog.locator('#channel-name-error').textContent())
      .toBe('Give the channel a name.');
    expect(await calls(page, 'createChannel')).toEqual([]);

    await dialog.getByLabel('Name').fill('#design');
    await dialog.getByLabel('Topic (optional)').fill('Pixels and type');
    await dialog.getByRole('button', { name: 'Create channel' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toBe(ERROR_SENTENCES.channel_exists);
    expect(await calls(page, 'createChannel')).toEqual([
      { name: 'design', topic: 'Pixels and type' },
    ]);

    const made = channelView({ id: 'c_ux', name: 'ux', creator: 'a', lastSeq: 1 });
    await page.evaluate((view) => {
      parleyFixture.bridge!.script.createChannel = { value: view };
    }, made);
    await dialog.getByLabel('Name').fill('ux');
    await dialog.getByLabel('Topic (optional)').fill('');
    await dialog.getByRole('button', { name: 'Create channel' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('#ux');
    expect(await dialog.isVisible()).toBe(false);
    expect((await calls(page, 'createChannel')).at(-1)).toEqual({ name: 'ux' });
  });

  it('opens a direct conversation from the people list, and says why when it cannot', async () => {
    const page = await pages.newPage();
    const stranger = { id: 'e', name: 'Eve', ephemeral: true as const };
    await enterRoom(
      page,
      { openDirect: { value: WITH_BOB } },
      { ...SUMMARY, peers: [ADA, BOB, CY, stranger], peerCount: 4 },
    );
    expect(await page.getByRole('button', { name: 'Message Eve directly' }).isDisabled()).toBe(
      true,
    );
    expect(await page.locator('peer-list li.self button').count()).toBe(0);

    await page.getByRole('button', { name: 'Message Bob directly' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Bob');
    expect(await calls(page, 'openDirect')).toEqual(['b']);
    expect(await page.locator('conversation-header .topic').textContent()).toContain(
      'only the two of you',
    );
    expect(await item(page, 'd_bob').getAttribute('aria-current')).toBe('page');
    const composer = page.getByLabel('Message', { exact: true });
    expect(await composer.getAttribute('placeholder')).toBe('Message Bob');
    await composer.fill('just us');
    await composer.press('Enter');
    await expect.poll(() => calls(page, 'send')).toEqual([{ conv: 'd_bob', text: 'just us' }]);

    await page.evaluate(() => {
      parleyFixture.bridge!.script.openDirect = {
        error: {
          code: 'no_identity',
          message: 'Direct messages need a lasting identity on both sides.',
        },
      };
    });
    await page.getByRole('button', { name: 'Message Cy directly' }).click();
    await expect
      .poll(() => page.locator('peer-list [role="alert"]').textContent())
      .toBe(ERROR_SENTENCES.no_identity);
    expect(await heading(page).textContent()).toBe('Bob');
  });

  it('lets members set the topic, the creator rename, and anyone leave a channel', async () => {
    const page = await pages.newPage();
    await enterRoom(page, {
      leaveChannel: { error: { code: 'not_allowed', message: 'You cannot leave that.' } },
    });
    // General: a topic, but no rename (nobody created it) and no leaving.
    const header = page.locator('conversation-header');
    expect(await header.getByRole('button', { name: 'Edit topic' }).count()).toBe(1);
    expect(await header.getByRole('button', { name: 'Rename' }).count()).toBe(0);
    expect(await header.getByRole('button', { name: 'Leave channel' }).count()).toBe(0);

    await item(page, 'c_design').click();
    await header.getByRole('button', { name: 'Edit topic' }).click();
    const field = header.getByLabel('Topic');
    expect(await field.inputValue()).toBe('Pixels');
    await field.fill('x'.repeat(251));
    await header.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => header.getByRole('alert').textContent())
      .toBe('Keep the topic to 250 characters or fewer.');
    await field.fill('Pixels and type');
    await header.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => calls(page, 'setTopic'))
      .toEqual([{ conv: 'c_design', topic: 'Pixels and type' }]);
    await expect.poll(() => header.locator('form').count()).toBe(0);

    await header.getByRole('button', { name: 'Rename' }).click();
    await header.getByLabel('Channel name').fill('pixels');
    await header.getByLabel('Channel name').press('Enter');
    await expect
      .poll(() => calls(page, 'renameChannel'))
      .toEqual([{ conv: 'c_design', name: 'pixels' }]);

    await header.getByRole('button', { name: 'Leave channel' }).click();
    await expect.poll(() => header.getByRole('alert').textContent()).toBe('You cannot leave that.');
    expect(await calls(page, 'leaveChannel')).toEqual(['c_design']);

    // Someone else's channel: no rename.
    await emit(page, [listed(GENERAL_VIEW, { ...DESIGN, creator: 'b' }, RANDOM)]);
    await expect.poll(() => header.getByRole('button', { name: 'Rename' }).count()).toBe(0);
    // Left (from another device, say): back to general.
    await emit(page, [listed(GENERAL_VIEW, { ...DESIGN, member: false }, RANDOM)]);
    await expect.poll(() => heading(page).textContent()).toBe('#general');
  });

  it('shows the conversation a notification was clicked for', async () => {
    const page = await pages.newPage();
    await enterRoom(
      page,
      {},
      { ...SUMMARY, conversations: [GENERAL_VIEW, DESIGN, RANDOM, WITH_BOB] },
    );
    await emit(page, [{ type: 'openConversation', conv: 'd_bob' }]);
    await expect.poll(() => heading(page).textContent()).toBe('Bob');
    // One the person is not in (or that does not exist) changes nothing.
    await emit(page, [
      { type: 'openConversation', conv: 'c_random' },
      { type: 'openConversation', conv: 'c_nowhere' },
      entryEvent({ seq: 1, from: BOB, text: 'still with Bob', conv: 'd_bob' }),
    ]);
    await expect.poll(() => texts(page)).toEqual(['still with Bob']);
    expect(await heading(page).textContent()).toBe('Bob');
  });
});
