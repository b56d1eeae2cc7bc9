/**
 * The parley.v1 `hello`, once its password has passed the password gate (password-gate.ts):
 * either a resume by token (same peer back, possibly taking over a live socket) or a fresh
 * session, then the welcome.
 */
import type { PeerV2 } from '../../protocol/wire/entries';
import { describeNameProblem, checkName } from '../../protocol/wire/text';
import { PROTOCOL_VERSION } from '../../protocol/wire/limits';
import type { HelloFrame, WelcomeFrame } from '../../protocol/wire/frames';
import { IDENTITY_PEER_PREFIX } from '../../protocol/wire/identity';
import { admitThen, type Admission } from './admission';
import type { HostContext } from './context';
import { deflateSegment, storedSegment } from './deflate-segments';
import { OutboundFrame } from './frame-encoding';
import type { RoomMember, Session } from './room';
import { createPeerId, createToken, hashToken } from './tokens';
import type { DeflateTerms } from './wire';

const WELCOME_TAIL = Buffer.from(']}');
const WELCOME_TAIL_SEGMENT = storedSegment(WELCOME_TAIL);

export type HelloDecision =
  | { kind: 'bad_name'; message: string }
  | { kind: 'name_taken' }
  | { kind: 'fresh'; name: string }
  | { kind: 'resume'; peer: PeerV2; token: string; lastSeq: number; live: Session | undefined };

/**
 * Decides what a hello with an accepted password gets, without changing anything. Every hello
 * passes the password gate first, a resume too: a token alone must not outlive a room password.
 */
export function decideHello(frame: HelloFrame, context: HostContext): HelloDecision {
  const { room, store, limits } = context;
  const tokenHash = frame.resume && hashToken(frame.resume.token);
  const resumed = tokenHash && store.findSession(tokenHash);
  // The token of an identity's session needs that identity, which parley.v1 never sends.
  if (frame.resume && tokenHash && resumed && !resumed.id.startsWith(IDENTITY_PEER_PREFIX)) {
    const holder = room.people.nameHolder(resumed.name);
    if (holder !== undefined && holder !== resumed.id) return { kind: 'name_taken' };
    return {
      kind: 'resume',
      peer: { id: resumed.id, name: resumed.name, ephemeral: true },
      token: frame.resume.token,
      lastSeq: frame.resume.lastSeq,
      live: room.people.sessionOf(tokenHash),
    };
  }

  const checked = checkName(frame.name, limits.maxNameLength);
  if (!checked.ok) {
    return {
      kind: 'bad_name',
      message: describeNameProblem(checked.problem, limits.maxNameLength),
    };
  }
  if (room.people.nameHolder(checked.name) !== undefined) return { kind: 'name_taken' };
  return { kind: 'fresh', name: checked.name };
}

/**
 * Answers a hello on `member`'s connection. Returns true once the member is in the room;
 * false after `bad_name` (the client may send another hello) or a closing error. In a room
 * several hosts share, the answer waits for the shared room to admit the session (admission.ts).
 */
export function answerHello(
  member: RoomMember,
  frame: HelloFrame,
  context: HostContext,
  /** The frame's `id`, if it carried a string one: every error about the frame names it. */
  ref?: string,
): boolean | Promise<boolean> {
  const admission = context.room.scaleOut?.admission;
  if (!admission) return answerDecided(member, frame, context, ref, undefined);
  return admission
    .knowSession(frame.resume?.token)
    .then(() => member.channel.isOpen && answerDecided(member, frame, context, ref, admission));
}

function answerDecided(
  member: RoomMember,
  frame: HelloFrame,
  context: HostContext,
  ref: string | undefined,
  admission: Admission | undefined,
): boolean | Promise<boolean> {
  const decision = decideHello(frame, context);
  const { room, store } = context;
  switch (decision.kind) {
    case 'bad_name':
      member.channel.sendError('bad_name', `${decision.message}.`, ref);
      return false;
    case 'name_taken':
      member.channel.fail(decision.kind, undefined, ref);
      return false;
    case 'fresh': {
      const peer: PeerV2 = { id: createPeerId(), name: decision.name, ephemeral: true };
      const token = createToken();
      const tokenHash = hashToken(token);
      return admitThen(admission, member, peer, tokenHash, ref, () => {
        store.saveSession(tokenHash, peer);
        room.enter(member, peer, tokenHash, (session) =>
          sendWelcome(member, context, session, token),
        );
        return true;
      });
    }
    case 'resume': {
      const { token, lastSeq } = decision;
      const tokenHash = hashToken(token);
      return admitThen(admission, member, decision.peer, tokenHash, ref, () => {
        const greet = (session: Session) => sendWelcome(member, context, session, token, lastSeq);
        // Looked up again: the session may have ended, or begun, while the shared room answered.
        const live = room.people.sessionOf(tokenHash);
        if (live) room.takeOver(live, member, greet);
        else room.enter(member, decision.peer, tokenHash, greet);
        return true;
      });
    }
  }
}

function sendWelcome(
  member: RoomMember,
  { room }: HostContext,
  session: Session,
  token: string,
  resumeAfter?: number,
): void {
  const { history, lastSeq, gap } = room.welcomeHistory(resumeAfter);
  const welcome: Omit<WelcomeFrame, 'peers'> = {
    type: 'welcome',
    protocol: PROTOCOL_VERSION,
    room: room.info,
    self: session.person.v1Peer,
    token,
    history,
    lastSeq,
    gap,
  };
  // The peer list is the room's shared encoding, framed as a part of its own: a join encodes,
  // copies and compresses only its own fields, however many peers the room has.
  const json = JSON.stringify(welcome);
  const head = Buffer.from(`${json.slice(0, -1)},"peers":[`, 'utf8');
  const peers = room.people.v1PeerItems();
  const spliced = (deflate: DeflateTerms) => {
    const list = peers.deflated(deflate);
    return list && [headSegment(head, deflate), ...list, WELCOME_TAIL_SEGMENT];
  };
  member.channel.send(new OutboundFrame([head, peers.bytes, WELCOME_TAIL], spliced));
}

/** A head this short is sent stored: a zlib stream of its own would cost more than it saves. */
const STORED_HEAD_MAX = 512;

function headSegment(head: Buffer, deflate: DeflateTerms): Buffer {
  return head.length <= STORED_HEAD_MAX ? storedSegment(head) : deflateSegment(head, deflate);
}
