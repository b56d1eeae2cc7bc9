import { describe, expect, it, vi } from 'vitest';
import { RoomInvites, roomInvite } from '../../../../main/app/room/invites';
import { parseInvite } from '../../../../protocol/client/invite';

const lan = { address: '192.168.1.20:7420', interfaceName: 'wlan0' };
const loopback = { address: '127.0.0.1:7420', interfaceName: 'loopback' };

describe('room invites', () => {
  it('gives the app invite, the guest page and a QR code of each for an address', async () => {
    const invite = await roomInvite({ roomId: 'r_abc-123' }, lan);
    expect(invite).toMatchObject({
      address: '192.168.1.20:7420',
      interfaceName: 'wlan0',
      invite: 'parley://192.168.1.20:7420/?room=r_abc-123',
      guestUrl: 'http://192.168.1.20:7420/',
    });
    // The invite reads back as the same address and room.
    const parsed = parseInvite(invite?.invite ?? '');
    expect(parsed).toEqual({
      ok: true,
      invite: { host: '192.168.1.20', port: 7420, secure: false, roomId: 'r_abc-123' },
    });
    for (const qr of [invite?.inviteQr, invite?.guestQr]) {
      expect(qr?.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect(qr?.png).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    }
    // Two different texts make two different codes.
    expect(invite?.inviteQr.svg).not.toBe(invite?.guestQr.svg);
  });

  it('leaves the room out of an invite when its id cannot travel in one', async () => {
    const invite = await roomInvite({ roomId: 'room id with spaces' }, lan);
    expect(invite?.invite).toBe('parley://192.168.1.20:7420/');
  });

  it('skips (and logs) an address that cannot be an invite instead of failing', async () => {
    const log = vi.fn();
    expect(
      await roomInvite({ roomId: 'r_1' }, { address: 'not an address', interfaceName: 'x' }, log),
    ).toBe(undefined);
    expect(log).toHaveBeenCalled();
    const invites = await new RoomInvites({ roomId: 'r_1' }, log).for([
      lan,
      { address: '', interfaceName: 'x' },
      loopback,
    ]);
    expect(invites.map((invite) => invite.address)).toEqual([lan.address, loopback.address]);
  });

  it('invites to a TLS host by its certificate fingerprint, and to its https guest page', async () => {
    const fingerprint = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0'))
      .join(':')
      .toUpperCase();
    const invite = await roomInvite({ roomId: 'r_1', fingerprint }, lan);
    const parsed = parseInvite(invite?.invite ?? '');
    expect(parsed.ok && parsed.invite).toEqual({
      host: '192.168.1.20',
      port: 7420,
      secure: true,
      fingerprint,
      roomId: 'r_1',
    });
    expect(invite?.guestUrl).toBe('https://192.168.1.20:7420/');
  });

  it('draws each address once per room, however often it is asked', async () => {
    const invites = new RoomInvites({ roomId: 'r_1' });
    const first = await invites.for([lan, loopback]);
    const again = await invites.for([loopback, lan]);
    expect(again[0]).toBe(first[1]);
    expect(again[1]).toBe(first[0]);
  });
});
