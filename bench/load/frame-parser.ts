/**
 * An incremental parser for the frames a WebSocket server sends (RFC 6455 section 5), built for
 * the load generator's receive path: it reads frames in place from whatever chunk a socket read
 * produced and hands each message over as (buffer, start, end), so a frame that arrives whole
 * costs a few byte reads and one call, with nothing allocated. Only a frame split across reads
 * is copied (into a small per-connection buffer), and only fragmented messages are assembled.
 */

export const OPCODE_CONTINUATION = 0x0;
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

/** No status code in a close frame (RFC 6455 section 7.4.1: never sent on the wire). */
export const CLOSE_NO_STATUS = 1005;

/** Stable codes for the ways a server's byte stream can break the framing rules. */
export type FrameErrorCode =
  | 'masked_frame'
  | 'reserved_bits'
  | 'unknown_opcode'
  | 'bad_control_frame'
  | 'bad_continuation'
  | 'too_large'
  | 'bad_close_payload';

export class FrameError extends Error {
  constructor(
    readonly code: FrameErrorCode,
    detail: string,
  ) {
    super(`websocket framing error (${code}): ${detail}`);
    this.name = 'FrameError';
  }
}

/** What the parser calls back; `data` is only valid during the call (the chunk gets reused). */
export interface FrameSink {
  onMessage(data: Buffer, start: number, end: number): void;
  onPing(data: Buffer, start: number, end: number): void;
  /** A close frame; nothing after it is parsed. */
  onClose(code: number): void;
  /** The stream broke the framing rules; nothing more is parsed. */
  onFrameError(error: FrameError): void;
}

export interface FrameParserOptions {
  /** Largest message (after reassembly) accepted; the `ws` library's default. */
  maxMessageBytes: number;
}

export const DEFAULT_FRAME_PARSER_OPTIONS: FrameParserOptions = {
  maxMessageBytes: 100 * 1024 * 1024,
};

/** Split frames up to this size reuse one carry buffer; larger ones get their own, then release it. */
const KEPT_CARRY_BYTES = 1024;
const MAX_HEADER_BYTES = 10;
const TWO_POW_32 = 2 ** 32;

/** Header bytes the frame starting at `start` needs, or 2 when even the length byte is missing. */
function headerBytes(data: Buffer, start: number, end: number): number {
  if (end - start < 2) return 2;
  const length7 = data[start + 1]! & 0x7f;
  return length7 === 126 ? 4 : length7 === 127 ? 10 : 2;
}

export class FrameParser {
  private readonly options: FrameParserOptions;
  /** Bytes of one unfinished frame that straddles reads. */
  private carry: Buffer | undefined;
  private carryLength = 0;
  /** Payload of a fragmented message so far, and its size. */
  private assembly: Buffer | undefined;
  private assemblyLength = 0;
  private assembling = false;
  private broken = false;
  /** A close frame arrived: the server sends nothing after it (RFC 6455 section 5.5.1). */
  private closed = false;

  constructor(
    private readonly sink: FrameSink,
    options: Partial<FrameParserOptions> = {},
  ) {
    this.options = { ...DEFAULT_FRAME_PARSER_OPTIONS, ...options };
  }

  get hasFailed(): boolean {
    return this.broken;
  }

  /** Parses the bytes [start, end) of one read, in order. */
  push(data: Buffer, start = 0, end = data.length): void {
    if (this.broken || this.closed) return;
    let offset = start;
    if (this.carryLength > 0) offset = this.finishCarried(data, offset, end);
    while (offset < end && !this.broken && !this.closed) {
      const consumed = this.parseOne(data, offset, end);
      if (consumed === 0) {
        if (!this.broken) this.keep(data, offset, end);
        return;
      }
      offset += consumed;
    }
  }

  /** Completes the frame carried over from earlier reads; returns where the next frame starts. */
  private finishCarried(data: Buffer, start: number, end: number): number {
    let offset = start;
    const takeUpTo = (wanted: number) => {
      const take = Math.min(wanted - this.carryLength, end - offset);
      if (take > 0) {
        data.copy(this.carry!, this.carryLength, offset, offset + take);
        this.carryLength += take;
        offset += take;
      }
      return this.carryLength >= wanted;
    };
    // The header first: until the length is known, the frame's size is not.
    if (!takeUpTo(headerBytes(this.carry!, 0, this.carryLength))) return end;
    if (!takeUpTo(headerBytes(this.carry!, 0, this.carryLength))) return end;
    const total = this.frameBytes(this.carry!, 0, this.carryLength);
    if (total < 0) return end;
    if (total > this.carry!.length) {
      const grown = Buffer.allocUnsafe(total);
      this.carry!.copy(grown, 0, 0, this.carryLength);
      this.carry = grown;
    }
    if (!takeUpTo(total)) return end;
    const carried = this.carry!;
    this.carryLength = 0;
    if (carried.length > KEPT_CARRY_BYTES) this.carry = undefined;
    this.parseOne(carried, 0, total);
    return offset;
  }

