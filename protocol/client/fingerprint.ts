/**
 * SHA-256 certificate fingerprints as people and programs exchange them: typed from a host's
 * screen, read aloud across a room, carried in a join link or stored in known rooms.
 *
 * The canonical form is Node's `fingerprint256` (upper-case hex byte pairs joined by colons), so
 * a value from `tls` or `crypto.X509Certificate` is already canonical. Pure: shared with the UI.
 */
import * as v from 'valibot';

export const FINGERPRINT_BYTES = 32;

/** Bytes shown in the short form: 128 bits, far beyond what a forger could match on purpose. */
const SHORT_FORM_BYTES = 16;

const HEX_DIGITS = /^[0-9a-f]{64}$/i;
// Separators people and tools put between hex digits: colons (Node, browsers), spaces, dashes.
const HEX_SEPARATORS = /[\s:-]/g;
const BASE64_BODY = /^[A-Za-z0-9+/_-]{43}$/;
// OpenSSH style prefixes, e.g. `SHA256:` in front of base64, or `sha256/` in front of hex.
const ALGORITHM_PREFIX = /^sha-?256\s*[:/=]\s*/i;

export interface ReadableFingerprint {
  /** The first 16 bytes as 8 groups of 4 upper-case hex digits: what the host reads aloud. */
  short: string;
  /** All 32 bytes, colon-separated: what the certificate viewer of a browser shows. */
  full: string;
}

/**
 * Returns the canonical form of a SHA-256 fingerprint given as colon/space/dash separated hex,
 * bare hex, or base64url/base64 (with or without padding), or undefined when it is none of these.
 */
export function normalizeFingerprint(input: string): string | undefined {
  const trimmed = input.trim();
  const unprefixed = trimmed.replace(ALGORITHM_PREFIX, '');
  // A base64 body could itself begin with "sha256", so the unprefixed reading is only a fallback.
  return parseSpelling(trimmed) ?? (unprefixed === trimmed ? undefined : parseSpelling(unprefixed));
}

/**
 * A fingerprint given to pin a host: the full fingerprint in any accepted spelling, or the short
 * form the host shows (hex, at least its 16 bytes: `C0DA 0626 …`), which pins every certificate
 * whose fingerprint begins with it. Returns the canonical form (`AB:CD:…`, 16 to 32 bytes), or
 * undefined when it is neither.
 */
export function normalizeFingerprintPin(input: string): string | undefined {
  const full = normalizeFingerprint(input);
  if (full !== undefined) return full;
  const hex = input.trim().replace(ALGORITHM_PREFIX, '').replace(HEX_SEPARATORS, '');
  const bytes = hex.length / 2;
  if (!/^[0-9a-f]*$/i.test(hex) || !Number.isInteger(bytes)) return undefined;
  if (bytes < SHORT_FORM_BYTES || bytes > FINGERPRINT_BYTES) return undefined;
  return groupBytes(hex.toUpperCase());
}

/**
 * True when the full fingerprint `presented` begins with `pin` (see normalizeFingerprintPin).
 * Every byte of the pin is compared whatever the first difference. Invalid input never matches.
 */
export function fingerprintMatchesPin(pin: string, presented: string): boolean {
  const prefix = normalizeFingerprintPin(pin);
  const full = normalizeFingerprint(presented);
  if (prefix === undefined || full === undefined) return false;
  let difference = 0;
  for (let i = 0; i < prefix.length; i++) difference |= prefix.charCodeAt(i) ^ full.charCodeAt(i);
  return difference === 0;
}

/** The short form (8 groups of 4 hex digits) of a fingerprint or of a pin given as its prefix. */
export function shortFingerprint(fingerprintOrPin: string): string {
  const canonical = normalizeFingerprintPin(fingerprintOrPin);
  if (canonical === undefined)
    throw new TypeError(`Not a SHA-256 fingerprint: ${fingerprintOrPin}`);
  const hex = canonical.replaceAll(':', '').slice(0, SHORT_FORM_BYTES * 2);
  return (hex.match(/.{4}/g) ?? []).join(' ');
}

/** Valibot schema for any accepted spelling; its output is the canonical form. */
export const fingerprintSchema = v.pipe(
  v.string(),
  v.maxLength(256, 'A fingerprint is at most 256 characters.'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const canonical = normalizeFingerprint(dataset.value);
    if (canonical !== undefined) return canonical;
    addIssue({ message: 'Not a SHA-256 fingerprint: expected 32 bytes as hex or base64url.' });
    return NEVER;
  }),
);

/** Parses a fingerprint, throwing a TypeError that says what is expected. */
export function parseFingerprint(input: unknown): string {
  const result = v.safeParse(fingerprintSchema, input);
  if (result.success) return result.output;
  throw new TypeError(result.issues[0].message);
}

/** The forms shown to people; throws a TypeError when the input is not a fingerprint. */
export function readableFingerprint(fingerprint: string): ReadableFingerprint {
  const full = parseFingerprint(fingerprint);
  const hex = full.replaceAll(':', '').slice(0, SHORT_FORM_BYTES * 2);
  const groups = hex.match(/.{4}/g) ?? [];
  return { short: groups.join(' '), full };
}

/** The compact form for links and QR codes: 43 characters of unpadded base64url. */
export function fingerprintToBase64Url(fingerprint: string): string {
  const hex = parseFingerprint(fingerprint).replaceAll(':', '');
  let binary = '';
  for (let i = 0; i < hex.length; i += 2)
    binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * True when both are the same fingerprint in any accepted spelling. Once both are valid, every
 * byte is compared whatever the first difference, so the time taken says nothing about where
 * a guess went wrong. Invalid input never matches.
 */
export function fingerprintsEqual(a: string, b: string): boolean {
  const left = normalizeFingerprint(a);
  const right = normalizeFingerprint(b);
  if (left === undefined || right === undefined) return false;
  let difference = 0;
  for (let i = 0; i < left.length; i++) difference |= left.charCodeAt(i) ^ right.charCodeAt(i);
  return difference === 0;
}

function parseSpelling(text: string): string | undefined {
  const hex = text.replace(HEX_SEPARATORS, '');
  if (HEX_DIGITS.test(hex)) return groupBytes(hex.toUpperCase());
  const bytes = decodeBase64(text.replace(/\s/g, ''));
  return bytes ? groupBytes(toHex(bytes)) : undefined;
}

function decodeBase64(text: string): Uint8Array | undefined {
  const body = text.replace(/=+$/, '');
  if (!BASE64_BODY.test(body) || text.length - body.length > 1) return undefined;
  let binary: string;
  try {
    binary = atob(body.replaceAll('-', '+').replaceAll('_', '/') + '=');
  } catch {
    return undefined;
  }
  if (binary.length !== FINGERPRINT_BYTES) return undefined;
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

function groupBytes(hex: string): string {
  return (hex.match(/.{2}/g) ?? []).join(':');
}
