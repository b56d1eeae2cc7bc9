import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  linkify,
  mentionedNames,
  mentionsName,
  type TextPart,
} from '../../../protocol/client/linkify';

const text = (t: string): TextPart => ({ kind: 'text', text: t });
const link = (t: string, href = t): TextPart => ({ kind: 'link', text: t, href });
const mention = (t: string, name: string): TextPart => ({ kind: 'mention', text: t, name });

describe('links', () => {
  it('turns http and https addresses into links inside ordinary text', () => {
    expect(linkify('see https://example.com/a?b=1#c now')).toEqual([
      text('see '),
      link('https://example.com/a?b=1#c'),
      text(' now'),
    ]);
    expect(linkify('http://10.0.0.5:7420/')).toEqual([link('http://10.0.0.5:7420/')]);
    expect(linkify('HTTPS://Example.COM/Path')).toEqual([
      link('HTTPS://Example.COM/Path', 'https://example.com/Path'),
    ]);
  });

  it('never makes a link of any other scheme', () => {
    for (const unsafe of [
      'javascript:alert(1)',
      'javascript://example.com/%0Aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://example.com/file',
      'vbscript:msgbox',
      'mailto:a@example.com',
      'parley://10.0.0.5:7420/',
    ]) {
      expect(
        linkify(unsafe).every((part) => part.kind === 'text'),
        unsafe,
      ).toBe(true);
    }
  });

  it('leaves trailing punctuation out of the link', () => {
    expect(linkify('Look: https://example.com/page.')).toEqual([
      text('Look: '),
      link('https://example.com/page'),
      text('.'),
    ]);
    expect(linkify('(see https://example.com/x), ok?')).toEqual([
      text('(see '),
      link('https://example.com/x'),
      text('), ok?'),
    ]);
    expect(linkify('"https://example.com/q?a=1!"')).toEqual([
      text('"'),
      link('https://example.com/q?a=1'),
      text('!"'),
    ]);
    expect(linkify('https://example.com/a...')).toEqual([
      link('https://example.com/a'),
      text('...'),
    ]);
  });

  it('keeps brackets that belong to the address', () => {
    expect(linkify('https://en.wikipedia.org/wiki/Parley_(film).')).toEqual([
      link(
        'https://en.wikipedia.org/wiki/Parley_(film)',
        'https://en.wikipedia.org/wiki/Parley_(film)',
      ),
      text('.'),
    ]);
    expect(linkify('[https://example.com/a[1]]')).toEqual([
      text('['),
      link('https://example.com/a[1]'),
      text(']'),
    ]);
  });

  it('stops at whitespace and at characters that cannot be in an address', () => {
    expect(linkify('<https://example.com/x>')).toEqual([
      text('<'),
      link('https://example.com/x'),
      text('>'),
    ]);
    expect(linkify('https://a.example\nhttps://b.example')).toEqual([
      link('https://a.example', 'https://a.example/'),
      text('\n'),
      link('https://b.example', 'https://b.example/'),
    ]);
  });

  it('refuses disguised and broken addresses', () => {
    for (const plain of [
      'https://bank.example@evil.example/',
      'https://user:pw@example.com/',
      'https://',
      'http://.',
      'https://exa%00mple.com',
      'xhttps://example.com',
      'myhttp://example.com',
    ]) {
      expect(
        linkify(plain).some((part) => part.kind === 'link'),
        plain,
      ).toBe(false);
    }
  });

  it('does not nest one link in another', () => {
    expect(linkify('https://r.example/?to=https://x.example')).toEqual([
      link('https://r.example/?to=https://x.example'),
    ]);
  });
});

describe('mentions', () => {
  const peers = ['Ann', 'Ann Lee', 'bob', 'Zoë', '李雷'];

  it('finds @name of a peer, case-insensitively, and names the peer', () => {
    expect(linkify('hi @BOB, lunch?', peers)).toEqual([
      text('hi '),
      mention('@BOB', 'bob'),
      text(', lunch?'),
    ]);
    expect(linkify('@zoë!', peers)).toEqual([mention('@zoë', 'Zoë'), text('!')]);
    expect(linkify('@李雷 你好', peers)).toEqual([mention('@李雷', '李雷'), text(' 你好')]);
  });

  it('matches the longest peer name after the @ (names may contain spaces)', () => {
    expect(linkify('@Ann Lee here', peers)).toEqual([
      mention('@Ann Lee', 'Ann Lee'),
      text(' here'),
    ]);
    expect(linkify('@Ann here', peers)).toEqual([mention('@Ann', 'Ann'), text(' here')]);
    expect(linkify('@ann leeway', peers)).toEqual([mention('@ann', 'Ann'), text(' leeway')]);
  });

  it('ignores unknown names, longer words and e-mail addresses', () => {
    expect(linkify('@carol hi', peers)).toEqual([text('@carol hi')]);
    expect(linkify('@bobby hi', peers)).toEqual([text('@bobby hi')]);
    expect(linkify('mail bob@example.com', ['example'])).toEqual([text('mail bob@example.com')]);
    expect(linkify('@ alone', peers)).toEqual([text('@ alone')]);
    expect(linkify('hi @bob', [])).toEqual([text('hi @bob')]);
  });

  it('finds mentions next to each other and beside links', () => {
    expect(linkify('@bob@Ann see https://x.example/@bob', peers)).toEqual([
      mention('@bob', 'bob'),
      text('@Ann see '),
      link('https://x.example/@bob'),
    ]);
    expect(linkify('(@bob) @Ann', peers)).toEqual([
      text('('),
      mention('@bob', 'bob'),
      text(') '),
      mention('@Ann', 'Ann'),
    ]);
  });

  it('tells whether a text mentions a given name', () => {
    expect(mentionsName('ping @ann', 'Ann')).toBe(true);
    expect(mentionsName('ping ann', 'Ann')).toBe(false);
    expect(mentionsName('ping @Ann Lee', 'Ann', peers)).toBe(false);
    expect(mentionsName('ping @Ann Lee', 'Ann Lee', peers)).toBe(true);
    expect(mentionedNames('@bob @BOB @Ann', peers)).toEqual(['bob', 'Ann']);
  });
});

describe('any text', () => {
  it('is split into parts that join back to the text exactly', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '@Ann',
        '@ann lee',
        '@bob',
        'https://',
        'http://x.example/(a)',
        ' ',
        '.',
        ')',
      ),
      fc.webUrl(),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const input = pieces.join('');
        const parts = linkify(input, ['Ann', 'Ann Lee', 'bob']);
        expect(parts.map((part) => part.text).join('')).toBe(input);
        for (const part of parts) {
          expect(part.text.length).toBeGreaterThan(0);
          if (part.kind === 'link') expect(part.href).toMatch(/^https?:\/\//);
        }
        for (let i = 1; i < parts.length; i++) {
          expect(parts[i - 1]!.kind === 'text' && parts[i]!.kind === 'text').toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('handles the longest message quickly even with many peers', () => {
    const names = Array.from({ length: 500 }, (_, i) => `peer number ${i}`);
    const input = '@peer number 499 '.repeat(235);
    const started = performance.now();
    const parts = linkify(input, names);
    expect(parts.filter((part) => part.kind === 'mention')).toHaveLength(235);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('returns no parts for empty text', () => {
    expect(linkify('')).toEqual([]);
  });
});
