import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ERROR_SENTENCES } from '../../../../protocol/wire/codes';
import { useFixturePages } from '../../helpers/fixture';
import type { RecordedEvent } from '../../helpers/fixture-page';
import { summaryOf } from '../../helpers/entries';

const pages = useFixturePages();

const ADA = { id: 'a', name: 'Ada' };
const BOB = { id: 'b', name: 'Bob' };
const SUMMARY = summaryOf([ADA, BOB]);

/** Mounts a message list showing `count` messages from seq `firstSeq` on, alternating Bob and Ada. */
async function mountList(page: Page, firstSeq: number, count: number): Promise<void> {
  await page.evaluate(
    ({ summary, firstSeq, count }) => {
      const fixture = parleyFixture;
      const entries = fixture.messages(firstSeq, count, [summary.peers[1]!, summary.peers[0]!]);
      const full = { entries, presence: [], outbox: [], self: summary.self };
      fixture.mount('message-list', {
        rows: fixture.rows(full),
        conv: 'general',
        roomName: 'Lab',
        hasOlder: firstSeq > 1,
        peerNames: ['Ada', 'Bob'],
        selfName: 'Ada',
      });
      Object.assign(globalThis, { listState: full });
    },
    { summary: SUMMARY, firstSeq, count },
  );
}

/** Adds one message from Bob to the mounted list, as a new room event would. */
async function addFromBob(page: Page, text: string): Promise<void> {
  await page.evaluate((text) => {
    const fixture = parleyFixture;
    const holder = globalThis as unknown as { listState: Parameters<typeof fixture.rows>[0] };
    const last = holder.listState.entries[holder.listState.entries.length - 1];
    const seq = (last?.seq ?? 0) + 1;
    holder.listState = {
      ...holder.listState,
      entries: [
        ...holder.listState.entries,
        fixture.entries.textEntry({ seq, id: `say-${seq}`, from: { id: 'b', name: 'Bob' }, text }),
      ],
    };
    fixture.element!.rows = fixture.rows(holder.listState);
  }, text);
}

function events(page: Page, type: string): Promise<RecordedEvent[]> {
  return page.evaluate((type) => parleyFixture.events.filter((event) => event.type === type), type);
}

const scroller = (page: Page) => page.locator('message-list lit-virtualizer');
const row = (page: Page, seq: number) => page.locator(`message-list [data-seq="${seq}"]`);

