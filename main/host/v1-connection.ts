/** One parley.v1 client: hello phase, then say / typing / history / ping until it closes. */
import type { RawData, WebSocket } from 'ws';
import { CloseCode } from '../../protocol/wire/codes';
import type { ClientFrame, HelloFrame, SayFrame } from '../../protocol/wire/frames';
import { Channel, formatV1Error } from './channel';
import type { HostContext } from './context';
import { encodeFrame } from './fan-out';
import { answerHello } from './hello';
import { readClientFrame } from './inbound';
import { InboundQueue, type InboundHandler } from './inbound-queue';
import type { PasswordVerdict } from './password-gate';
import { tooLongMessage, type RoomMember, type Session } from './room';
import type { Transport } from './security/transport-policy';

const PONG = encodeFrame({ type: 'pong' });

export class V1Connection implements RoomMember, InboundHandler {
  readonly mode = 'v1';
  readonly channel: Channel;
  session: Session | undefined;
  private helloTimer: NodeJS.Timeout | undefined;
  private readonly inbound: InboundQueue;
  /** The hello deadline passed while a hello was being checked: enforce it once that ends. */
  private helloOverdue = false;

  /** Needed for the password check only: dropped once the client is in the room. */
  private transport: Transport | undefined;

  constructor(
    private readonly context: HostContext,
    socket: WebSocket,
    transport: Transport,
  ) {
    this.transport = transport;
    this.channel = new Channel(socket, {
      maxBacklogBytes: context.limits.maxBacklogBytes,
      formatError: formatV1Error,
      onClosing: () => this.ended(),
    });
    this.inbound = new InboundQueue(socket, this);
    const { helloTimeoutMs } = context.limits;
    if (helloTimeoutMs > 0) {
      this.helloTimer = setTimeout(() => this.helloDeadline(), helloTimeoutMs);
    }
  }

  /** From the inbound queue, in arrival order. */
  handleFrame(data: RawData, isBinary: boolean): void {
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
      } else {
        this.hello(frame, ref);
      }
      return;
    }
    switch (frame.type) {
      case 'hello':
        this.channel.sendError('bad_message', 'already joined: hello is only the first frame', ref);
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

  inboundFlooded(): void {
    this.channel.close(CloseCode.policyViolation, 'too many frames before the welcome');
  }

  /** The password first; a delayed check holds every later frame until the hello is answered. */
  private hello(frame: HelloFrame, ref: string | undefined): void {
    const transport = this.transport;
    if (!transport) return;
    const verdict = this.context.passwords.check(frame.password, transport, this.channel.socket);
    if (!(verdict instanceof Promise)) {
      this.answer(frame, verdict, ref);
      return;
    }
    this.inbound.hold();
    verdict
      .then((settled) => this.answer(frame, settled, ref))
      .catch((error: unknown) => {
        this.context.reportBug(error);
        this.channel.close(CloseCode.internalError, 'the host failed to check the password');
      })
      .finally(() => this.inbound.release());
  }

  private answer(frame: HelloFrame, verdict: PasswordVerdict, ref: string | undefined): void {
    if (!this.channel.isOpen || verdict.kind === 'gone') return;
    if (verdict.kind === 'refused') {
      this.channel.fail('auth_failed', verdict.message, ref);
    } else if (answerHello(this, frame, this.context, ref)) {
      this.stopHelloTimer();
    } else if (this.helloOverdue) {
      this.channel.fail('hello_timeout');
    }
  }

  /** Drops the timer too: a cleared Timeout still holds its callback, and so this connection. */
  private stopHelloTimer(): void {
    clearTimeout(this.helloTimer);
    this.helloTimer = undefined;
    this.transport = undefined;
  }

  private helloDeadline(): void {
    // A hello that arrived in time is not cut off by the throttle's delay.
    if (this.inbound.isHeld) this.helloOverdue = true;
    else this.channel.fail('hello_timeout');
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
    this.stopHelloTimer();
    try {
      this.context.room.leave(this);
    } catch (error) {
      this.context.reportBug(error);
    }
  }
}
