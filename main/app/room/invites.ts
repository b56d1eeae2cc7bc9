/**
 * The invites a hosting app shows for each of its join addresses: the `parley://` invite for
 * another Parley app, the guest page URL for a browser, and a QR code of each, drawn here so the
 * renderer needs no QR library. Drawing a QR code takes a few milliseconds, so each address is
 * drawn once per room and kept.
 */
import type { RoomAddress, RoomInvite } from '../../../protocol/bridge';
import { buildInvite, guestUrl, parseInvite, type Invite } from '../../../protocol/client/invite';
import { inviteQrPngDataUrl, inviteQrSvg } from '../comforts/qr';

export type InviteLog = (message: string, detail?: unknown) => void;

/** Who the invites are for: the room, and the certificate fingerprint of a TLS host. */
export interface InvitedRoom {
  roomId: string;
  fingerprint?: string | undefined;
}

function inviteText({ host, port }: Invite, room: InvitedRoom): string {
  const fingerprint = room.fingerprint === undefined ? {} : { fingerprint: room.fingerprint };
  try {
    return buildInvite({ host, port, roomId: room.roomId, ...fingerprint });
  } catch {
    // A room id outside the invite alphabet (a hand-made store): the address alone still works.
    return buildInvite({ host, port, ...fingerprint });
  }
}

/** The invite for one address, or undefined when the address cannot be one (logged). */
export async function roomInvite(
  room: InvitedRoom,
  address: RoomAddress,
  log: InviteLog = console.warn,
): Promise<RoomInvite | undefined> {
  const parsed = parseInvite(address.address);
  if (!parsed.ok) {
    log(`parley: no invite for ${address.address}`, parsed.error);
    return undefined;
  }
  try {
    const invite = inviteText(parsed.invite, room);
    // A TLS host's guest page is https: the browser shows its certificate warning once.
    const guest = guestUrl({ ...parsed.invite, secure: room.fingerprint !== undefined });
    const [inviteSvg, invitePng, guestSvg, guestPng] = await Promise.all([
      inviteQrSvg(invite),
      inviteQrPngDataUrl(invite),
      inviteQrSvg(guest),
      inviteQrPngDataUrl(guest),
    ]);
    return {
      address: address.address,
      interfaceName: address.interfaceName,
      invite,
      guestUrl: guest,
      inviteQr: { svg: inviteSvg, png: invitePng },
      guestQr: { svg: guestSvg, png: guestPng },
    };
  } catch (error) {
    log(`parley: no invite for ${address.address}`, error);
    return undefined;
  }
}

/** Invites of one room, drawn once per address however often the summary is rebuilt. */
export class RoomInvites {
  readonly #room: InvitedRoom;
  readonly #log: InviteLog;
  readonly #drawn = new Map<string, Promise<RoomInvite | undefined>>();

  constructor(room: InvitedRoom, log: InviteLog = console.warn) {
    this.#room = room;
    this.#log = log;
  }

  /** One invite per address, in the same order; addresses that cannot be one are left out. */
  async for(addresses: readonly RoomAddress[]): Promise<RoomInvite[]> {
    const invites = await Promise.all(
      addresses.map((address) => {
        const key = `${address.interfaceName}\n${address.address}`;
        let drawn = this.#drawn.get(key);
        if (!drawn) {
          drawn = roomInvite(this.#room, address, this.#log);
          this.#drawn.set(key, drawn);
        }
        return drawn;
      }),
    );
    return invites.filter((invite): invite is RoomInvite => invite !== undefined);
  }
}
