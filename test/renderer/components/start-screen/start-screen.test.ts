import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RoomSummary } from '../../../../protocol/bridge';
import { ERROR_SENTENCES } from '../../../../protocol/wire/codes';
import { isFocused, useFixturePages } from '../../helpers/fixture';
import { GENERAL_VIEW } from '../../helpers/entries';
import type { FakeBridgeScript } from '../../helpers/fake-bridge';

const pages = useFixturePages();

const SUMMARY: RoomSummary = {
  room: { id: 'room-1', name: 'Lab' },
  self: { id: 'p1', name: 'Ada' },
  peers: [{ id: 'p1', name: 'Ada' }],
  peerCount: 1,
  conversations: [GENERAL_VIEW],
  hosting: true,
  addresses: [{ address: '127.0.0.1:7555', interfaceName: 'loopback' }],
};

async function mountStartScreen(
  kind: 'desktop' | 'browser',
  script: FakeBridgeScript = {},
): Promise<Page> {
  const page = await pages.newPage();
  await page.evaluate(
    ({ kind, script }) => {
      const fixture = parleyFixture;
      fixture.createBridge(kind, script);
      fixture.mount('start-screen', { pageHost: '127.0.0.1:9999' }, 'bridge');
    },
    { kind, script },
  );
  return page;
}

function calls(page: Page, method: string): Promise<unknown[]> {
  return page.evaluate((method) => parleyFixture.bridge?.callsOf(method) ?? [], method);
}

