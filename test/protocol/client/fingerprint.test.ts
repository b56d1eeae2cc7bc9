import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fingerprintSchema,
  fingerprintToBase64Url,
  fingerprintsEqual,
  normalizeFingerprint,
  parseFingerprint,
  readableFingerprint,
  fingerprintMatchesPin,
  normalizeFingerprintPin,
  shortFingerprint,
} from '../../../protocol/client/fingerprint';
import * as v from 'valibot';

const colonHex = (bytes: Uint8Array) =>
  Buffer.from(bytes).toString('hex').toUpperCase().match(/.{2}/g)!.join(':');

const sample = createHash('sha256').update('parley').digest();
const canonical = colonHex(sample);

describe('normalizeFingerprint', () => {
  it('accepts every spelling a person or tool produces and returns the Node form', () => {
    const hex = sample.toString('hex');
    const spellings = [
      canonical,
      canonical.toLowerCase(),
      hex,
      hex.toUpperCase(),
      hex.match(/.{4}/g)!.join(' '),
      hex.match(/.{2}/g)!.join('-'),
      `  ${canonical}\n`,
      sample.toString('base64url'),
      sample.toString('base64'),
      `SHA256:${sample.toString('base64').replace(/=$/, '')}`,
      `sha256/${hex}`,
    ];
    for (const spelling of spellings)
      expect(normalizeFingerprint(spelling), spelling).toBe(canonical);
  });

  it('round-trips any 32 bytes through hex and base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const expected = colonHex(bytes);
        const buffer = Buffer.from(bytes);
        expect(normalizeFingerprint(buffer.toString('hex'))).toBe(expected);
        expect(normalizeFingerprint(buffer.toString('base64url'))).toBe(expected);
        expect(normalizeFingerprint(buffer.toString('base64'))).toBe(expected);
        expect(fingerprintToBase64Url(expected)).toBe(buffer.toString('base64url'));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses anything that is not exactly 32 bytes', () => {
    const refused = [
      '',
      'null',
      canonical.slice(0, -3),
      `${canonical}:00`,
      sample.subarray(0, 31).toString('base64url'),
      Buffer.concat([sample, Buffer.from([1])]).toString('base64url'),
      canonical.replace('A', 'G'),
      `${sample.toString('base64')}==`,
      sample.toString('base64url').slice(0, 42) + '!',
      createHash('sha1').update('x').digest('hex'),
    ];
    for (const input of refused) expect(normalizeFingerprint(input), input).toBeUndefined();
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (input) => {
        const result = normalizeFingerprint(input);
        if (result !== undefined) expect(result).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('fingerprintSchema and parseFingerprint', () => {
  it('output the canonical form and name the problem', () => {
    expect(v.parse(fingerprintSchema, sample.toString('base64url'))).toBe(canonical);
    expect(parseFingerprint(sample.toString('hex'))).toBe(canonical);
    expect(() => parseFingerprint('ABCD')).toThrow(/SHA-256 fingerprint/);
    expect(() => parseFingerprint(42)).toThrow(TypeError);
    expect(() => parseFingerprint('A'.repeat(10_000))).toThrow(/at most 256/);
  });
});

describe('readableFingerprint', () => {
  it('gives 8 groups of 4 upper-case hex digits from the first 16 bytes, plus the full form', () => {
    const readable = readableFingerprint(sample.toString('base64url'));
    expect(readable.full).toBe(canonical);
    expect(readable.short).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    expect(readable.short.replaceAll(' ', '')).toBe(
      sample.subarray(0, 16).toString('hex').toUpperCase(),
    );
  });

  it('throws for input that is not a fingerprint', () => {
    expect(() => readableFingerprint('nope')).toThrow(TypeError);
  });
});

describe('fingerprintsEqual', () => {
  it('matches the same fingerprint across spellings', () => {
    expect(fingerprintsEqual(canonical, sample.toString('base64url'))).toBe(true);
    expect(fingerprintsEqual(canonical.toLowerCase(), sample.toString('hex'))).toBe(true);
  });

  it('tells apart fingerprints that differ in any single byte, first or last', () => {
    for (const index of [0, 15, 16, 31]) {
      const other = Buffer.from(sample);
      other[index] = (other[index]! + 1) % 256;
      expect(fingerprintsEqual(canonical, colonHex(other)), `byte ${index}`).toBe(false);
    }
    expect(fingerprintsEqual(canonical, colonHex(randomBytes(32)))).toBe(false);
  });

  it('never matches invalid input, not even itself', () => {
    expect(fingerprintsEqual('', '')).toBe(false);
    expect(fingerprintsEqual('junk', 'junk')).toBe(false);
    expect(fingerprintsEqual(canonical, 'junk')).toBe(false);
  });
});

describe('pins from the short form', () => {
  const FULL = readableFingerprint('SHA256:' + 'A'.repeat(43)).full;
  const short = readableFingerprint(FULL).short;

  it('accepts the short form and longer prefixes, in hex, as a canonical prefix', () => {
    expect(normalizeFingerprintPin(short)).toBe(FULL.slice(0, 16 * 3 - 1));
    expect(normalizeFingerprintPin(short.toLowerCase().replaceAll(' ', ''))).toBe(
      FULL.slice(0, 47),
    );
    expect(normalizeFingerprintPin(FULL.slice(0, 20 * 3 - 1))).toBe(FULL.slice(0, 59));
    expect(normalizeFingerprintPin(FULL)).toBe(FULL);
  });

  it('refuses fewer than 16 bytes, odd digits and anything that is not hex', () => {
    for (const input of [short.slice(0, 19), short.slice(0, -1), `${short} XY`, '', 'sha256:']) {
      expect(normalizeFingerprintPin(input), input).toBeUndefined();
    }
  });

  it('matches a fingerprint that begins with the pin, and no other', () => {
    expect(fingerprintMatchesPin(short, FULL)).toBe(true);
    expect(fingerprintMatchesPin(FULL, FULL)).toBe(true);
    const other = `${FULL.slice(0, 45)}FF${FULL.slice(47)}`;
    expect(fingerprintMatchesPin(short, other)).toBe(false);
    expect(fingerprintMatchesPin(short, short)).toBe(false);
    expect(shortFingerprint(short)).toBe(short);
    expect(shortFingerprint(FULL)).toBe(short);
  });
});
