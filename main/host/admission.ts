/**
 * When several hosts serve one room (scale-out/), a session begins only once the shared room has
 * admitted it: its name claimed room-wide (names are unique across hosts), the person present on
 * this host, its session saved where every host finds it. One host admits at once, without it.
 */
import type { PeerV2 } from '../../protocol/wire/entries';
import { CloseCode } from '../../protocol/wire/codes';
import type { RoomMember } from './people';

export type AdmitVerdict = 'admitted' | 'name_taken' | 'unavailable';

export interface Admission {
  /** Makes the session of a resume token known here when only the shared room knows it yet. */
  knowSession(token: string | undefined): Promise<void>;
  /** Claims the peer's name, makes it present on this host and saves its session (if any). */
  admit(peer: PeerV2, tokenHash: string | undefined): Promise<AdmitVerdict>;
  /** An admitted peer whose connection closed before its session began here. */
  abandon(peerId: string): void;
}

/**
 * Runs `begin` (which starts the session and returns true) once `admission` admitted the peer,
 * or at once without one. A refusal is answered here: `name_taken` (4009), or `unavailable`
 * closing with 1013 so that clients come back later.
 */
export function admitThen(
  admission: Admission | undefined,
  member: RoomMember,
  peer: PeerV2,
  tokenHash: string | undefined,
  ref: string | undefined,
  begin: () => boolean,
): boolean | Promise<boolean> {
  if (!admission) return begin();
  return admission.admit(peer, tokenHash).then((verdict) => {
    if (!member.channel.isOpen) {
      if (verdict === 'admitted') admission.abandon(peer.id);
      return false;
    }
    if (verdict === 'name_taken') {
      member.channel.fail('name_taken', undefined, ref);
      return false;
    }
    if (verdict === 'unavailable') {
      const message = 'the room cannot be joined now: its shared store is unreachable';
      member.channel.failWith('unavailable', CloseCode.tryAgainLater, message);
      return false;
    }
    return begin();
  });
}