describe('start-screen', () => {
  it('fills both forms with the remembered name, room, port and address', async () => {
    const page = await mountStartScreen('desktop', {
      preferences: { name: 'Ada', roomName: 'Lab', address: '10.0.0.5:7420', port: 7555 },
    });
    const host = page.locator('#host-form');
    const join = page.locator('#join-form');
    await expect.poll(() => host.getByLabel('Room name').inputValue()).toBe('Lab');
    expect(await host.getByLabel('Your name').inputValue()).toBe('Ada');
    expect(await host.getByLabel('Port').inputValue()).toBe('7555');
    expect(await join.getByLabel('Address').inputValue()).toBe('10.0.0.5:7420');
    expect(await join.getByLabel('Your name').inputValue()).toBe('Ada');
  });

  it('refuses an incomplete form with a sentence per field and asks the bridge nothing', async () => {
    const page = await mountStartScreen('desktop');
    const host = page.locator('#host-form');
    await host.getByLabel('Port').fill('99999');
    await host.getByRole('button', { name: 'Host room' }).click();

    await expect
      .poll(() => host.locator('#host-roomName-error').textContent())
      .toBe('Give the room a name.');
    expect(await host.locator('#host-name-error').textContent()).toBe(
      'Type your name so others know who you are.',
    );
    expect(await host.locator('#host-port-error').textContent()).toBe(
      'Use a port number from 1 to 65535.',
    );
    expect(await host.getByLabel('Room name').getAttribute('aria-invalid')).toBe('true');
    // The first field with a problem gets the focus, so a keyboard user lands on it.
    await expect.poll(() => isFocused(host.getByLabel('Room name'))).toBe(true);
    expect(await calls(page, 'host')).toEqual([]);

    // A name over 32 characters gets its own sentence.
    await host.getByLabel('Your name').fill('x'.repeat(33));
    await host.getByRole('button', { name: 'Host room' }).click();
    await expect
      .poll(() => host.locator('#host-name-error').textContent())
      .toBe('Keep your name to 32 characters or fewer.');
  });

  it('hosts with the typed values, remembers them, and announces the room', async () => {
    const page = await mountStartScreen('desktop', { host: { value: SUMMARY } });
    const host = page.locator('#host-form');
    await host.getByLabel('Room name').fill('  Lab  ');
    await host.getByLabel('Your name').fill('Ada');
    await host.getByLabel('Password (optional)').fill('s3cret');
    await host.getByLabel('Port').fill('7555');
    await host.getByLabel('Port').press('Enter');

    await expect
      .poll(() => calls(page, 'host'))
      .toEqual([{ roomName: 'Lab', name: 'Ada', password: 's3cret', port: 7555 }]);
    expect(await calls(page, 'savePreferences')).toEqual([
      { name: 'Ada', roomName: 'Lab', address: '', port: 7555 },
    ]);
    await expect
      .poll(() => page.evaluate(() => parleyFixture.events))
      .toEqual([{ type: 'room-entered', detail: { summary: SUMMARY } }]);
  });

  it('joins without a password field value when it is left empty', async () => {
    const page = await mountStartScreen('desktop', {
      join: { value: { ...SUMMARY, hosting: false } },
    });
    const join = page.locator('#join-form');
    await join.getByLabel('Address').fill('192.168.1.20:7420');
    await join.getByLabel('Your name').fill('Bob');
    await join.getByRole('button', { name: 'Join room' }).click();
    await expect
      .poll(() => calls(page, 'join'))
      .toEqual([{ address: '192.168.1.20:7420', name: 'Bob' }]);
  });

  it('shows a refused connection as the protocol sentence, in the form, and lets the user try again', async () => {
    const page = await mountStartScreen('desktop', {
      join: { error: { code: 'auth_failed', message: ERROR_SENTENCES.auth_failed } },
      hold: true,
    });
    const join = page.locator('#join-form');
    await join.getByLabel('Address').fill('192.168.1.20:7420');
    await join.getByLabel('Your name').fill('Bob');
    await join.getByLabel('Password').fill('wrong');
    await join.getByRole('button', { name: 'Join room' }).click();

    const busy = join.getByRole('button', { name: 'Joining…' });
    await busy.waitFor();
    expect(await busy.isDisabled()).toBe(true);
    await page.evaluate(() => parleyFixture.bridge?.release());

    const alert = join.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('Wrong password for this room.');
    expect(await join.getByRole('button', { name: 'Join room' }).isEnabled()).toBe(true);
    expect(await page.locator('#host-form').getByRole('alert').count()).toBe(0);
  });

  it('never shows a stack trace: an internal message becomes the sentence for its code', async () => {
    const page = await mountStartScreen('desktop', {
      join: {
        error: {
          code: 'name_taken',
          message:
            "Error invoking remote method 'parley:join': TypeError: x is undefined\n    at y (z.js:1:2)",
        },
      },
    });
    const join = page.locator('#join-form');
    await join.getByLabel('Address').fill('host.local');
    await join.getByLabel('Your name').fill('Bob');
    await join.getByRole('button', { name: 'Join room' }).click();
    await expect.poll(() => join.getByRole('alert').textContent()).toBe(ERROR_SENTENCES.name_taken);
  });

  it('in the browser asks a guest only for a name and password, for the page’s own host', async () => {
    const page = await mountStartScreen('browser', {
      join: { value: { ...SUMMARY, hosting: false, addresses: [] } },
      preferences: { name: 'Guest Gil', roomName: 'ignored', address: 'ignored:1', port: 7420 },
    });
    expect(await page.locator('#host-form').count()).toBe(0);
    const join = page.locator('#join-form');
    expect(await join.getByLabel('Address').count()).toBe(0);
    expect(await join.textContent()).toContain('127.0.0.1:9999');
    // The host's public info names the room and says a password is needed.
    await expect.poll(() => join.getByRole('heading').innerText()).toBe('Join Fixture room');
    expect(await join.textContent()).toContain('2 people here now');
    expect(await join.getByLabel('Password').count()).toBe(1);
    await expect.poll(() => join.getByLabel('Your name').inputValue()).toBe('Guest Gil');

    await join.getByLabel('Your name').fill('Gil');
    await join.getByRole('button', { name: 'Join room' }).click();
    await expect
      .poll(() => calls(page, 'join'))
      .toEqual([{ address: '127.0.0.1:9999', name: 'Gil' }]);
    // The guest's remembered address stays what it was: the page decides where a guest goes.
    expect(await calls(page, 'savePreferences')).toEqual([
      { name: 'Gil', roomName: 'ignored', address: 'ignored:1', port: 7420 },
    ]);
  });

  it('shows why the last room ended', async () => {
    const page = await pages.newPage();
    await page.evaluate(() => {
      const fixture = parleyFixture;
      fixture.createBridge('desktop');
      fixture.mount('start-screen', { notice: 'The host stopped the room.' }, 'bridge');
    });
    expect(await page.getByRole('status').textContent()).toBe('The host stopped the room.');
  });
});

