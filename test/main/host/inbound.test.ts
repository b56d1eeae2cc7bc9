import { describe, expect, it } from 'vitest';
import { createClientFrameSchema } from '../../../protocol/wire/frames';
import { DEFAULT_LIMITS } from '../../../protocol/wire/limits';
import { rawDataToString, readClientFrame } from '../../../main/host/inbound';

const schema = createClientFrameSchema(DEFAULT_LIMITS);
const read = (text: string, binary = false) => readClientFrame(Buffer.from(text), binary, schema);

describe('readClientFrame', () => {
  it('returns valid frames with the id they refer to', () => {
    expect(read('{"type":"say","id":"a","text":"hi"}')).toEqual({
      ok: true,
      frame: { type: 'say', id: 'a', text: 'hi' },
      ref: 'a',
    });
    expect(read('{"type":"ping"}')).toEqual({ ok: true, frame: { type: 'ping' }, ref: undefined });
  });

  it('calls everything that is not a JSON object bad_json', () => {
    for (const text of ['', 'nope', '[]', '[{"type":"ping"}]', '1', 'null', '"s"', 'false']) {
      expect(read(text), text).toMatchObject({ ok: false, code: 'bad_json', ref: undefined });
    }
  });

  it('calls binary frames and frames the schema refuses bad_message, keeping a string id as ref', () => {
    expect(read('{"type":"ping"}', true)).toMatchObject({ ok: false, code: 'bad_message' });
    expect(read('{"type":"say","id":"a"}')).toMatchObject({ code: 'bad_message', ref: 'a' });
    expect(read('{"type":"say","id":3,"text":"x"}')).toMatchObject({
      code: 'bad_message',
      ref: undefined,
    });
  });

  it('keeps error messages short whatever the frame holds', () => {
    const result = read(JSON.stringify({ type: 'x'.repeat(50_000) }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThanOrEqual(200);
  });

  it('reads every shape of ws RawData', () => {
    expect(rawDataToString(Buffer.from('é'))).toBe('é');
    expect(rawDataToString([Buffer.from([0xc3]), Buffer.from([0xa9])])).toBe('é');
    expect(rawDataToString(new Uint8Array([0x68, 0x69]).buffer)).toBe('hi');
  });
});