describe('message-list', () => {
  it('marks own messages, shows pending ones until acked and failed ones with Retry', async () => {
    const page = await pages.newPage();
    const ts = new Date(2025, 2, 14, 9, 5).getTime();
    await page.evaluate(
      ({ summary, ts }) => {
        const fixture = parleyFixture;
        const state = fixture.roomState(summary, [
          fixture.entries.entryEvent({
            seq: 1,
            id: 'x1',
            from: { id: 'b', name: 'Bob' },
            text: 'hi Ada',
            ts,
          }),
          fixture.entries.entryEvent({
            seq: 2,
            id: 'x2',
            from: { id: 'a', name: 'Ada' },
            text: 'hello Bob',
            ts: ts + 60_000,
          }),
          {
            type: 'outbox',
            outbox: [
              { id: 'o1', conv: 'general', text: 'on its way', state: 'pending' },
              {
                id: 'o2',
                conv: 'general',
                text: 'too fast',
                state: 'failed',
                error: 'rate_limited',
              },
              // Broadcast before its ack: shown once, as the stored message.
              { id: 'x2', conv: 'general', text: 'hello Bob', state: 'pending' },
            ],
          },
        ]);
        fixture.mount('message-list', { rows: fixture.timeline(state), roomName: 'Lab' });
      },
      { summary: SUMMARY, ts },
    );

    await row(page, 2).waitFor();
    expect(await row(page, 1).getAttribute('class')).not.toContain('own');
    expect(await row(page, 2).getAttribute('class')).toContain('own');
    expect(await row(page, 2).locator('.author').textContent()).toBe('You');
    expect(await row(page, 1).locator('.author').textContent()).toBe('Bob');
    expect(await row(page, 1).locator('time').textContent()).toBe('09:05');
    expect(await row(page, 2).locator('time').textContent()).toBe('09:06');
    expect(await page.locator('message-list .text').allTextContents()).toEqual([
      'hi Ada',
      'hello Bob',
      'on its way',
      'too fast',
    ]);

    const pending = page.locator('message-list [data-outgoing-id="o1"]');
    expect(await pending.getAttribute('class')).toContain('pending');
    expect(await pending.locator('.status').textContent()).toBe('Sending…');

    const failed = page.locator('message-list [data-outgoing-id="o2"]');
    expect(await failed.locator('.status').textContent()).toContain(
      `Not sent. ${ERROR_SENTENCES.rate_limited}`,
    );
    await failed.getByRole('button', { name: 'Retry sending this message' }).click();
    expect(await events(page, 'retry-message')).toEqual([
      { type: 'retry-message', detail: { id: 'o2' } },
    ]);
  });

  it('shows join and leave lines where they happened', async () => {
    const page = await pages.newPage();
    await page.evaluate((summary) => {
      const fixture = parleyFixture;
      const ts = Date.now();
      const state = fixture.roomState(summary, [
        fixture.entries.entryEvent({
          seq: 1,
          id: 'x1',
          from: { id: 'b', name: 'Bob' },
          text: 'first',
          ts,
        }),
        { type: 'joined', peer: { id: 'c', name: 'Cy' } },
        fixture.entries.entryEvent({
          seq: 2,
          id: 'x2',
          from: { id: 'c', name: 'Cy' },
          text: 'second',
          ts,
        }),
        { type: 'left', peer: { id: 'b', name: 'Bob' } },
      ]);
      fixture.mount('message-list', { rows: fixture.timeline(state), roomName: 'Lab' });
    }, SUMMARY);
    const lines = page.locator('message-list .presence, message-list .text');
    await expect.poll(() => lines.count()).toBe(4);
    const texts = (await lines.allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(texts[0]).toBe('first');
    expect(texts[1]).toMatch(/^Cy joined · \d\d:\d\d$/);
    expect(texts[2]).toBe('second');
    expect(texts[3]).toMatch(/^Bob left · \d\d:\d\d$/);
  });

  it('shows HTML and script in names and messages as literal text, never running them', async () => {
    const page = await pages.newPage();
    const payloads = [
      '<script>globalThis.pwned = "script"</script>',
      '<img src=x onerror="globalThis.pwned = \'img\'">',
      '"><svg onload="globalThis.pwned = \'svg\'">',
      '{{7*7}} ${globalThis.pwned = "template"}',
    ];
    await page.evaluate(
      ({ summary, payloads }) => {
        const fixture = parleyFixture;
        const evil = { id: 'e', name: '<b onmouseover="globalThis.pwned=\'name\'">Eve</b>' };
        const state = fixture.roomState(
          summary,
          payloads.map((text, index) => ({
            ...fixture.entries.entryEvent({
              seq: index + 1,
              id: `e${index}`,
              from: evil,
              text,
              ts: Date.now(),
            }),
          })),
        );
        fixture.mount('message-list', { rows: fixture.timeline(state), roomName: 'Lab' });
      },
      { summary: SUMMARY, payloads },
    );
    await expect.poll(() => page.locator('message-list .text').allTextContents()).toEqual(payloads);
    expect(await page.locator('message-list .author').first().textContent()).toBe(
      '<b onmouseover="globalThis.pwned=\'name\'">Eve</b>',
    );
    await page.locator('message-list .author').first().hover();
    const injected = page.locator(
      'message-list script, message-list img, message-list svg:not([aria-hidden]), message-list b',
    );
    expect(await injected.count()).toBe(0);
    expect(await page.evaluate(() => 'pwned' in globalThis)).toBe(false);
  });

  it('turns http links into links the bridge opens, and nothing else into links', async () => {
    const page = await pages.newPage();
    await page.evaluate((summary) => {
      const fixture = parleyFixture;
      const state = fixture.roomState(summary, [
        fixture.entries.entryEvent({
          seq: 1,
          id: 'l1',
          from: { id: 'b', name: 'Bob' },
          text: 'see https://example.com/docs?a=1. and javascript:alert(1) @Ada',
          ts: Date.now(),
        }),
      ]);
      fixture.mount('message-list', {
        rows: fixture.timeline(state),
        peerNames: ['Ada', 'Bob'],
        selfName: 'Ada',
      });
    }, SUMMARY);
    const links = page.locator('message-list .text a');
    await expect.poll(() => links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://example.com/docs?a=1');
    expect(await page.locator('message-list .mention.me').textContent()).toBe('@Ada');
    const before = page.url();
    await links.click();
    expect(await events(page, 'open-link')).toEqual([
      { type: 'open-link', detail: { url: 'https://example.com/docs?a=1' } },
    ]);
    expect(page.url()).toBe(before);
  });

  it('opens at the newest message and asks for older ones on reaching the top', async () => {
    const page = await pages.newPage();
    await mountList(page, 101, 300);
    await expect.poll(() => row(page, 400).isVisible()).toBe(true);
    expect(await row(page, 101).count()).toBe(0);
    expect(await events(page, 'load-older')).toEqual([]);

    await scroller(page).evaluate((element) => element.scrollTo({ top: 0 }));
    await expect
      .poll(() => events(page, 'load-older'))
      .toEqual([{ type: 'load-older', detail: { conv: 'general', beforeSeq: 101 } }]);
    expect(await page.locator('message-list .edge').textContent()).toContain('earlier messages');
  });

  it('keeps the reader’s place when older messages arrive above', async () => {
    const page = await pages.newPage();
    await mountList(page, 101, 60);
    await scroller(page).evaluate((element) => element.scrollTo({ top: 0 }));
    await expect.poll(() => events(page, 'load-older')).toHaveLength(1);
    await expect.poll(() => row(page, 101).isVisible()).toBe(true);

    await page.evaluate(() => {
      const fixture = parleyFixture;
      const holder = globalThis as unknown as { listState: Parameters<typeof fixture.rows>[0] };
      const older = fixture.messages(1, 100, [{ id: 'b', name: 'Bob' }]);
      holder.listState = {
        ...holder.listState,
        entries: [...older, ...holder.listState.entries],
      };
      Object.assign(fixture.element!, {
        rows: fixture.rows(holder.listState),
        hasOlder: false,
      });
    });
    // The message that was at the top is still in view, not pushed a hundred rows down.
    await expect.poll(() => row(page, 100).count()).toBe(1);
    await expect.poll(() => row(page, 101).isVisible()).toBe(true);
  });

  it('offers a "new messages" button when scrolled up, and follows new messages at the bottom', async () => {
    const page = await pages.newPage();
    await mountList(page, 1, 200);
    await expect.poll(() => row(page, 200).isVisible()).toBe(true);

    // At the bottom, a new message scrolls into view by itself.
    await addFromBob(page, 'while you watch');
    await expect.poll(() => row(page, 201).isVisible()).toBe(true);
    expect(await page.locator('message-list .jump').count()).toBe(0);

    await scroller(page).hover();
    await page.mouse.wheel(0, -3000);
    await expect.poll(() => row(page, 201).isVisible()).toBe(false);
    await addFromBob(page, 'while you read');
    await addFromBob(page, 'and another');
    const jump = page.locator('message-list .jump');
    await expect.poll(() => jump.textContent()).toContain('2 new messages');
    expect(await row(page, 203).isVisible()).toBe(false);

    await jump.click();
    await expect.poll(() => row(page, 203).isVisible()).toBe(true);
    await expect.poll(() => jump.count()).toBe(0);
  });

  it('scrolls your own new message into view, even when you had scrolled up', async () => {
    const page = await pages.newPage();
    await mountList(page, 1, 200);
    await expect.poll(() => row(page, 200).isVisible()).toBe(true);
    await scroller(page).hover();
    await page.mouse.wheel(0, -3000);
    await expect.poll(() => row(page, 200).isVisible()).toBe(false);

    await page.evaluate(() => {
      const fixture = parleyFixture;
      const holder = globalThis as unknown as { listState: Parameters<typeof fixture.rows>[0] };
      holder.listState = {
        ...holder.listState,
        outbox: [{ id: 'mine', conv: 'general', text: 'my own words', state: 'pending' }],
      };
      fixture.element!.rows = fixture.rows(holder.listState);
    });
    const mine = page.locator('message-list [data-outgoing-id="mine"]');
    await expect.poll(() => mine.isVisible()).toBe(true);
    expect(await page.locator('message-list .jump').count()).toBe(0);
  });

  it('takes a much shorter list, even when redrawn at once for another reason', async () => {
    const page = await pages.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await mountList(page, 1, 300);
    await expect.poll(() => row(page, 300).isVisible()).toBe(true);

    // The list shrinks (another conversation, a pending row that became a message), and before
    // the virtualizer has moved its range the rows are to look different (older history known).
    await page.evaluate(async () => {
      const list = parleyFixture.element! as unknown as {
        rows: unknown[];
        hasOlder: boolean;
        updateComplete: Promise<boolean>;
      };
      list.rows = list.rows.slice(0, 4);
      await list.updateComplete;
      list.hasOlder = !list.hasOlder;
      await list.updateComplete;
    });
    await expect.poll(() => row(page, 3).isVisible()).toBe(true);
    expect(await page.locator('message-list .text').count()).toBe(3);
    expect(errors).toEqual([]);
  });

  it('throws nothing when it leaves the page before its new rows are laid out', async () => {
    const page = await pages.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await mountList(page, 1, 50);
    await expect.poll(() => row(page, 50).isVisible()).toBe(true);

    // Switching conversation or reloading takes the list away while a layout is still pending.
    await page.evaluate(async () => {
      const list = parleyFixture.element! as unknown as {
        rows: unknown[];
        updateComplete: Promise<boolean>;
        remove(): void;
      };
      list.rows = list.rows.slice(0, 10);
      await list.updateComplete;
      list.remove();
      await new Promise((settle) => setTimeout(settle, 100));
    });
    expect(errors).toEqual([]);
  });

  it('announces new messages from others in a live region', async () => {
    const page = await pages.newPage();
    await mountList(page, 1, 5);
    const live = page.locator('message-list [aria-live="polite"]');
    expect(await live.textContent()).toBe('');
    await addFromBob(page, 'is anyone there?');
    await expect.poll(() => live.textContent()).toBe('Bob: is anyone there?');
  });

  it('keeps 10,000 messages smooth: only a screenful is in the DOM', async () => {
    const page = await pages.newPage();
    const started = Date.now();
    await mountList(page, 1, 10_000);
    await expect.poll(() => row(page, 10_000).isVisible()).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await page.locator('message-list .msg').count()).toBeLessThan(200);

    // Jumping into the middle renders that part quickly, still without the rest.
    await scroller(page).evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
    await expect
      .poll(async () => {
        const seqs = await page
          .locator('message-list [data-seq]')
          .evaluateAll((elements) =>
            elements.map((element) => Number(element.getAttribute('data-seq'))),
          );
        return seqs.some((seq) => seq > 3000 && seq < 7000);
      })
      .toBe(true);
    expect(await page.locator('message-list .msg').count()).toBeLessThan(200);
  });

  it('redraws a row when what it shows changes around it: names to mention, the row above', async () => {
    const page = await pages.newPage();
    await page.evaluate((summary) => {
      const fixture = parleyFixture;
      const ts = Date.now();
      const bob = { id: 'b', name: 'Bob' };
      const state = fixture.roomState(summary, [
        fixture.entries.entryEvent({ seq: 11, id: 'x11', from: bob, text: '@Cy over to you', ts }),
        fixture.entries.entryEvent({ seq: 12, id: 'x12', from: bob, text: 'and @Ada', ts }),
      ]);
      fixture.mount('message-list', {
        rows: fixture.timeline(state),
        peerNames: ['Ada', 'Bob'],
        selfName: 'Bob',
        hasOlder: true,
      });
      Object.assign(globalThis, {
        listState: {
          entries: state.logs.get('general')!.entries,
          presence: [],
          outbox: [],
          self: state.self,
        },
      });
    }, SUMMARY);
    await row(page, 12).waitFor();
    expect(await page.locator('message-list .mention').allTextContents()).toEqual(['@Ada']);
    expect(await page.locator('message-list .mention.me').count()).toBe(0);
    expect(await row(page, 11).locator('.author').textContent()).toBe('Bob');

    // Cy joins the room and this user turns out to be Ada: both rows show it.
    await page.evaluate(() => {
      Object.assign(parleyFixture.element!, { peerNames: ['Ada', 'Bob', 'Cy'], selfName: 'Ada' });
    });
    await expect
      .poll(() => page.locator('message-list .mention').allTextContents())
      .toEqual(['@Cy', '@Ada']);
    expect(await page.locator('message-list .mention.me').textContent()).toBe('@Ada');

    // An earlier message of Bob's arrives above: seq 11 now continues it, without its own header.
    await page.evaluate(() => {
      const fixture = parleyFixture;
      const holder = globalThis as unknown as { listState: Parameters<typeof fixture.rows>[0] };
      const first = holder.listState.entries[0]!;
      const older = { ...first, seq: 10, id: 'x10', text: 'first', ts: first.ts - 1000 };
      holder.listState = { ...holder.listState, entries: [older, ...holder.listState.entries] };
      Object.assign(fixture.element!, {
        rows: fixture.rows(holder.listState),
        hasOlder: false,
      });
    });
    await expect.poll(() => row(page, 11).getAttribute('class')).toContain('grouped');
    expect(await row(page, 11).locator('.author').count()).toBe(0);
    expect(await row(page, 10).locator('.author').textContent()).toBe('Bob');
  });
});