describe('start-screen on the desktop', () => {
  it('lists rooms found on the network while it shows, and a pick fills the address', async () => {
    const page = await mountStartScreen('desktop', {
      preferences: { name: 'Ada', roomName: '', address: '', port: 7420 },
    });
    const finder = page.locator('room-finder');
    await expect.poll(() => calls(page, 'startDiscovery')).toHaveLength(1);
    expect(await finder.getByText('Looking for rooms…').isVisible()).toBe(true);

    await page.evaluate(() =>
      parleyFixture.bridge!.emit({
        type: 'rooms',
        rooms: [
          {
            roomId: 'r1',
            name: 'Design team',
            peers: 3,
            password: true,
            address: '192.168.1.20:7420',
          },
          { roomId: 'r2', name: 'Lunch', peers: 1, password: false, address: '192.168.1.30:7421' },
        ],
      }),
    );
    const pick = page.getByRole('button', { name: 'Join Design team at 192.168.1.20:7420' });
    expect(await pick.textContent()).toContain('3 people · password');
    await pick.click();
    const join = page.locator('#join-form');
    expect(await join.getByLabel('Address').inputValue()).toBe('192.168.1.20:7420');
    // The name is known, so the password the room asks for is next.
    await expect.poll(() => isFocused(join.getByLabel('Password'))).toBe(true);

    await page.evaluate(() => parleyFixture.bridge!.emit({ type: 'rooms', rooms: [] }));
    await expect
      .poll(() => finder.locator('.status').textContent())
      .toContain('No rooms found: multicast may be blocked on this network.');

    // Leaving the start screen stops the search.
    await page.evaluate(() => parleyFixture.mount('div'));
    await expect.poll(() => calls(page, 'stopDiscovery')).toHaveLength(1);
  });

  it('fills the join form with an invite link the app was opened with', async () => {
    const invite = 'parley://10.0.0.7:7420/?room=lab';
    const page = await mountStartScreen('desktop', {
      preferences: { name: 'Ada', roomName: '', address: '10.0.0.5:7420', port: 7420 },
    });
    const join = page.locator('#join-form');
    await expect.poll(() => join.getByLabel('Address').inputValue()).toBe('10.0.0.5:7420');

    await page.evaluate((invite) => parleyFixture.bridge!.emit({ type: 'invite', invite }), invite);
    await expect.poll(() => join.getByLabel('Address').inputValue()).toBe(invite);
    expect(await join.getByLabel('Your name').inputValue()).toBe('Ada');
    // Joining stays the person's decision: nothing happens until they press Join.
    expect(await calls(page, 'join')).toEqual([]);
    await join.getByRole('button', { name: 'Join room' }).click();
    await expect
      .poll(() => calls(page, 'join'))
      .toEqual([expect.objectContaining({ address: invite, name: 'Ada' })]);
  });

  it('keeps an invite that came before the remembered address, and still fills the name', async () => {
    const invite = 'parley://10.0.0.7:7420/?room=lab';
    const page = await pages.newPage();
    await page.evaluate((invite) => {
      const fixture = parleyFixture;
      fixture.createBridge('desktop', {
        preferences: { name: 'Ada', roomName: '', address: '10.0.0.5:7420', port: 7420 },
      });
      fixture.mount('start-screen', {}, 'bridge');
      // The app was started by the link: the invite is there before the preferences load.
      fixture.bridge!.emit({ type: 'invite', invite });
    }, invite);
    const join = page.locator('#join-form');
    await expect.poll(() => join.getByLabel('Your name').inputValue()).toBe('Ada');
    expect(await join.getByLabel('Address').inputValue()).toBe(invite);
  });

  it('saves the notification and tray settings without touching the rest', async () => {
    const page = await mountStartScreen('desktop', {
      preferences: {
        name: 'Ada',
        roomName: 'Lab',
        address: 'h:1',
        port: 7420,
        notifications: true,
        keepHostingInTray: true,
      },
    });
    await page.getByText('Settings').click();
    const notify = page.getByLabel('Notify me of new messages');
    expect(await notify.isChecked()).toBe(true);
    await notify.uncheck();
    await expect
      .poll(() => calls(page, 'savePreferences'))
      .toEqual([
        {
          name: 'Ada',
          roomName: 'Lab',
          address: 'h:1',
          port: 7420,
          notifications: false,
          keepHostingInTray: true,
        },
      ]);
  });

  it('shows neither rooms nor settings to a browser guest', async () => {
    const page = await mountStartScreen('browser');
    await page.locator('#join-form').waitFor();
    expect(await page.locator('room-finder').count()).toBe(0);
    expect(await page.locator('desktop-settings').count()).toBe(0);
    expect(await calls(page, 'startDiscovery')).toEqual([]);
  });
});
