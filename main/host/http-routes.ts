/**
 * HTTP on the host's port: room info for clients that probe an address, the guest page, and the
 * files endpoints (files/).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { RoomInfo } from '../../protocol/wire/frames';
import type { Refusal } from './security/request-guard';
import { sendJson, sendText, type StaticFiles } from './static-files';

/** The body of GET /api/info, exactly as docs/protocol.md lists it. Nothing secret goes here. */
export interface ApiInfo {
  app: 'parley';
  /** The newest protocol the host speaks. */
  protocol: 2;
  /** Every protocol version the host speaks (subprotocols parley.v1 and parley.v2). */
  protocols: readonly number[];
  room: RoomInfo;
  peers: number;
  password: boolean;
}

/** `/api/files*` (files/files-service.ts): any method, answered with JSON errors. */
export interface FilesRoutes {
  handles(pathname: string): boolean;
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void>;
}

export interface RouteOptions {
  info(): ApiInfo;
  /** Undefined when the host serves no guest page (`--no-browser`). */
  staticFiles: StaticFiles | undefined;
  files?: FilesRoutes;
  /** Runs before anything else; a refusal is the whole answer. */
  check(request: IncomingMessage): Refusal | undefined;
  reportBug(error: unknown): void;
}

export const NO_GUEST_PAGE =
  'This Parley host does not serve the browser guest page; join with the Parley app or `parley join`.';

export function createRequestListener(options: RouteOptions): RequestListener {
  return (request, response) => {
    route(options, request, response).catch((error: unknown) => {
      options.reportBug(error);
      if (response.headersSent) response.destroy();
      else sendText(request, response, 500, 'The host failed to answer this request.');
    });
  };
}

/** The path of a request target, or undefined when it is not a usable URL. */
export function pathnameOf(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://host.invalid').pathname;
  } catch {
    return undefined;
  }
}

async function route(
  options: RouteOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  const refusal = options.check(request);
  if (refusal) {
    sendText(request, response, refusal.status, refusal.message, { Connection: 'close' });
    return;
  }
  const filesPath = pathnameOf(request.url);
  if (filesPath !== undefined && options.files?.handles(filesPath)) {
    await options.files.serve(request, response, filesPath);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(request, response, 405, 'Only GET and HEAD are allowed here.', { Allow: 'GET, HEAD' });
    return;
  }
  const pathname = pathnameOf(request.url);
  if (pathname === undefined) {
    sendText(request, response, 400, 'Bad request target.');
    return;
  }
  if (pathname === '/api/info') {
    sendJson(request, response, options.info());
    return;
  }
  if (pathname === '/ws') {
    sendText(request, response, 426, 'This is the chat socket: connect with a WebSocket client.', {
      Upgrade: 'websocket',
    });
    return;
  }
  if (!options.staticFiles) {
    sendText(request, response, 404, NO_GUEST_PAGE);
    return;
  }
  await options.staticFiles.serve(request, response, pathname);
}
