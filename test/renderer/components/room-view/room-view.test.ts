import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RoomEvent, RoomSummary } from '../../../../protocol/bridge';
import { readableFingerprint } from '../../../../protocol/client/fingerprint';
import { useFixturePages } from '../../helpers/fixture';
import type { RecordedEvent } from '../../helpers/fixture-page';
import { GENERAL_VIEW, entryEvent } from '../../helpers/entries';

const pages = useFixturePages();

const ADA = { id: 'a', name: 'Ada' };
const BOB = { id: 'b', name: 'Bob' };
const HOSTING: RoomSummary = {
  room: { id: 'r1', name: 'Design team' },
  self: ADA,
  peers: [ADA, BOB],
  peerCount: 2,
  conversations: [GENERAL_VIEW],
  hosting: true,
  addresses: [
    { address: '192.168.1.20:7420', interfaceName: 'wlan0' },
    { address: '127.0.0.1:7420', interfaceName: 'loopback' },
  ],
};
/** A made-up SHA-256 fingerprint, as the main process hands it over. */
const FINGERPRINT = readableFingerprint(
  Array.from({ length: 32 }, (_, i) => ((i * 37 + 11) % 256).toString(16).padStart(2, '0')).join(
    ':',
  ),
);

async function mountRoom(
  page: Page,
  summary: RoomSummary,
  events: RoomEvent[] = [],
): Promise<void> {
  await page.evaluate(
    ({ summary, events }) => {
      const fixture = parleyFixture;
      fixture.mount('room-view', { state: fixture.roomState(summary, events) });
    },
    { summary, events },
  );
  await page.locator('room-view h1').waitFor();
}

function events(page: Page, type: string): Promise<RecordedEvent[]> {
  return page.evaluate((type) => parleyFixture.events.filter((event) => event.type === type), type);
}