  private keep(data: Buffer, start: number, end: number): void {
    const length = end - start;
    // A split frame whose header is already readable gets a buffer of its full size at once.
    const total = length >= MAX_HEADER_BYTES ? this.frameBytes(data, start, end) : -1;
    if (this.broken) return;
    const wanted = Math.max(length, total, KEPT_CARRY_BYTES);
    if (!this.carry || this.carry.length < Math.max(length, total)) {
      this.carry = Buffer.allocUnsafe(wanted);
    }
    data.copy(this.carry, 0, start, end);
    this.carryLength = length;
  }

  /** Size of the whole frame at `start` (header included); -1 when the header is incomplete. */
  private frameBytes(data: Buffer, start: number, end: number): number {
    if (end - start < 2) return -1;
    // Checked as soon as two bytes are in, so a broken stream fails before its frame completes.
    if ((data[start]! & 0x70) !== 0)
      return this.fail('reserved_bits', 'RSV bits set, no extension agreed');
    if ((data[start + 1]! & 0x80) !== 0)
      return this.fail('masked_frame', 'a server must not mask frames');
    const header = headerBytes(data, start, end);
    if (end - start < header) return -1;
    const length7 = data[start + 1]! & 0x7f;
    let payload: number;
    if (length7 < 126) payload = length7;
    else if (length7 === 126) payload = data.readUInt16BE(start + 2);
    else {
      const high = data.readUInt32BE(start + 2);
      payload = high * TWO_POW_32 + data.readUInt32BE(start + 6);
      // Beyond 2^53 a double cannot count bytes exactly; far beyond any limit anyway.
      if (high > 0x1fffff) return this.fail('too_large', 'a 64-bit length beyond 2^53');
    }
    if (payload > this.options.maxMessageBytes) {
      return this.fail(
        'too_large',
        `a ${payload}-byte frame (limit ${this.options.maxMessageBytes})`,
      );
    }
    return header + payload;
  }

  /** Parses the frame at `start` when all of it lies before `end`; returns its size, or 0. */
  private parseOne(data: Buffer, start: number, end: number): number {
    const total = this.frameBytes(data, start, end);
    if (total < 0 || end - start < total) return 0;
    const first = data[start]!;
    const payloadStart = start + headerBytes(data, start, end);
    const payloadEnd = start + total;
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    if (fin && !this.assembling && (opcode === OPCODE_TEXT || opcode === OPCODE_BINARY)) {
      this.sink.onMessage(data, payloadStart, payloadEnd);
      return total;
    }
    if (opcode >= OPCODE_CLOSE) {
      this.control(opcode, fin, data, payloadStart, payloadEnd);
    } else {
      this.fragment(opcode, fin, data, payloadStart, payloadEnd);
    }
    return this.broken ? 0 : total;
  }

  private control(opcode: number, fin: boolean, data: Buffer, start: number, end: number): void {
    if (!fin || end - start > 125) {
      this.fail('bad_control_frame', 'control frames must be final and at most 125 bytes');
      return;
    }
    if (opcode === OPCODE_PING) this.sink.onPing(data, start, end);
    else if (opcode === OPCODE_CLOSE) {
      if (end - start === 1) {
        this.fail('bad_close_payload', 'a close payload of one byte');
        return;
      }
      this.closed = true;
      this.carryLength = 0;
      this.sink.onClose(end - start >= 2 ? data.readUInt16BE(start) : CLOSE_NO_STATUS);
    } else if (opcode !== OPCODE_PONG) {
      this.fail('unknown_opcode', `opcode 0x${opcode.toString(16)}`);
    }
  }

  private fragment(opcode: number, fin: boolean, data: Buffer, start: number, end: number): void {
    if (opcode !== OPCODE_CONTINUATION && opcode !== OPCODE_TEXT && opcode !== OPCODE_BINARY) {
      this.fail('unknown_opcode', `opcode 0x${opcode.toString(16)}`);
      return;
    }
    if ((opcode === OPCODE_CONTINUATION) !== this.assembling) {
      this.fail(
        'bad_continuation',
        this.assembling ? 'a new message inside a fragmented one' : 'a continuation of nothing',
      );
      return;
    }
    const length = this.assemblyLength + (end - start);
    if (length > this.options.maxMessageBytes) {
      this.fail('too_large', `a fragmented message past ${this.options.maxMessageBytes} bytes`);
      return;
    }
    if (!this.assembly || this.assembly.length < length) {
      const grown = Buffer.allocUnsafe(Math.max(length, 2 * (this.assembly?.length ?? 0), 256));
      this.assembly?.copy(grown, 0, 0, this.assemblyLength);
      this.assembly = grown;
    }
    data.copy(this.assembly, this.assemblyLength, start, end);
    this.assemblyLength = length;
    this.assembling = !fin;
    if (!fin) return;
    const assembled = this.assembly;
    this.assembly = undefined;
    this.assemblyLength = 0;
    this.sink.onMessage(assembled, 0, length);
  }

  private fail(code: FrameErrorCode, detail: string): -1 {
    if (!this.broken) {
      this.broken = true;
      this.carry = undefined;
      this.carryLength = 0;
      this.assembly = undefined;
      this.sink.onFrameError(new FrameError(code, detail));
    }
    return -1;
  }
}
