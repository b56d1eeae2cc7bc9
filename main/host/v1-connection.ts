/** One parley.v1 client: hello phase, then say / typing / history / ping until it closes. */
import type { WebSocket } from 'ws';
import type { ClientFrame, HelloFrame, SayFrame } from '../../protocol/wire/frames';
import type { HostContext, ClientFrameSchema } from './context';
import { PONG } from './frame-encoding';
import { answerHello } from './hello';
import { JsonConnection } from './json-connection';
import { tooLongMessage, type Session } from './room';
import type { Transport } from './security/transport-policy';

export class V1Connection extends JsonConnection<ClientFrameSchema> {
  readonly mode = 'v1';

  constructor(context: HostContext, socket: WebSocket, transport: Transport) {
    super(context, socket, transport, context.frameSchema);
  }

  protected answerHello(frame: ClientFrame, ref: string | undefined): boolean | Promise<boolean> {
    return answerHello(this, frame as HelloFrame, this.context, ref);
  }

  protected handle(frame: ClientFrame, session: Session, ref: string | undefined): void {
    const { room } = this.context;
    switch (frame.type) {
      case 'hello':
        this.channel.sendError('bad_message', 'already joined: hello is only the first frame', ref);
        return;
      case 'say':
        this.say(frame);
        return;
      case 'typing':
        room.relayTyping(session, room.conversations.general);
        return;
      case 'history':
        this.channel.sendJson({ type: 'history', ...room.historyPage(frame.before, frame.limit) });
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
    } else if (result === 'rate_limited' || result === 'unavailable') {
      this.channel.sendError(result, undefined, frame.id);
    }
  }
}
