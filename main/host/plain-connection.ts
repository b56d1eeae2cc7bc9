/**
 * One plain-mode client (no subprotocol): joins at once from the query string, every non-empty
 * text frame is a chat message, and everything it receives is a line of text.
 */
import type { RawData, WebSocket } from 'ws';
import { CloseCode } from '../../protocol/wire/codes';
import { checkName, describeNameProblem } from '../../protocol/wire/text';
import { Channel, formatPlainError } from './channel';
import type { PeerV2 } from '../../protocol/wire/entries';
import type { Admission } from './admission';
import type { HostContext } from './context';
import { rawDataToString } from './inbound';
import { InboundQueue, type InboundHandler } from './inbound-queue';
import type { PasswordVerdict } from './password-gate';
import { tooLongMessage, type RoomMember, type Session } from './room';
import type { Transport } from './security/transport-policy';
import { createMessageId, createPeerId } from './tokens';

/** Guest names a shared room may find taken on another host before one is free. */
const GUEST_NAME_TRIES = 10;

export class PlainConnection implements RoomMember, InboundHandler {
  readonly mode = 'plain';
  readonly channel: Channel;
  session: Session | undefined;

  private readonly inbound: InboundQueue;

  constructor(
    private readonly context: HostContext,
    socket: WebSocket,
    query: URLSearchParams,
    transport: Transport,
  ) {
    this.channel = new Channel(socket, {
      maxBacklogBytes: context.limits.maxBacklogBytes,
      formatError: formatPlainError,
      onClosing: () => this.ended(),
    });
    this.inbound = new InboundQueue(socket, this);
    const verdict = context.passwords.check(query.get('password') ?? undefined, transport, socket);
    if (!(verdict instanceof Promise)) {
      const joining = this.join(query, verdict);
      if (joining) this.holdUntil(joining, 'the host failed to admit the guest');
      return;
    }
    this.holdUntil(
      verdict.then((settled) => this.join(query, settled)),
      'the host failed to check the password',
    );
  }

  /** Lines typed while the guest is not in the room yet are handled once it is. */
  private holdUntil(work: Promise<unknown>, failure: string): void {
    this.inbound.hold();
    work
      .catch((error: unknown) => {
        this.context.reportBug(error);
        this.channel.close(CloseCode.internalError, failure);
      })
      .finally(() => this.inbound.release());
  }

  /** A promise while a room several hosts share admits the guest (admission.ts). */
  private join(query: URLSearchParams, verdict: PasswordVerdict): Promise<unknown> | undefined {
    const { room, limits } = this.context;
    if (!this.channel.isOpen || verdict.kind === 'gone') return undefined;
    if (verdict.kind === 'refused') {
      this.channel.fail('auth_failed', verdict.message);
      return undefined;
    }
    const requested = query.get('name');
    const guest = requested === null || requested === '';
    let name: string;
    if (guest) {
      name = room.people.guestName();
    } else {
      const checked = checkName(requested, limits.maxNameLength);
      if (!checked.ok) {
        const reason = describeNameProblem(checked.problem, limits.maxNameLength);
        this.channel.failWith('bad_name', CloseCode.policyViolation, reason);
        return undefined;
      }
      name = checked.name;
    }
    if (room.people.nameHolder(name) !== undefined) {
      this.channel.fail('name_taken');
      return undefined;
    }
    const admission = room.scaleOut?.admission;
    if (!admission) {
      this.enter(name);
      return undefined;
    }
    return this.admit(admission, name, guest ? GUEST_NAME_TRIES : 1);
  }

  /** In a shared room a guest name another host gave out is skipped, a few times at most. */
  private async admit(admission: Admission, name: string, tries: number): Promise<void> {
    const peer = { id: createPeerId(), name, ephemeral: true } as const;
    const verdict = await admission.admit(peer, undefined);
    if (verdict === 'name_taken' && tries > 1 && this.channel.isOpen) {
      const next = this.context.room.people.guestName();
      return this.admit(admission, next, tries - 1);
    }
    if (!this.channel.isOpen) {
      if (verdict === 'admitted') admission.abandon(peer.id);
    } else if (verdict === 'admitted') {
      this.enter(name, peer);
    } else if (verdict === 'name_taken') {
      this.channel.fail('name_taken');
    } else {
      const message = 'the room cannot be joined now: its shared store is unreachable';
      this.channel.failWith('unavailable', CloseCode.tryAgainLater, message);
    }
  }

  private enter(name: string, peer: PeerV2 = { id: createPeerId(), name, ephemeral: true }): void {
    // A plain session has no resume token: its key only has to be unlike any token's hash.
    const sessionKey = `plain:${peer.id}`;
    // The client's own joined line is how a plain user learns the name (guest-N) it got.
    this.context.room.enter(this, peer, sessionKey, () => this.channel.send(`* ${name} joined`));
  }

  /** Runs from ws's 'close' event or a timer: nothing may throw out of it. */
  private ended(): void {
    try {
      this.context.room.leave(this);
    } catch (error) {
      this.context.reportBug(error);
    }
  }

  inboundFlooded(): void {
    this.channel.close(CloseCode.policyViolation, 'too many lines before joining');
  }

  /** From the inbound queue, in arrival order: every text frame is a chat message. */
  handleFrame(data: RawData, isBinary: boolean): void {
    if (!this.channel.isOpen || !this.session) return;
    try {
      if (isBinary) {
        this.channel.sendError('bad_message', 'send text frames: each one is a chat message');
        return;
      }
      const text = withoutLineEnding(rawDataToString(data));
      if (text.trim() === '') return;
      const result = this.context.room.say(this, createMessageId(), text);
      if (result === 'too_long') {
        this.channel.sendError(result, tooLongMessage(this.context.limits.maxTextLength));
      } else if (result === 'rate_limited' || result === 'unavailable') {
        this.channel.sendError(result);
      }
    } catch (error) {
      this.context.reportBug(error);
      this.channel.sendError('bad_message', 'the host failed to handle this message');
    }
  }
}

/** Line-oriented tools may send the line's ending along; it is not part of the message. */
function withoutLineEnding(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}
