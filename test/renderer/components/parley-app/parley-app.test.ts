import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RoomEvent, RoomSummary } from '../../../../protocol/bridge';
import { ERROR_SENTENCES } from '../../../../protocol/wire/codes';
import { useFixturePages } from '../../helpers/fixture';
import type { FakeBridgeScript } from '../../helpers/fake-bridge';
import { entryEvent, summaryOf } from '../../helpers/entries';

const pages = useFixturePages();

const ADA = { id: 'a', name: 'Ada' };
const BOB = { id: 'b', name: 'Bob' };
const SUMMARY: RoomSummary = summaryOf([ADA, BOB]);

async function mountApp(page: Page, script: FakeBridgeScript = {}): Promise<void> {
  await page.evaluate((script) => {
    const fixture = parleyFixture;
    fixture.createBridge('desktop', script);
    fixture.mount('parley-app', {}, 'bridge');
  }, script);
  await page.locator('parley-app start-screen').waitFor();
}

function emit(page: Page, events: RoomEvent[]): Promise<void> {
  return page.evaluate((events) => {
    for (const event of events) parleyFixture.bridge!.emit(event);
  }, events);
}

function calls(page: Page, method: string): Promise<unknown[]> {
  return page.evaluate((method) => parleyFixture.bridge!.callsOf(method), method);
}

const composer = (page: Page) => page.getByLabel('Message', { exact: true });

