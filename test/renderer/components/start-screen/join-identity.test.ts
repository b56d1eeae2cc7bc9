/**
 * Trusting a room on the start screen, in Chromium: the question before a first visit (room name,
 * fingerprint in groups, Trust and join / Cancel), the warning for a changed identity with its
 * only way on (Forget this room), and a room picked from the network joined by its invite.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { BridgeError, RoomSummary } from '../../../../protocol/bridge';
import { isFocused, useFixturePages } from '../../helpers/fixture';
import { GENERAL_VIEW } from '../../helpers/entries';
import type { FakeBridgeScript } from '../../helpers/fake-bridge';

const pages = useFixturePages();

const FULL = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase()).join(
  ':',
);
const SHORT = '1017 1E25 2C33 3A41 484F 565D 646B 7279';
const NEW_FULL = Array.from({ length: 32 }, () => 'C3').join(':');

const JOINED: RoomSummary = {
  room: { id: 'r_vault', name: 'Vault' },
  self: { id: 'p2', name: 'Bob' },
  peers: [{ id: 'p2', name: 'Bob' }],
  peerCount: 1,
  conversations: [GENERAL_VIEW],
  hosting: false,
  addresses: [],
  fingerprint: { short: SHORT, full: FULL },
};

const CONFIRM: BridgeError = {
  code: 'confirm_identity',
  message: `Parley has not seen room "Vault" (r_vault) before.\nIts fingerprint is ${SHORT}.\nCompare it with the fingerprint on the host's screen before you join.`,
  fingerprint: { short: SHORT, full: FULL },
  roomName: 'Vault',
  roomId: 'r_vault',
};

const CHANGED: BridgeError = {
  code: 'identity_changed',
  message: [
    'WARNING: the identity of room "Vault" (r_vault) has changed, so Parley did not connect.',
    'Someone on this network may be intercepting the connection (a man-in-the-middle attack),',
    'or the host may have created a new certificate.',
    `Known fingerprint:     ${SHORT}`,
    'Presented fingerprint: C3C3 C3C3 C3C3 C3C3 C3C3 C3C3 C3C3 C3C3',
    'Ask the host to read out the fingerprint shown in their app. Only if it matches the',
    'presented one, forget this room in Parley and join again.',
  ].join('\n'),
  fingerprint: { short: 'C3C3 C3C3 C3C3 C3C3 C3C3 C3C3 C3C3 C3C3', full: NEW_FULL },
  roomName: 'Vault',
  roomId: 'r_vault',
};

async function desktopScreen(script: FakeBridgeScript): Promise<Page> {
  const page = await pages.newPage();
  await page.evaluate((script) => {
    parleyFixture.createBridge('desktop', script);
    parleyFixture.mount('start-screen', {}, 'bridge');
  }, script);
  return page;
}

function calls(page: Page, method: string): Promise<unknown[]> {
  return page.evaluate((method) => parleyFixture.bridge?.callsOf(method) ?? [], method);
}

async function submitJoin(page: Page, address = '192.168.1.20:7420'): Promise<void> {
  const join = page.locator('#join-form');
  await join.getByLabel('Address').fill(address);
  await join.getByLabel('Your name').fill('Bob');
  await join.getByRole('button', { name: 'Join room' }).click();
}

describe('joining a room never seen', () => {
  it('shows the room and its fingerprint in groups, and joins pinned to it once trusted', async () => {
    const page = await desktopScreen({ joins: [{ error: CONFIRM }], join: { value: JOINED } });
    await submitJoin(page);

    const question = page.getByRole('group', { name: 'Is this the right room?' });
    await question.waitFor();
    expect(await question.textContent()).toContain('“Vault”');
    const groups = question.locator('.group');
    expect(await groups.allTextContents()).toEqual(SHORT.split(' '));
    // Read out group by group.
    expect(await question.locator('.groups').getAttribute('aria-label')).toBe(
      `Fingerprint of this room: ${SHORT.split(' ').join(', ')}`,
    );
    // The question has the focus, and the form's own Join button steps aside.
    await expect.poll(() => isFocused(question)).toBe(true);
    expect(await page.getByRole('button', { name: 'Join room' }).count()).toBe(0);

    // The full form, as a browser's certificate viewer shows it, on demand.
    const full = question.getByText(FULL);
    expect(await full.isVisible()).toBe(false);
    await question.getByRole('button', { name: 'Show full fingerprint' }).click();
    expect(await full.isVisible()).toBe(true);

    await question.getByRole('button', { name: 'Trust and join' }).click();
    await expect
      .poll(() => calls(page, 'join'))
      .toEqual([
        { address: '192.168.1.20:7420', name: 'Bob' },
        { address: '192.168.1.20:7420', name: 'Bob', fingerprint: FULL },
      ]);
    await expect
      .poll(() => page.evaluate(() => parleyFixture.events))
      .toEqual([{ type: 'room-entered', detail: { summary: JOINED } }]);
  });

  it('joins nothing on Cancel and gives the form back', async () => {
    const page = await desktopScreen({ join: { error: CONFIRM } });
    await submitJoin(page);
    const question = page.getByRole('group', { name: 'Is this the right room?' });
    await question.getByRole('button', { name: 'Cancel' }).click();

    await expect.poll(() => question.count()).toBe(0);
    const join = page.locator('#join-form');
    expect(await join.getByRole('button', { name: 'Join room' }).isEnabled()).toBe(true);
    await expect.poll(() => isFocused(join.getByLabel('Address'))).toBe(true);
    expect(await calls(page, 'join')).toHaveLength(1);
    expect(await page.evaluate(() => parleyFixture.events)).toEqual([]);
  });
});

describe('joining a room whose identity changed', () => {
  it('shows the warning and joins nothing until the room is forgotten', async () => {
    const page = await desktopScreen({ joins: [{ error: CHANGED }], join: { error: CONFIRM } });
    await submitJoin(page);

    const warning = page.getByRole('alert');
    await warning.waitFor();
    expect(await warning.getByRole('heading').textContent()).toBe(
      'The identity of “Vault” has changed',
    );
    // The warning as main wrote it, line by line, with both fingerprints.
    expect(await warning.locator('.warning').innerText()).toBe(CHANGED.message);
    const joinButton = page.getByRole('button', { name: 'Join room' });
    expect(await joinButton.isDisabled()).toBe(true);
    // Enter in a field does not get around it either.
    await page.locator('#join-form').getByLabel('Your name').press('Enter');
    expect(await calls(page, 'join')).toHaveLength(1);

    await warning.getByRole('button', { name: 'Forget this room' }).click();
    await expect.poll(() => calls(page, 'forgetRoom')).toEqual(['r_vault']);
    const forgotten = page.getByRole('status');
    await expect.poll(() => forgotten.textContent()).toContain('Parley forgot the old fingerprint');
    expect(await joinButton.isEnabled()).toBe(true);

    // Joining again is a first visit: the new fingerprint is shown to compare.
    await joinButton.click();
    const question = page.getByRole('group', { name: 'Is this the right room?' });
    await question.waitFor();
    expect(await question.locator('.group').allTextContents()).toEqual(SHORT.split(' '));
  });

  it('says why forgetting failed and keeps the join closed', async () => {
    const page = await desktopScreen({
      join: { error: CHANGED },
      forgetRoom: {
        error: {
          code: 'known_rooms_failed',
          message: 'The list of known rooms could not be saved.',
        },
      },
    });
    await submitJoin(page);
    const warning = page.getByRole('alert');
    await warning.getByRole('button', { name: 'Forget this room' }).click();
    await expect
      .poll(() => warning.locator('.error-text').textContent())
      .toBe('The list of known rooms could not be saved.');
    expect(await page.getByRole('button', { name: 'Join room' }).isDisabled()).toBe(true);
  });

  it('lets go of the warning once another address is typed', async () => {
    const page = await desktopScreen({ join: { error: CHANGED } });
    await submitJoin(page);
    await page.getByRole('alert').waitFor();
    await page.locator('#join-form').getByLabel('Address').fill('192.168.1.99:7420');
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Join room' }).isEnabled()).toBe(true);
  });
});

describe('rooms found on the network', () => {
  it('fills the join with the room’s invite, so its advertised fingerprint is pinned', async () => {
    const invite = 'parley://192.168.1.20:7420/?fp=ABCD&room=r_vault';
    const page = await desktopScreen({
      join: { value: JOINED },
      preferences: { name: 'Bob', roomName: '', address: '', port: 7420 },
    });
    await expect.poll(() => calls(page, 'startDiscovery')).toHaveLength(1);
    await page.evaluate(
      (invite) =>
        parleyFixture.bridge!.emit({
          type: 'rooms',
          rooms: [
            {
              roomId: 'r_vault',
              name: 'Vault',
              peers: 2,
              password: false,
              address: '192.168.1.20:7420',
              fingerprint: 'AB:CD',
              invite,
            },
          ],
        }),
      invite,
    );
    const pick = page.getByRole('button', { name: 'Join Vault at 192.168.1.20:7420' });
    expect(await pick.textContent()).toContain('2 people · encrypted');
    await pick.click();
    const join = page.locator('#join-form');
    expect(await join.getByLabel('Address').inputValue()).toBe(invite);
    await join.getByRole('button', { name: 'Join room' }).click();
    await expect.poll(() => calls(page, 'join')).toEqual([{ address: invite, name: 'Bob' }]);
  });
});
