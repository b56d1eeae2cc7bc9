/**
 * The invite panel of a hosted room, in Chromium: the room's fingerprint to read out (short
 * groups, the full form on demand) and, next to the https guest link, why browsers warn the first
 * time and how a guest checks the certificate.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RoomInvite } from '../../../../protocol/bridge';
import {
  readableFingerprint,
  type ReadableFingerprint,
} from '../../../../protocol/client/fingerprint';
import { buildInvite } from '../../../../protocol/client/invite';
import { useFixturePages } from '../../helpers/fixture';

const pages = useFixturePages();

const CERTIFICATE_NOTE =
  "Guests' browsers warn about this link the first time, because this computer made the room's certificate itself: to check it, compare the SHA-256 fingerprint in the browser's certificate details with the one shown here.";

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i + 0xa0).toString(16)).join(':');
const READABLE = readableFingerprint(FINGERPRINT);
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function invite(host: string, fingerprint?: string): RoomInvite {
  const address = `${host}:7420`;
  return {
    address,
    interfaceName: 'wlan0',
    invite: buildInvite({
      host,
      port: 7420,
      roomId: 'r_lab',
      ...(fingerprint !== undefined && { fingerprint }),
    }),
    guestUrl: `${fingerprint === undefined ? 'http' : 'https'}://${address}/`,
    inviteQr: { svg: '<svg/>', png: PNG },
    guestQr: { svg: '<svg/>', png: PNG },
  };
}

async function panel(invites: RoomInvite[], fingerprint?: ReadableFingerprint): Promise<Page> {
  const page = await pages.newPage();
  await page.evaluate(
    ({ invites, fingerprint }) =>
      parleyFixture.mount('invite-panel', { invites, ...(fingerprint && { fingerprint }) }),
    { invites, fingerprint },
  );
  await page.locator('invite-panel li').first().waitFor();
  return page;
}

describe('invite-panel', () => {
  it('shows the room’s fingerprint in groups to read out, the full form on demand', async () => {
    const page = await panel([
      invite('192.168.1.20', FINGERPRINT),
      invite('10.0.0.7', FINGERPRINT),
    ]);
    const identity = page.getByRole('region', { name: 'Room identity' });
    expect(await identity.locator('.label').textContent()).toBe("This room's fingerprint");
    expect(await identity.locator('.group').allTextContents()).toEqual(READABLE.short.split(' '));

    const full = identity.getByText(READABLE.full);
    expect(await full.isVisible()).toBe(false);
    const toggle = identity.getByRole('button', { name: 'Show full fingerprint' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await full.isVisible()).toBe(true);
    await identity.getByRole('button', { name: 'Hide full fingerprint' }).click();
    expect(await full.isVisible()).toBe(false);
  });

  it('explains the browser’s certificate warning next to each https guest link', async () => {
    const page = await panel([invite('192.168.1.20', FINGERPRINT)]);
    const guestLink = page.locator('figure', { hasText: 'In a browser or on a phone' });
    expect(await guestLink.locator('code').textContent()).toBe('https://192.168.1.20:7420/');
    expect(await guestLink.locator('.certificate-note').textContent()).toBe(CERTIFICATE_NOTE);
    // The app invite needs no such word: Parley pins the fingerprint the invite carries.
    const appInvite = page.locator('figure', { hasText: 'In the Parley app' });
    expect(await appInvite.locator('.certificate-note').count()).toBe(0);
  });

  it('prefers the summary’s fingerprint when it is given', async () => {
    const other = readableFingerprint(Array.from({ length: 32 }, () => '5A').join(':'));
    const page = await panel([invite('192.168.1.20', FINGERPRINT)], other);
    const groups = page.getByRole('region', { name: 'Room identity' }).locator('.group');
    expect(await groups.allTextContents()).toEqual(other.short.split(' '));
  });

  it('shows neither for a room without a certificate', async () => {
    const page = await panel([invite('192.168.1.20')]);
    expect(await page.getByRole('region', { name: 'Room identity' }).count()).toBe(0);
    expect(await page.locator('.certificate-note').count()).toBe(0);
  });
});
