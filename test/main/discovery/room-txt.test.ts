import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  cleanRoomName,
  encodeRoomTxt,
  instanceNameFor,
  parseRoomTxt,
  targetHostFor,
  truncateUtf8,
  type RoomDescription,
} from '../../../main/discovery/room-txt';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0'))
  .join(':')
  .toUpperCase();

const room: RoomDescription = {
  roomId: 'room-1',
  name: 'Kitchen',
  peers: 3,
  password: true,
  fingerprint: FINGERPRINT,
  protocol: 1,
};

describe('TXT records', () => {
  it('carry the documented keys and read back to the same room', () => {
    const txt = encodeRoomTxt(room);
    expect(Object.keys(txt)).toEqual(['name', 'id', 'peers', 'pw', 'fp', 'v']);
    expect(txt.fp).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseRoomTxt(txt)).toEqual(room);
  });

  it('round-trip any valid room', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' }),
        fc.stringMatching(/^[A-Za-z0-9._~-]{1,128}$/),
        fc.nat({ max: 1_000_000 }),
        fc.boolean(),
        fc.option(fc.constant(FINGERPRINT), { nil: undefined }),
        (name, roomId, peers, password, fingerprint) => {
          fc.pre(cleanRoomName(name).length > 0);
          const described: RoomDescription = { roomId, name, peers, password, protocol: 1 };
          if (fingerprint) described.fingerprint = fingerprint;
          const txt = encodeRoomTxt(described);
          for (const [key, value] of Object.entries(txt)) {
            expect(Buffer.byteLength(`${key}=${value}`)).toBeLessThanOrEqual(255);
          }
          const parsed = parseRoomTxt(txt);
          expect(parsed).toMatchObject({ roomId, peers, password, protocol: 1 });
          expect(parsed?.fingerprint).toBe(fingerprint);
          expect(cleanRoomName(name).startsWith(parsed!.name)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are refused when not a Parley advert, without throwing on any input', () => {
    for (const bad of [
      undefined,
      null,
      'name=x',
      [],
      {},
      { ...encodeRoomTxt(room), pw: 'maybe' },
    ]) {
      expect(parseRoomTxt(bad)).toBeUndefined();
    }
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.boolean())), (txt) => {
        expect(() => parseRoomTxt(txt)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('read keys case-insensitively, the first of a repeated key winning', () => {
    const txt = { NAME: 'Upper', name: 'lower', ID: 'r', PEERS: '0', PW: '0', V: '1' };
    expect(parseRoomTxt(txt)?.name).toBe('Upper');
  });
});

describe('names', () => {
  it('truncate on whole characters within a byte budget', () => {
    expect(truncateUtf8('abc', 3)).toBe('abc');
    expect(truncateUtf8('a😀b', 4)).toBe('a');
    expect(truncateUtf8('a😀b', 5)).toBe('a😀');
    expect(truncateUtf8('ééé', 5)).toBe('éé');
  });

  it('lose control characters and extra spaces', () => {
    expect(cleanRoomName(' a\tb\n\nc\u0000 ')).toBe('a b c');
  });

  it('give an instance name that is one DNS label with the room id hashed in', () => {
    const name = instanceNameFor('My.Room', 'id-1');
    expect(name).toMatch(/^My-Room \[[0-9a-f]{8}\]$/);
    expect(instanceNameFor('My.Room', 'id-2')).not.toBe(name);
    expect(instanceNameFor('\u0000', 'x')).toMatch(/^Parley \[/);
    expect(Buffer.byteLength(instanceNameFor('ü'.repeat(64), 'x'))).toBeLessThanOrEqual(63);
  });

  it('give a target host of its own per room, from the machine name', () => {
    expect(targetHostFor('id-1', 'Studio.example.com')).toMatch(/^studio-[0-9a-f]{8}\.local$/);
    expect(targetHostFor('id-1', '???')).toMatch(/^parley-[0-9a-f]{8}\.local$/);
    expect(targetHostFor('id-1', 'a')).not.toBe(targetHostFor('id-2', 'a'));
  });
});
