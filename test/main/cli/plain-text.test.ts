import { describe, expect, it } from 'vitest';
import { plainText } from '../../../main/cli/plain-text';

describe('plainText', () => {
  it.each([
    ['**bold**, _italics_, ~~strike~~ and `code`', 'bold, italics, strike and code'],
    ['- one\n- two\n\n1. first\n2. second', '- one\n- two\n1. first\n2. second'],
    ['> quoted\n> still', '> quoted\n> still'],
    ['```\nx  = 1\n  y\n```', '    x  = 1\n      y'],
    [
      '[the site](https://example.org) and https://example.com',
      'the site (https://example.org) and https://example.com',
    ],
    ['<b>raw html</b> stays as typed', '<b>raw html</b> stays as typed'],
    ['# Title\n\nbody', 'Title\nbody'],
  ])('%j reads as %j', (markdown, plain) => {
    expect(plainText(markdown)).toBe(plain);
  });
});
