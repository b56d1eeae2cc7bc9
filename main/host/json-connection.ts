/**
 * What parley.v1 and parley.v2 connections share: JSON frames checked against the protocol's
 * schema, the hello phase (the password gate, the hello deadline, frames held while a delayed
 * password check runs), and leaving the room when the socket goes. Each protocol answers its
 * hello and its other frames itself.
 */
import type { RawData, WebSocket } from 'ws';
import type * as v from 'valibot';
import { CloseCode } from '../../protocol/wire/codes';
import { Channel, formatV1Error } from './channel';
import type { HostContext } from './context';
import { readClientFrame } from './inbound';
import { InboundQueue, type InboundHandler } from './inbound-queue';
import type { PasswordVerdict } from './password-gate';
import type { RoomMember, Session } from './room';
import type { Transport } from './security/transport-policy';

type FrameSchema = v.GenericSchema<unknown, { type: string; password?: string | undefined }>;

export abstract class JsonConnection<S extends FrameSchema> implements RoomMember, InboundHandler {
  abstract readonly mode: 'v1' | 'v2';
  readonly channel: Channel;
  session: Session | undefined;
  private helloTimer: NodeJS.Timeout | undefined;
  private readonly inbound: InboundQueue;
  /** The hello deadline passed while a hello was being checked: enforce it once that ends. */
  private helloOverdue = false;
  /** Needed for the password check only: dropped once the client is in the room. */
  private transport: Transport | undefined;

  constructor(
    protected readonly context: HostContext,
    socket: WebSocket,
    transport: Transport,
    private readonly schema: S,
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

  /**
   * Answers a hello whose password was accepted. True once the client is in the room; false
   * after `bad_name` (it may send another hello) or a closing error. A promise when the answer
   * waits for a room several hosts share (admission.ts): later frames wait meanwhile.
   */
  protected abstract answerHello(
    frame: v.InferOutput<S>,
    ref: string | undefined,
  ): boolean | Promise<boolean>;

  /** Any frame after the welcome. */
  protected abstract handle(
    frame: v.InferOutput<S>,
    session: Session,
    ref: string | undefined,
  ): void;

  /** From the inbound queue, in arrival order. */
  handleFrame(data: RawData, isBinary: boolean): void {
    if (!this.channel.isOpen) return;
    let ref: string | undefined;
    try {
      const inbound = readClientFrame(data, isBinary, this.schema);
      ref = inbound.ref;
      if (inbound.ok) this.dispatch(inbound.frame, inbound.ref);
      else this.channel.sendError(inbound.code, inbound.message, inbound.ref);
    } catch (error) {
      this.context.reportBug(error);
      this.channel.sendError('bad_message', 'the host failed to handle this frame', ref);
    }
  }

  inboundFlooded(): void {
    this.channel.close(CloseCode.policyViolation, 'too many frames before the welcome');
  }

  private dispatch(frame: v.InferOutput<S>, ref: string | undefined): void {
    const session = this.session;
    if (session) {
      this.handle(frame, session, ref);
    } else if (frame.type !== 'hello') {
      this.channel.fail('hello_timeout', 'the first frame must be a hello', ref);
    } else {
      this.hello(frame, ref);
    }
  }

  /** The password first; a delayed check holds every later frame until the hello is answered. */
  private hello(frame: v.InferOutput<S>, ref: string | undefined): void {
    const transport = this.transport;
    if (!transport) return;
    const verdict = this.context.passwords.check(frame.password, transport, this.channel.socket);
    if (!(verdict instanceof Promise)) {
      const answered = this.answer(frame, verdict, ref);
      if (answered) this.holdUntil(answered, 'the host failed to answer the hello');
      return;
    }
    this.holdUntil(
      verdict.then((settled) => this.answer(frame, settled, ref)),
      'the host failed to check the password',
    );
  }

  /** Later frames wait until `work` is done (a delayed password check, a shared room's answer). */
  private holdUntil(work: Promise<unknown>, failure: string): void {
    this.inbound.hold();
    work
      .catch((error: unknown) => {
        this.context.reportBug(error);
        this.channel.close(CloseCode.internalError, failure);
      })
      .finally(() => this.inbound.release());
  }

  private answer(
    frame: v.InferOutput<S>,
    verdict: PasswordVerdict,
    ref: string | undefined,
  ): Promise<void> | undefined {
    if (!this.channel.isOpen || verdict.kind === 'gone') return undefined;
    if (verdict.kind === 'refused') {
      this.channel.fail('auth_failed', verdict.message, ref);
      return undefined;
    }
    const answered = this.answerHello(frame, ref);
    if (answered instanceof Promise) return answered.then((inRoom) => this.answered(inRoom));
    this.answered(answered);
    return undefined;
  }

  private answered(inRoom: boolean): void {
    if (inRoom) this.stopHelloTimer();
    else if (this.helloOverdue) this.channel.fail('hello_timeout');
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
