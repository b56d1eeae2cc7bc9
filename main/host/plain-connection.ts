/**
 * One plain-mode client (no subprotocol): joins at once from the query string, every non-empty
 * text frame is a chat message, and everything it receives is a line of text.
 */
import type { RawData, WebSocket } from 'ws';
import { CloseCode } from '../../protocol/codes';
import { checkName, describeNameProblem } from '../../protocol/text';
import { Channel, formatPlainError } from './channel';
import type { HostContext } from './context';
import { rawDataToString } from './inbound';
import { tooLongMessage, type RoomMember, type Session } from './room';
import { createMessageId, createPeerId, passwordMatches } from './tokens';

export class PlainConnection implements RoomMember {
  readonly mode = 'plain';
  readonly channel: Channel;
  session: Session | undefined;

  constructor(
    private readonly context: HostContext,
    socket: WebSocket,
    query: URLSearchParams,
  ) {
    this.channel = new Channel(socket, {
      maxBacklogBytes: context.limits.maxBacklogBytes,
      formatError: formatPlainError,
      onClosing: () => this.ended(),
    });
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    this.join(query);
  }

  private join(query: URLSearchParams): void {
    const { room, limits } = this.context;
    if (!passwordMatches(query.get('password') ?? undefined, this.context.password)) {
      this.channel.fail('auth_failed');
      return;
    }
    const requested = query.get('name');
    let name: string;
    if (requested === null || requested === '') {
      name = room.guestName();
    } else {
      const checked = checkName(requested, limits.maxNameLength);
      if (!checked.ok) {
        const reason = describeNameProblem(checked.problem, limits.maxNameLength);
        this.channel.failWith('bad_name', CloseCode.policyViolation, reason);
        return;
      }
      name = checked.name;
    }
    if (room.nameHolder(name) !== undefined) {
      this.channel.fail('name_taken');
      return;
    }
    const peer = Object.freeze({ id: createPeerId(), name });
    // The client's own joined line is how a plain user learns the name (guest-N) it got.
    room.admit(this, peer, () => this.channel.send(`* ${name} joined`));
  }

  /** Runs from ws's 'close' event or a timer: nothing may throw out of it. */
  private ended(): void {
    try {
      this.context.room.leave(this);
    } catch (error) {
      this.context.reportBug(error);
    }
  }

  private receive(data: RawData, isBinary: boolean): void {
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
      } else if (result === 'rate_limited') {
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