describe('room-view', () => {
  it('shows the room name and copies each address to the clipboard', async () => {
    const page = await pages.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await mountRoom(page, HOSTING);
    expect(await page.locator('room-view h1').textContent()).toBe('Design team');
    expect(await page.locator('room-view .subtitle').textContent()).toContain('2 people');
    expect(await page.locator('room-view .subtitle').textContent()).toContain('You are hosting');
    expect(await page.locator('room-view .addresses code').allTextContents()).toEqual([
      '192.168.1.20:7420',
      '127.0.0.1:7420',
    ]);

    const copy = page.getByRole('button', { name: 'Copy address 192.168.1.20:7420' });
    await copy.click();
    await expect.poll(() => copy.textContent()).toContain('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('192.168.1.20:7420');
    // The other address's button is untouched.
    expect(
      await page.getByRole('button', { name: 'Copy address 127.0.0.1:7420' }).textContent(),
    ).toContain('Copy');
  });

  it('shows invites with QR codes and copyable links for each address', async () => {
    const page = await pages.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    // A 1x1 PNG stands in for the QR codes the main process draws.
    const png =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    const qr = { svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', png };
    await mountRoom(page, {
      ...HOSTING,
      invites: [
        {
          ...HOSTING.addresses[0]!,
          invite: 'parley://192.168.1.20:7420/?room=r1',
          guestUrl: 'http://192.168.1.20:7420/',
          inviteQr: qr,
          guestQr: { svg: qr.svg, png: 'javascript:alert(1)' },
        },
      ],
    });
    const toggle = page.getByRole('button', { name: 'Invite people' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    const panel = page.locator('invite-panel');
    await panel.waitFor();
    expect(await panel.locator('h3').textContent()).toBe('wlan0 · 192.168.1.20:7420');
    // Only a real PNG data URL is shown; anything else in that field is left out.
    expect(await panel.locator('img').count()).toBe(1);
    expect(await panel.locator('img').getAttribute('alt')).toBe(
      'QR code of the invite parley://192.168.1.20:7420/?room=r1',
    );
    await page.getByRole('button', { name: 'Copy link http://192.168.1.20:7420/' }).click();
    await expect
      .poll(() => page.evaluate('navigator.clipboard.readText()'))
      .toBe('http://192.168.1.20:7420/');
    await page.getByRole('button', { name: 'Hide invites' }).click();
    expect(await panel.count()).toBe(0);
  });

  it("shows the room's fingerprint in short groups below the addresses, the full one on request", async () => {
    const page = await pages.newPage();
    await mountRoom(page, { ...HOSTING, fingerprint: FINGERPRINT });
    const shown = page.locator('room-view header identity-fingerprint');
    expect(await shown.locator('.label').textContent()).toBe('Fingerprint');
    const groups = await shown.locator('.group').allTextContents();
    expect(groups).toEqual(FINGERPRINT.short.split(' '));
    expect(groups).toHaveLength(8);
    for (const group of groups) expect(group).toMatch(/^[0-9A-F]{4}$/);

    const addresses = (await page.locator('room-view .addresses').boundingBox())!;
    const fingerprint = (await shown.boundingBox())!;
    expect(fingerprint.y).toBeGreaterThanOrEqual(addresses.y + addresses.height);

    expect(await shown.locator('.full').isVisible()).toBe(false);
    await shown.getByRole('button', { name: 'Show full fingerprint' }).click();
    expect(await shown.locator('.full code').textContent()).toBe(FINGERPRINT.full);
  });

  it('shows the fingerprint a guest pinned, and none for a room without one', async () => {
    const page = await pages.newPage();
    await mountRoom(page, { ...HOSTING, hosting: false, addresses: [], fingerprint: FINGERPRINT });
    expect(await page.locator('room-view header identity-fingerprint .group').count()).toBe(8);

    const other = await pages.newPage();
    await mountRoom(other, HOSTING);
    expect(await other.locator('room-view identity-fingerprint').count()).toBe(0);
  });

  it("shows the room's fingerprint in the invite panel, even when the invites carry none", async () => {
    const page = await pages.newPage();
    const qr = { svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', png: 'none' };
    await mountRoom(page, {
      ...HOSTING,
      fingerprint: FINGERPRINT,
      invites: [
        {
          ...HOSTING.addresses[0]!,
          invite: 'parley://192.168.1.20:7420/?room=r1',
          guestUrl: 'https://192.168.1.20:7420/',
          inviteQr: qr,
          guestQr: qr,
        },
      ],
    });
    await page.getByRole('button', { name: 'Invite people' }).click();
    const identity = page.locator('invite-panel identity-fingerprint');
    expect(await identity.locator('.group').allTextContents()).toEqual(
      FINGERPRINT.short.split(' '),
    );
  });

  it('asks before a host closes the room for everyone', async () => {
    const page = await pages.newPage();
    await mountRoom(page, HOSTING);
    await page.getByRole('button', { name: 'Close room' }).click();
    expect(
      await page.getByRole('group', { name: 'Close the room for everyone?' }).isVisible(),
    ).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await events(page, 'leave-room')).toEqual([]);

    await page.getByRole('button', { name: 'Close room' }).click();
    await page.getByRole('group').getByRole('button', { name: 'Close room' }).click();
    expect(await events(page, 'leave-room')).toHaveLength(1);
  });

  it('lets a guest leave at once, without addresses to share', async () => {
    const page = await pages.newPage();
    await mountRoom(page, { ...HOSTING, hosting: false, addresses: [] });
    expect(await page.locator('room-view .addresses').count()).toBe(0);
    await page.getByRole('button', { name: 'Leave' }).click();
    expect(await events(page, 'leave-room')).toHaveLength(1);
  });

  it('puts together people, conversation, typing, banner and composer', async () => {
    const page = await pages.newPage();
    await mountRoom(page, HOSTING, [
      { type: 'state', state: 'reconnecting' },
      entryEvent({ seq: 1, id: 'm1', from: BOB, text: 'morning' }),
      { type: 'typing', conv: 'general', peer: BOB },
    ]);
    expect(await page.locator('room-view peer-list .name').allTextContents()).toEqual([
      'Ada',
      'Bob',
    ]);
    await expect
      .poll(() => page.locator('room-view message-list .text').allTextContents())
      .toEqual(['morning']);
    expect(await page.locator('room-view .typing-line').textContent()).toBe('Bob is typing…');
    expect(
      await page.locator('room-view connection-banner [role="status"]').textContent(),
    ).toContain('Connection lost. Reconnecting…');

    // The room fills the window: the composer sits at the bottom, the conversation takes the rest.
    const viewport = page.viewportSize()!;
    const composerBox = (await page.locator('room-view message-composer').boundingBox())!;
    expect(composerBox.y + composerBox.height).toBeGreaterThan(viewport.height - 4);
    const listBox = (await page.locator('room-view message-list').boundingBox())!;
    expect(listBox.height).toBeGreaterThan(viewport.height / 2);

    const composer = page.getByLabel('Message', { exact: true });
    expect(await composer.getAttribute('placeholder')).toBe('Message #general');
    await composer.fill('on my way');
    await composer.press('Enter');
    expect(await events(page, 'send-message')).toEqual([
      { type: 'send-message', detail: { text: 'on my way' } },
    ]);
  });
});