describe('parley-app', () => {
  it('goes from the start screen to the room, and talks to the bridge from there', async () => {
    const page = await pages.newPage();
    await mountApp(page, { join: { value: SUMMARY } });
    const join = page.locator('#join-form');
    await join.getByLabel('Address').fill('10.0.0.2:7420');
    await join.getByLabel('Your name').fill('Ada');
    // History arrives before the join resolves, as with the real session.
    await emit(page, [entryEvent({ seq: 1, id: 'm1', from: BOB, text: 'welcome Ada' })]);
    await join.getByRole('button', { name: 'Join room' }).click();

    await page.locator('parley-app room-view').waitFor();
    await expect.poll(() => page.title()).toBe('Lab · Parley');
    await expect
      .poll(() => page.locator('message-list .text').allTextContents())
      .toEqual(['welcome Ada']);
    // The cursor waits in the composer.
    await expect
      .poll(() =>
        composer(page).evaluate((element) => element.getRootNode().activeElement === element),
      )
      .toBe(true);

    await page.keyboard.type('hi Bob');
    expect(await calls(page, 'typing')).toEqual(['general']);
    await page.keyboard.press('Enter');
    await expect.poll(() => calls(page, 'send')).toEqual([{ conv: 'general', text: 'hi Bob' }]);
    await emit(page, [
      {
        type: 'outbox',
        outbox: [{ id: 'say-1', conv: 'general', text: 'hi Bob', state: 'pending' }],
      },
    ]);
    await expect
      .poll(() => page.locator('message-list .pending .text').textContent())
      .toBe('hi Bob');

    // After a send, the next keystroke is a new bout of typing.
    await page.keyboard.type('x');
    await expect.poll(() => calls(page, 'typing')).toHaveLength(2);

    await emit(page, [
      {
        type: 'outbox',
        outbox: [
          { id: 'say-1', conv: 'general', text: 'hi Bob', state: 'failed', error: 'rate_limited' },
        ],
      },
      { type: 'error', code: 'rate_limited', message: 'slow down' },
    ]);
    await expect
      .poll(() => page.locator('message-composer .error').textContent())
      .toBe(ERROR_SENTENCES.rate_limited);
    await page.getByRole('button', { name: 'Retry sending this message' }).click();
    await expect.poll(() => calls(page, 'retry')).toEqual(['say-1']);

    await page.getByRole('button', { name: 'Leave' }).click();
    await page.locator('parley-app start-screen').waitFor();
    expect(await calls(page, 'leave')).toHaveLength(1);
    expect(await page.title()).toBe('Parley');
  });

  it('enters a room the bridge reports on its own (a resumed session) and returns when it ends', async () => {
    const page = await pages.newPage();
    await mountApp(page);
    await emit(page, [
      { type: 'state', state: 'connecting' },
      { type: 'summary', summary: SUMMARY },
      { type: 'state', state: 'open' },
    ]);
    await page.locator('parley-app room-view').waitFor();

    await emit(page, [
      { type: 'ended', reason: { code: 'replaced', message: ERROR_SENTENCES.replaced } },
    ]);
    await page.locator('parley-app start-screen').waitFor();
    expect(await page.getByRole('status').textContent()).toBe(ERROR_SENTENCES.replaced);
  });

  it('loads older messages through the bridge when the list reaches the top', async () => {
    const page = await pages.newPage();
    await page.evaluate((summary) => {
      const fixture = parleyFixture;
      const older = fixture.messages(1, 50, [{ id: 'b', name: 'Bob' }]);
      fixture.createBridge('desktop', { loadOlder: { value: { entries: older, more: false } } });
      fixture.mount('parley-app', {}, 'bridge');
      fixture.bridge!.emit({ type: 'summary', summary });
      for (const entry of fixture.messages(51, 5, [{ id: 'b', name: 'Bob' }])) {
        fixture.bridge!.emit({ type: 'entry', entry });
      }
    }, SUMMARY);
    // Five messages do not fill the screen: the list asks for more straight away.
    await expect.poll(() => calls(page, 'loadOlder')).toEqual([{ conv: 'general', before: 51 }]);
    // The older page is in once the row just above the reader's first one is drawn; only then
    // does scrolling to the top mean anything (before, the top is message 51 and the page then
    // lands above it, out of view). The reader stays where they were.
    await expect.poll(() => page.locator('message-list [data-seq="50"]').count()).toBe(1);
    await expect.poll(() => page.locator('message-list [data-seq="51"]').isVisible()).toBe(true);
    // Scrolled up until the room's first message is drawn, as a reader would: the virtualizer may
    // still be measuring the rows it just got, and move the view while it does.
    const list = page.locator('message-list lit-virtualizer');
    await expect
      .poll(async () => {
        await list.evaluate((element) => element.scrollTo({ top: 0 }));
        return page.locator('message-list [data-seq="1"]').count();
      })
      .toBe(1);
    expect(await page.locator('message-list .edge').textContent()).toContain(
      'This is the start of',
    );
    expect(await calls(page, 'loadOlder')).toEqual([{ conv: 'general', before: 51 }]);
  });

  it('folds the room events of one frame together: one render per frame, in their order', async () => {
    const page = await pages.newPage();
    await mountApp(page);
    await emit(page, [{ type: 'summary', summary: SUMMARY }]);
    await page.locator('parley-app room-view').waitFor();

    const outcome = await page.evaluate(deliverInSeparateTasks, mixedFrameEvents());
    // The 23 events arrived in as many tasks, but the room screen rendered once per frame they
    // fell into (one, unless the machine stalled between two of them), not once per event.
    expect(outcome.renders).toBe(outcome.framesWithEvents);
    expect(outcome.renders).toBeLessThan(outcome.events);

    const rows = page.locator('message-list .presence, message-list .text');
    await expect.poll(() => rows.count()).toBe(21);
    const texts = (await rows.allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(texts.slice(0, 11)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `m${i + 1}`),
      texts[10],
    ]);
    expect(texts[10]).toMatch(/^Cy joined · \d\d:\d\d$/);
    expect(texts.slice(11)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 11}`));
    // Bob typed, then posted (his indicator goes); Cy typed last (hers stays).
    expect(await page.locator('room-view .typing-line').textContent()).toBe('Cy is typing…');
  });

  it('renders once per event with batching off, as it was before batching', async () => {
    const page = await pages.newPage();
    await mountApp(page);
    await emit(page, [{ type: 'summary', summary: SUMMARY }]);
    await page.locator('parley-app room-view').waitFor();
    await page.locator('parley-app').evaluate((app) => {
      Object.assign(app, { batchRoomEvents: false });
    });

    const outcome = await page.evaluate(deliverInSeparateTasks, mixedFrameEvents());
    expect(outcome.renders).toBe(outcome.events);
    await expect.poll(() => page.locator('message-list .text').count()).toBe(20);
    expect(await page.locator('room-view .typing-line').textContent()).toBe('Cy is typing…');
  });
});

const CY = { id: 'c', name: 'Cy' };

/** Ten messages, Cy joins, Bob types, ten more (the last from Bob), then Cy types. */
function mixedFrameEvents(): RoomEvent[] {
  const ts = Date.now();
  const message = (seq: number): RoomEvent =>
    entryEvent({ seq, id: `m${seq}`, from: seq === 20 ? BOB : ADA, text: `m${seq}`, ts });
  return [
    ...Array.from({ length: 10 }, (_, i) => message(i + 1)),
    { type: 'joined', peer: CY },
    { type: 'typing', conv: 'general', peer: BOB },
    ...Array.from({ length: 10 }, (_, i) => message(i + 11)),
    { type: 'typing', conv: 'general', peer: CY },
  ];
}

/** The browser APIs deliverInSeparateTasks uses (the test tree is type-checked without the DOM). */
interface PageApi {
  requestAnimationFrame(callback: (time: number) => void): number;
  customElements: {
    get(name: string): { prototype: { update(changed: unknown): void } } | undefined;
  };
  MessageChannel: new () => {
    port1: { onmessage: (() => void) | null; close(): void };
    port2: { postMessage(data: unknown): void };
  };
}

/**
 * Runs in the page: hands the events to the bridge's listeners one task each (as IPC messages
 * arrive), right after a frame, and counts the room screen's renders and the frames the events
 * fell into until everything is drawn.
 */
async function deliverInSeparateTasks(
  events: RoomEvent[],
): Promise<{ events: number; renders: number; framesWithEvents: number }> {
  const { requestAnimationFrame, customElements, MessageChannel } =
    globalThis as unknown as PageApi;
  const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
  const prototype = customElements.get('room-view')!.prototype;
  const update = prototype.update;
  let renders = 0;
  prototype.update = function (this: unknown, changed: unknown) {
    // Renders for the room state only: the screen's own state (whether the list is scrolled to
    // its end, whether the window has focus) may change while the messages arrive, at times that
    // depend on the machine's load.
    if ((changed as Map<string, unknown>).has('state')) renders++;
    update.call(this, changed);
  };
  let frame = 0;
  let counting = true;
  const countFrames = () => {
    frame++;
    if (counting) requestAnimationFrame(countFrames);
  };
  const framesWithEvents = new Set<number>();
  try {
    await nextFrame();
    requestAnimationFrame(countFrames);
    const channel = new MessageChannel();
    let delivered = 0;
    await new Promise<void>((resolve) => {
      channel.port1.onmessage = () => {
        framesWithEvents.add(frame);
        parleyFixture.bridge!.emit(events[delivered++]!);
        if (delivered === events.length) resolve();
      };
      for (let index = 0; index < events.length; index++) channel.port2.postMessage(null);
    });
    // The batch is folded and rendered in the next frame; one more to be sure nothing follows.
    await nextFrame();
    await nextFrame();
    channel.port1.close();
  } finally {
    counting = false;
    prototype.update = update;
  }
  return { events: events.length, renders, framesWithEvents: framesWithEvents.size };
}
