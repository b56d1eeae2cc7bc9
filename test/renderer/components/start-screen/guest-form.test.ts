/**
 * What the guest page says about its connection before the guest types anything, in Chromium:
 * encrypted (with how to check the fingerprint), within this computer, or unencrypted across the
 * network, where the password field is closed because no password is sent that way.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RoomSummary } from '../../../../protocol/bridge';
import { useFixturePages } from '../../helpers/fixture';
import { GENERAL_VIEW } from '../../helpers/entries';

const pages = useFixturePages();

const JOINED: RoomSummary = {
  room: { id: 'fixture-room', name: 'Fixture room' },
  self: { id: 'p1', name: 'Gil' },
  peers: [{ id: 'p1', name: 'Gil' }],
  peerCount: 1,
  conversations: [GENERAL_VIEW],
  hosting: false,
  addresses: [],
};

/** The guest start screen as a page from `pageProtocol//pageHost` would show it. */
async function guestScreen(pageProtocol: string, pageHost: string): Promise<Page> {
  const page = await pages.newPage();
  await page.evaluate(
    ({ pageProtocol, pageHost, joined }) => {
      parleyFixture.createBridge('browser', { join: { value: joined } });
      parleyFixture.mount('start-screen', { pageProtocol, pageHost }, 'bridge');
    },
    { pageProtocol, pageHost, joined: JOINED },
  );
  // The host's public info (a password room) has arrived once the heading names the room.
  await expect
    .poll(() => page.locator('#join-form').getByRole('heading').innerText())
    .toBe('Join Fixture room');
  return page;
}

function calls(page: Page, method: string): Promise<unknown[]> {
  return page.evaluate((method) => parleyFixture.bridge?.callsOf(method) ?? [], method);
}

describe('the guest page’s word on its connection', () => {
  it('over https: an encrypted connection, and how to check the fingerprint', async () => {
    const page = await guestScreen('https:', '192.168.1.20:7420');
    const note = page.locator('identity-transport-note');
    expect(await note.locator('strong').textContent()).toBe('Encrypted connection');
    expect(await note.locator('.note').textContent()).toMatch(
      /compare its SHA-256 fingerprint with the one on the host's\s+screen/,
    );
    const password = page.locator('#join-form').getByLabel('Password');
    expect(await password.isEnabled()).toBe(true);
    await page.locator('#join-form').getByLabel('Your name').fill('Gil');
    await password.fill('s3cret');
    await page.getByRole('button', { name: 'Join room' }).click();
    await expect
      .poll(() => calls(page, 'join'))
      .toEqual([{ address: '192.168.1.20:7420', name: 'Gil', password: 's3cret' }]);
  });

  it('over http from another machine: a warning, and no password field to type into', async () => {
    const page = await guestScreen('http:', '192.168.1.20:7420');
    const warning = page.getByRole('alert');
    expect(await warning.locator('strong').textContent()).toBe(
      'Warning: this connection is not encrypted',
    );
    expect(await warning.textContent()).toMatch(
      /Others on this network can read your messages, and any password typed here/,
    );
    const password = page.locator('#join-form').getByLabel('Password');
    expect(await password.isDisabled()).toBe(true);
    expect(await page.locator('#join-password-hint').textContent()).toBe(
      'Not available here: passwords are never sent over an unencrypted connection.',
    );
    // The room needs a password (its public info says so): joining from here cannot work.
    expect(await page.getByRole('button', { name: 'Join room' }).isDisabled()).toBe(true);
    expect(await calls(page, 'join')).toEqual([]);
  });

  it('over http on this computer: says nothing crosses the network, and takes a password', async () => {
    const page = await guestScreen('http:', '127.0.0.1:7420');
    const note = page.locator('identity-transport-note');
    expect(await note.locator('strong').textContent()).toBe(
      'Not encrypted, but on this computer only',
    );
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('#join-form').getByLabel('Password').isEnabled()).toBe(true);
  });
});
