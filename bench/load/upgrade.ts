/**
 * The client side of the WebSocket opening handshake (RFC 6455 section 4): the HTTP/1.1 upgrade
 * request, and the checks on the server's answer (101, Upgrade, Connection, the accept key, the
 * subprotocol, no extension). Runs once per connection, so clarity beats speed here.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as v from 'valibot';

/** RFC 6455 section 1.3: appended to the client's key before hashing. */
const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A response head larger than this is not a WebSocket server talking. */
export const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

export type UpgradeErrorCode =
  | 'bad_status'
  | 'bad_response'
  | 'bad_accept'
  | 'bad_subprotocol'
  | 'unexpected_extension'
  | 'head_too_large';

export class UpgradeError extends Error {
  constructor(
    readonly code: UpgradeErrorCode,
    detail: string,
  ) {
    super(`websocket upgrade failed (${code}): ${detail}`);
    this.name = 'UpgradeError';
  }
}

export interface UpgradeRequest {
  host: string;
  port: number;
  /** Path and query, e.g. `/socket.io/?EIO=4&transport=websocket`. */
  path: string;
  /** Offered subprotocols, in order of preference; none offers none. */
  protocols: readonly string[];
}

export interface UpgradeAttempt {
  /** The request bytes, ready to write. */
  request: Buffer;
  /** The Sec-WebSocket-Accept value the server must answer with. */
  expectedAccept: string;
}

export function acceptKeyFor(key: string): string {
  return createHash('sha1')
    .update(key + ACCEPT_GUID)
    .digest('base64');
}

export function upgradeRequest(options: UpgradeRequest): UpgradeAttempt {
  const key = randomBytes(16).toString('base64');
  const lines = [
    `GET ${options.path} HTTP/1.1`,
    `Host: ${options.host}:${options.port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
  ];
  if (options.protocols.length > 0) {
    lines.push(`Sec-WebSocket-Protocol: ${options.protocols.join(', ')}`);
  }
  return {
    request: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'),
    expectedAccept: acceptKeyFor(key),
  };
}

/** Where the response head ends (just past its blank line) in `data`, or -1 while incomplete. */
export function responseHeadEnd(data: Buffer): number {
  const at = data.indexOf(HEAD_END);
  return at < 0 ? -1 : at + HEAD_END.length;
}

const headSchema = v.object({
  status: v.number(),
  reason: v.string(),
  headers: v.object({
    upgrade: v.pipe(v.string(), v.regex(/^websocket$/i, 'Upgrade is not "websocket"')),
    connection: v.pipe(
      v.string(),
      v.regex(/(^|,)\s*upgrade\s*(,|$)/i, 'Connection lacks "Upgrade"'),
    ),
    'sec-websocket-accept': v.string('no Sec-WebSocket-Accept'),
    'sec-websocket-protocol': v.optional(v.string()),
    'sec-websocket-extensions': v.optional(v.string()),
  }),
});

function parseHead(head: string) {
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
  if (!status)
    throw new UpgradeError(
      'bad_response',
      `not an HTTP/1.1 status line: ${JSON.stringify(statusLine.slice(0, 80))}`,
    );
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new UpgradeError(
        'bad_response',
        `malformed header line ${JSON.stringify(line.slice(0, 80))}`,
      );
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // Repeated headers fold into one list, as HTTP allows.
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return { status: Number(status[1]), reason: status[2] ?? '', headers };
}

/**
 * Checks the server's response head (everything up to and including the blank line) against the
 * request; returns the agreed subprotocol, or throws an UpgradeError saying what was wrong.
 */
export function checkUpgradeResponse(
  head: Buffer,
  attempt: UpgradeAttempt,
  protocols: readonly string[],
): string | undefined {
  const parsed = parseHead(head.toString('latin1'));
  if (parsed.status !== 101) {
    throw new UpgradeError(
      'bad_status',
      `expected 101 Switching Protocols, got ${parsed.status} ${parsed.reason}`.trim(),
    );
  }
  const checked = v.safeParse(headSchema, parsed);
  if (!checked.success) {
    throw new UpgradeError('bad_response', checked.issues.map((issue) => issue.message).join('; '));
  }
  const headers = checked.output.headers;
  if (headers['sec-websocket-accept'] !== attempt.expectedAccept) {
    throw new UpgradeError(
      'bad_accept',
      `Sec-WebSocket-Accept ${JSON.stringify(headers['sec-websocket-accept'])} does not match the key sent (expected ${attempt.expectedAccept})`,
    );
  }
  if (headers['sec-websocket-extensions'] !== undefined) {
    throw new UpgradeError(
      'unexpected_extension',
      `the server chose ${headers['sec-websocket-extensions']}, none was offered`,
    );
  }
  const agreed = headers['sec-websocket-protocol'];
  if (agreed === undefined ? protocols.length > 0 : !protocols.includes(agreed)) {
    throw new UpgradeError(
      'bad_subprotocol',
      `offered ${protocols.length > 0 ? protocols.join(', ') : 'none'}, the server chose ${agreed ?? 'none'}`,
    );
  }
  return agreed;
}
