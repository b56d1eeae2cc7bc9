/**
 * How long an HTTP request may take to arrive. Node's own `requestTimeout` cuts every request
 * whose body is not in after that long, which would cut a large upload on a slow network. So the
 * host (one-port.ts) sets Node's to 0 and keeps the same deadline here, per request, and an upload
 * trades it for an idle timeout: it may take hours, as long as its bytes keep coming.
 */
import type { IncomingMessage, RequestListener } from 'node:http';

const deadlines = new WeakMap<IncomingMessage, NodeJS.Timeout>();

/**
 * Wraps `listener`: a request whose body is still arriving `timeoutMs` after its headers has its
 * connection closed (the answer, if any was sent, is as good as lost to the client anyway).
 */
export function withRequestDeadline(listener: RequestListener, timeoutMs: number): RequestListener {
  return (request, response) => {
    if (!request.complete && timeoutMs > 0) {
      const timer = setTimeout(expire, timeoutMs, request);
      deadlines.set(request, timer);
      const clear = () => clearDeadline(request);
      request.once('end', clear);
      request.once('close', clear);
    }
    listener(request, response);
  };
}

/**
 * From now on `request` may take as long as it needs while bytes keep arriving: the connection
 * closes after `idleMs` without any, until the body is in. (Then the answer may take its time:
 * finishing a large upload reads it again after a restart.)
 */
export function allowSlowBody(request: IncomingMessage, idleMs: number): void {
  clearDeadline(request);
  if (request.complete) return;
  const socket = request.socket;
  // Node destroys a socket that times out when no one else listens for it. Node itself sets
  // the keep-alive timeout once the answer is sent, after this is undone.
  socket.setTimeout(idleMs);
  request.once('end', () => socket.setTimeout(0));
}

function clearDeadline(request: IncomingMessage): void {
  const timer = deadlines.get(request);
  if (timer) {
    clearTimeout(timer);
    deadlines.delete(request);
  }
}

function expire(request: IncomingMessage): void {
  deadlines.delete(request);
  if (!request.complete) request.socket.destroy();
}
