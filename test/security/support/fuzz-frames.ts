/**
 * fast-check arbitraries for hostile client frames, as the raw text a socket would carry: any JSON,
 * any UTF-16 (lone surrogates included, escaped inside JSON strings), numbers beyond every range,
 * prototype-pollution keys in every position, and frames of every type that are almost valid.
 */
import fc from 'fast-check';

/** Any UTF-16 code unit: lone surrogates and control characters included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
export const anyText = fc.string({ unit: codeUnit, maxLength: 24 });

/** Numbers at and past the edges, as JSON text (1e400 parses to Infinity). */
const edgeNumberText = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e-400',
  '1e308',
  '9007199254740993',
  '-9007199254740993',
  '123456789012345678901234567890',
  '-0',
  '0.5',
  '4.9e-324',
);

export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const knownKey = fc.constantFrom(
  'type',
  'id',
  'text',
  'name',
  'password',
  'resume',
  'token',
  'lastSeq',
  'before',
  'limit',
  'ref',
);
const anyKey = fc.oneof(fc.constantFrom(...POLLUTION_KEYS), knownKey, anyText);

const leafText = fc.oneof(
  fc
    .oneof(anyText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null))
    .map((value) => JSON.stringify(value)),
  edgeNumberText,
);

/** Serializes entries by hand: an object literal would turn a `__proto__` key into a prototype. */
export function objectText(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/** Any JSON value, as text. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{
  value: string;
  array: string;
  object: string;
}>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leafText, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(anyKey, tie('value')), { maxLength: 5 }).map(objectText),
})).value;

const numberText = fc.oneof(
  fc.nat({ max: 300 }).map(String),
  fc.integer({ min: -5, max: 5 }).map(String),
  edgeNumberText,
);
const nameText = fc.oneof(
  anyText,
  fc.constantFrom(
    'alice',
    '  bob  ',
    '',
    '   ',
    'a'.repeat(33),
    'x\u0000y',
    'observer',
    'OBSERVER',
  ),
);
const idText = fc.oneof(anyText, fc.constantFrom('', 'x'.repeat(65), 'dup', 'dup2'));
const text = fc.oneof(anyText, fc.constantFrom('', '   ', 'hi', 'y'.repeat(4001)));
/** A field's value: usually of the right kind, sometimes any JSON at all. */
const either = (right: fc.Arbitrary<string>) => fc.oneof({ weight: 4, arbitrary: right }, jsonText);
const str = (value: fc.Arbitrary<string>) => value.map((inner) => JSON.stringify(inner));

/** Entries of a frame of each type, each field right or wrong. */
const frameEntries: fc.Arbitrary<[string, string][]> = fc.oneof(
  fc
    .tuple(
      either(str(nameText)),
      fc.option(either(str(anyText)), { nil: undefined }),
      fc.option(
        either(
          fc.tuple(either(str(anyText)), either(numberText)).map(([token, lastSeq]) =>
            objectText([
              ['token', token],
              ['lastSeq', lastSeq],
            ]),
          ),
        ),
        { nil: undefined },
      ),
    )
    .map(([name, password, resume]) => {
      const entries: [string, string][] = [
        ['type', '"hello"'],
        ['name', name],
      ];
      if (password !== undefined) entries.push(['password', password]);
      if (resume !== undefined) entries.push(['resume', resume]);
      return entries;
    }),
  fc.tuple(either(str(idText)), either(str(text))).map(([id, body]): [string, string][] => [
    ['type', '"say"'],
    ['id', id],
    ['text', body],
  ]),
  fc.constant<[string, string][]>([['type', '"typing"']]),
  fc.tuple(either(numberText), either(numberText)).map(([before, limit]): [string, string][] => [
    ['type', '"history"'],
    ['before', before],
    ['limit', limit],
  ]),
  fc.constant<[string, string][]>([['type', '"ping"']]),
  str(fc.oneof(anyText, fc.constantFrom('welcome', 'error', 'pong', 'HELLO'))).map(
    (type): [string, string][] => [['type', type]],
  ),
);

/** A frame of some type, with extra keys (pollution keys among them) spliced in anywhere. */
export const frameText: fc.Arbitrary<string> = fc
  .tuple(
    frameEntries,
    fc.array(fc.tuple(anyKey, jsonText, fc.nat()), { maxLength: 3 }),
    fc.boolean(),
  )
  .map(([entries, extras, pollute]) => {
    const all = [...entries];
    for (const [key, value, at] of extras) all.splice(at % (all.length + 1), 0, [key, value]);
    if (pollute) all.unshift(['__proto__', objectText([['polluted', '"yes"']])]);
    return objectText(all);
  });

/** What one fuzz step sends: mostly frame-like text, some arbitrary JSON or text, some binary. */
export type Outbound = { kind: 'text'; data: string } | { kind: 'binary'; data: Uint8Array };

export const outbound: fc.Arbitrary<Outbound> = fc.oneof(
  { weight: 6, arbitrary: frameText.map((data): Outbound => ({ kind: 'text', data })) },
  { weight: 2, arbitrary: jsonText.map((data): Outbound => ({ kind: 'text', data })) },
  { weight: 1, arbitrary: anyText.map((data): Outbound => ({ kind: 'text', data })) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 32 }).map((data): Outbound => ({ kind: 'binary', data })),
  },
);

/** Nesting far deeper than any frame needs: 10^4 levels, in every place a value can go. */
export function deeplyNested(depth = 10_000): string[] {
  const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const protos = `${'{"__proto__":'.repeat(depth)}{}${'}'.repeat(depth)}`;
  return [
    arrays,
    objects,
    protos,
    `{"type":"say","id":"deep","text":${arrays}}`,
    `{"type":"hello","name":"x","resume":${objects}}`,
    `{"type":"history","before":${arrays},"limit":1}`,
    `{"type":"ping","extra":${protos}}`,
  ];
}

/** A well-formed hello (its name may still break the name rule): sessions get past the welcome. */
export const wellFormedHello: fc.Arbitrary<Outbound> = fc
  .tuple(nameText, fc.option(anyText, { nil: undefined }), fc.option(anyText, { nil: undefined }))
  .map(([name, password, token]) => ({
    kind: 'text',
    data: JSON.stringify({
      type: 'hello',
      name,
      ...(password !== undefined && { password }),
      ...(token !== undefined && { resume: { token, lastSeq: 0 } }),
    }),
  }));
