/**
 * One parley.v2 client: the hello phase (json-connection.ts, hello-v2.ts), then its requests,
 * each handled by the module of its kind: posts (v2-posts.ts), membership (v2-membership.ts) and
 * reading (v2-reading.ts).
 */
import type { WebSocket } from 'ws';
import type { ClientFrameV2 } from '../../protocol/wire/frames-v2';
import type { ClientFrameV2Schema, HostContext } from './context';
import { PONG } from './frame-encoding';
import { answerHelloV2 } from './hello-v2';
import { JsonConnection } from './json-connection';
import type { Session } from './room';
import type { Transport } from './security/transport-policy';
import { join, leave, openDirect, renameChannel } from './v2-membership';
import { handlePost } from './v2-posts';
import { history, markRead, peers, search, typing } from './v2-reading';
import type { V2Request } from './v2-request';

export class V2Connection extends JsonConnection<ClientFrameV2Schema> {
  readonly mode = 'v2';

  constructor(context: HostContext, socket: WebSocket, transport: Transport) {
    super(context, socket, transport, context.frameSchemaV2);
  }

  protected answerHello(frame: ClientFrameV2, ref: string | undefined): boolean | Promise<boolean> {
    if (frame.type !== 'hello') return false;
    return answerHelloV2(this, frame, this.context, ref);
  }

  protected handle(frame: ClientFrameV2, session: Session, ref: string | undefined): void {
    const request: V2Request = {
      room: this.context.room,
      member: this,
      session,
      person: session.person,
      ref,
    };
    switch (frame.type) {
      case 'hello':
        this.channel.sendError('bad_message', 'already joined: hello is only the first frame', ref);
        return;
      case 'say':
      case 'edit':
      case 'delete':
      case 'react':
      case 'set_topic':
      case 'create_channel':
        handlePost(request, frame);
        return;
      case 'join':
        join(request, frame);
        return;
      case 'leave':
        leave(request, frame);
        return;
      case 'open_direct':
        openDirect(request, frame);
        return;
      case 'rename_channel':
        renameChannel(request, frame);
        return;
      case 'read':
        markRead(request, frame);
        return;
      case 'typing':
        typing(request, frame);
        return;
      case 'history':
        history(request, frame);
        return;
      case 'peers':
        peers(request, frame);
        return;
      case 'search':
        search(request, frame);
        return;
      case 'ping':
        this.channel.send(PONG);
        return;
    }
  }
}
