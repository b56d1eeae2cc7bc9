/** One parley.v1 client: hello phase, then say / typing / history / ping until it closes. */
import type { RawData, WebSocket } from 'ws';
import type { ClientFrame, SayFrame } from '../../protocol/frames';
import { Channel, formatV1Error } from './channel';
import type { HostContext } from './context';
import { encodeFrame } from './fan-out';
import { answerHello } from './hello';
import { readClientFrame } from './inbound';
import { tooLongMessage, type RoomMember, type Session } from './room';

const PONG = encodeFrame({ type: 'pong' });

export class V1Connection implements RoomMember {
  readonly mode = 'v1';
  readonly channel: Channel;
  session: Session | undefined;
  private readonly helloTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: HostContext,
    socket: WebSocket,
  ) {
    this.channel = new Channel(socket, {
      maxBacklogBytes: context.limits.maxBacklogBytes,
      formatError: formatV1Error,
      onClosing: () => this.ended(),
    });
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    const { helloTimeoutMs } = context.limits;
    if (helloTimeoutMs > 0) {
      this.helloTimer = setTimeout(() => this.channel.fail('hello_timeout'), helloTimeoutMs);
    }
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (!this.channel.isOpen) return;
    let ref: string | undefined;
    try {
      const inbound = readClientFrame(data, isBinary, this.context.frameSchema);
      ref = inbound.ref;
      if (inbound.ok) this.dispatch(inbound.frame, inbound.ref);
      else this.channel.sendError(inbound.code, inbound.message, inbound.ref);
    } catch (error) {
      this.context.reportBug(error);
      this.channel.sendError('bad_message', 'the host failed to handle this frame', ref);
    }
  }

  private dispatch(frame: ClientFrame, ref: string | undefined): void {
    const session = this.session;
    if (!session) {
      if (frame.type !== 'hello') {
        this.channel.fail('hello_timeout', 'the first frame must be a hello', ref);
      } else if (answerHello(this, frame, this.context)) {
        clearTimeout(this.helloTimer);
      }
      return;
    }
    switch (frame.type) {
      case 'hello':
        this.channel.sendError('bad_message', 'already joined: hello is only the first frame');
        return;
      case 'say':
        this.say(frame);
        return;
      case 'typing':
        this.context.room.relayTyping(session);
        return;
      case 'history':
        this.channel.sendJson({
          type: 'history',
          ...this.context.room.historyPage(frame.before, frame.limit),
        });
        return;
      case 'ping':
        this.channel.send(PONG);
        return;
    }
  }

  private say(frame: SayFrame): void {
    const result = this.context.room.say(this, frame.id, frame.text);
    if (result === 'too_long') {
      this.channel.sendError(result, tooLongMessage(this.context.limits.maxTextLength), frame.id);
    } else if (result === 'rate_limited') {
      this.channel.sendError(result, undefined, frame.id);
    }
  }

  /** Runs from ws's 'close' event or a timer: nothing may throw out of it. */
  private ended(): void {
    clearTimeout(this.helloTimer);
    try {
      this.context.room.leave(this);
    } catch (error) {
      this.context.reportBug(error);
    }
  }
}
