import { describe, expect, it } from 'vitest';
import {
  acceptKeyFor,
  checkUpgradeResponse,
  responseHeadEnd,
  upgradeRequest,
  UpgradeError,
} from '../../../bench/load/upgrade';

const attempt = upgradeRequest({ host: '127.0.0.1', port: 1234, path: '/ws', protocols: [] });

function response(lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

const good = (extra: string[] = [], accept = attempt.expectedAccept) =>
  response([
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${accept}`,
    ...extra,
  ]);

function failure(run: () => unknown): UpgradeError {
  try {
    run();
  } catch (error) {
    if (error instanceof UpgradeError) return error;
    throw error;
  }
  throw new Error('expected an UpgradeError');
}

describe('the upgrade handshake', () => {
  it('derives the accept key as RFC 6455 section 1.3 shows', () => {
    expect(acceptKeyFor('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('asks for version 13 with a fresh 16-byte key and the offered subprotocol', () => {
    const request = upgradeRequest({
      host: '127.0.0.1',
      port: 80,
      path: '/socket.io/?EIO=4&transport=websocket',
      protocols: ['parley.v1'],
    });
    const head = request.request.toString('latin1');
    expect(head).toMatch(/^GET \/socket\.io\/\?EIO=4&transport=websocket HTTP\/1\.1\r\n/);
    expect(head).toContain('\r\nSec-WebSocket-Version: 13\r\n');
    expect(head).toContain('\r\nSec-WebSocket-Protocol: parley.v1\r\n');
    expect(head.endsWith('\r\n\r\n')).toBe(true);
    const key = /Sec-WebSocket-Key: (\S+)\r\n/.exec(head)![1]!;
    expect(Buffer.from(key, 'base64')).toHaveLength(16);
    expect(request.expectedAccept).toBe(acceptKeyFor(key));
    expect(
      upgradeRequest({ host: 'h', port: 1, path: '/', protocols: [] }).expectedAccept,
    ).not.toBe(request.expectedAccept);
  });

  it('finds the end of the response head, frames may follow it', () => {
    const head = good();
    expect(responseHeadEnd(head.subarray(0, head.length - 1))).toBe(-1);
    expect(responseHeadEnd(Buffer.concat([head, Buffer.from([0x81, 0])]))).toBe(head.length);
  });

  it('accepts a correct answer, header names in any case', () => {
    const lower = response([
      'HTTP/1.1 101 Switching Protocols',
      'upgrade: WebSocket',
      'connection: keep-alive, upgrade',
      `sec-websocket-accept: ${attempt.expectedAccept}`,
    ]);
    expect(checkUpgradeResponse(lower, attempt, [])).toBeUndefined();
    expect(
      checkUpgradeResponse(good(['Sec-WebSocket-Protocol: parley.v1']), attempt, ['parley.v1']),
    ).toBe('parley.v1');
  });

  it('rejects a wrong accept key with a clear message', () => {
    const error = failure(() => checkUpgradeResponse(good([], 'AAAA'), attempt, []));
    expect(error.code).toBe('bad_accept');
    expect(error.message).toMatch(/Sec-WebSocket-Accept "AAAA" does not match/);
  });

  it('rejects a status other than 101, saying which', () => {
    const refused = response(['HTTP/1.1 403 Forbidden', 'Content-Length: 0']);
    const error = failure(() => checkUpgradeResponse(refused, attempt, []));
    expect(error.code).toBe('bad_status');
    expect(error.message).toContain('got 403 Forbidden');
  });

  it('rejects missing upgrade headers, a subprotocol not offered and an extension', () => {
    const noUpgrade = response([
      'HTTP/1.1 101 Switching Protocols',
      'Connection: Upgrade',
      `Sec-WebSocket-Accept: ${attempt.expectedAccept}`,
    ]);
    expect(failure(() => checkUpgradeResponse(noUpgrade, attempt, [])).code).toBe('bad_response');
    expect(
      failure(() => checkUpgradeResponse(good(['Sec-WebSocket-Protocol: x']), attempt, [])).code,
    ).toBe('bad_subprotocol');
    expect(failure(() => checkUpgradeResponse(good(), attempt, ['parley.v1'])).code).toBe(
      'bad_subprotocol',
    );
    expect(
      failure(() =>
        checkUpgradeResponse(good(['Sec-WebSocket-Extensions: permessage-deflate']), attempt, []),
      ).code,
    ).toBe('unexpected_extension');
    expect(failure(() => checkUpgradeResponse(response(['SSH-2.0']), attempt, [])).code).toBe(
      'bad_response',
    );
  });
});
