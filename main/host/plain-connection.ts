/**
 * One plain-mode client (no subprotocol): joins at once from the query string, every non-empty
 * text frame is a chat message, and everything it receives is a line of text.
 */
import type { RawData, WebSocket } from 'ws';
import { CloseCode } from '../../protocol/wire/codes';
import { checkName, describeNameProblem } from '../../protocol/wire/text';
import { Channel, formatPlainError } from './channel';
import type { HostContext } from './context';
import { rawDataToString } from './inbound';
import { InboundQueue, type InboundHandler } from './inbound-queue';
import type { PasswordVerdict } from './password-gate';
import { tooLongMessage, type RoomMember, type Session } from './room';
import type { Transport } from './security/transport-policy';
import { createMessageId, createPeerId } from './tokens';

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
      this.join(query, verdict);
      return;
    }
    // Lines typed while the throttle delays the check are sent once the guest has joined.
    this.inbound.hold();
    verdict
      .then((settled) => this.join(query, settled))
      .catch((error: unknown) => {
        context.reportBug(error);
        this.channel.close(CloseCode.internalError, 'the host failed to check the password');
      })
      .finally(() => this.inbound.release());
  }

  private join(query: URLSearchParams, verdict: PasswordVerdict): void {
    const { room, limits } = this.context;
    if (!this.channel.isOpen || verdict.kind === 'gone') return;
    if (verdict.kind === 'refused') {
      this.channel.fail('auth_failed', verdict.message);
      return;
    }
    const requested = query.get('name');
    let name: string;
    if (requested === null || requested === '') {
      name = room.people.guestName();
    } else {
      const checked = checkName(requested, limits.maxNameLength);
      if (!checked.ok) {
        const reason = describeNameProblem(checked.problem, limits.maxNameLength);
        this.channel.failWith('bad_name', CloseCode.policyViolation, reason);
        return;
      }
      name = checked.name;
    }
    if (room.people.nameHolder(name) !== undefined) {
      this.channel.fail('name_taken');
      return;
    }
    const peer = { id: createPeerId(), name, ephemeral: true } as const;
    // A plain session has no resume token: its key only has to be unlike any token's hash.
    const sessionKey = `plain:${peer.id}`;
    // The client's own joined line is how a plain user learns the name (guest-N) it got.
    room.enter(this, peer, sessionKey, () => this.channel.send(`* ${name} joined`));
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
