/**
 * Chat Markdown in the real browser: what formats, and a hostile corpus that must render inert
 * (no script, no handler, no image, no link but http(s)) and fast (each message within 50 ms).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useFixturePages } from '../helpers/fixture';

const pages = useFixturePages();

/** Per message, making its HTML (parse and sanitise) takes at most this long. */
const BUDGET_MS = 50;

const HOSTILE: Record<string, string> = {
  rawHtml: '<script>window.pwned = 1</script><b onclick="pwned=2">x</b><iframe src="/"></iframe>',
  imgTag: '<img src=x onerror="window.pwned = 3"> and ![alt](https://example.com/a.png)',
  javascriptLink:
    '[click](javascript:window.pwned=4) and <javascript:alert(1)> and [x](JAVASCRIPT:alert(1))',
  dataLink:
    '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) data:text/html,<b>x</b>',
  otherSchemes: '[f](file:///etc/passwd) [v](vbscript:msgbox) [u](https://user:pw@example.com/)',
  svg: '<svg onload="window.pwned=5"><a xlink:href="javascript:alert(1)">x</a></svg>',
  styleAttr: '<span style="background:url(javascript:alert(1))">x</span> <style>*{}</style>',
  entityTricks: '[x](&#106;avascript:alert(1)) [y](java\tscript:alert(1)) [z](\u0000javascript:x)',
  // `- - - x` nests a list per dash: 5,000 levels in one line.
  nestedLists: `${'- '.repeat(5000)}x`,
  // Each line one level deeper (4,000 code points, the longest message the host takes).
  indentedLists: Array.from(
    { length: 60 },
    (_, depth) => `${'  '.repeat(depth)}- level ${depth}`,
  ).join('\n'),
  numberedLists: `${'1. '.repeat(3000)}x`,
  nestedQuotes: `${'>'.repeat(5000)} deep`,
  nestedBrackets: `${'['.repeat(10_000)}x${']'.repeat(10_000)}(https://example.com)`,
  nestedParens: `[a](${'('.repeat(10_000)}https://example.com${')'.repeat(10_000)})`,
  nestedEmphasis: `${'*_'.repeat(3000)}x${'_*'.repeat(3000)}`,
  manyBackticks: '`'.repeat(20_000),
  longLine: 'a'.repeat(100_000),
};

/** Messages' HTML made in the page: the fixture's bundle of renderer/markdown/message-html.ts. */
interface MarkdownBundle {
  messageHtml(text: string, mentions: { peerNames: string[]; selfName: string }): string;
}

/** Loads the bundle into the page (as a string: the test's own code is transformed by vitest). */
async function loadMarkdown(page: Page): Promise<void> {
  await page.evaluate(
    'import("./markdown.js").then((bundle) => { globalThis.parleyMarkdown = bundle; })',
  );
}

/** A message's sanitised HTML as the list shows it, made in the page, and how long it took. */
async function render(
  page: Page,
  text: string,
  peerNames: string[] = [],
): Promise<{ html: string; ms: number }> {
  return page.evaluate(
    ({ text, peerNames }) => {
      const page = globalThis as unknown as {
        parleyMarkdown: MarkdownBundle;
        performance: { now(): number };
      };
      const start = page.performance.now();
      const html = page.parleyMarkdown.messageHtml(text, {
        peerNames,
        selfName: peerNames[0] ?? '',
      });
      return { html, ms: page.performance.now() - start };
    },
    { text, peerNames },
  );
}

/** Puts `html` into a detached element of the page and says what dangerous things it holds. */
async function dangers(page: Page, html: string): Promise<string[]> {
  return page.locator('body').evaluate((body, html) => {
    const holder = body.ownerDocument.createElement('div');
    holder.innerHTML = html;
    const found: string[] = [];
    for (const element of holder.querySelectorAll('*')) {
      const tag = element.tagName.toLowerCase();
      if (['script', 'img', 'iframe', 'svg', 'style', 'object', 'embed', 'form'].includes(tag)) {
        found.push(`<${tag}>`);
      }
      for (const attribute of element.attributes) {
        if (
          attribute.name.startsWith('on') ||
          attribute.name === 'style' ||
          attribute.name === 'src'
        ) {
          found.push(`${tag}[${attribute.name}]`);
        }
      }
      const href = element.getAttribute('href');
      if (href !== null && !/^https?:\/\//i.test(href)) found.push(`href ${href}`);
      if (href !== null && /@/.test(new URL(href).host))
        found.push(`href with credentials ${href}`);
    }
    return found;
  }, html);
}

describe('message markdown', () => {
  it('formats bold, italics, strike, code, quotes, lists and links, and marks mentions', async () => {
    const page = await pages.newPage();
    await loadMarkdown(page);
    const { html } = await render(
      page,
      '**bold** _it_ ~~gone~~ `a < b`\n> quoted\n\n- one\n- two\n\nsee https://example.com/x and @Bob',
      ['Ada', 'Bob'],
    );
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>it</em>');
    expect(html).toContain('<s>gone</s>');
    expect(html).toContain('<code>a &lt; b</code>');
    expect(html).toMatch(/<blockquote[^>]*><p dir="auto">quoted<\/p><\/blockquote>/);
    expect(html).toMatch(/<ul><li dir="auto">one<\/li><li dir="auto">two<\/li><\/ul>/);
    expect(html).toContain(
      '<a href="https://example.com/x" target="_blank" rel="noopener noreferrer" title="https://example.com/x">',
    );
    expect(html).toContain('<span class="mention">@Bob</span>');
    expect(await dangers(page, html)).toEqual([]);
  });

  it('keeps a code block as written and lets it scroll sideways in the list', async () => {
    const page = await pages.newPage();
    const code = '```\nfunction f() {\n    return   1;   // ' + 'x'.repeat(400) + '\n}\n```';
    await page.evaluate((code) => {
      const fixture = parleyFixture;
      const from = { id: 'b', name: 'Bob' };
      const entries = [fixture.entries.textEntry({ seq: 1, from, text: code })];
      fixture.mount('message-list', {
        rows: fixture.rows({ entries, presence: [], outbox: [], self: { id: 'a', name: 'Ada' } }),
        conv: 'general',
        peerNames: ['Ada', 'Bob'],
        selfName: 'Ada',
      });
    }, code);
    const pre = page.locator('message-list [data-seq="1"] pre');
    await expect.poll(() => pre.count()).toBe(1);
    expect(await pre.textContent()).toContain('    return   1;   // ');
    const box = await pre.evaluate((element) => {
      const style = element.ownerDocument.defaultView!.getComputedStyle(element);
      return {
        whiteSpace: style.whiteSpace,
        overflowX: style.overflowX,
        scrolls: element.scrollWidth > element.clientWidth,
      };
    });
    expect(box).toEqual({ whiteSpace: 'pre', overflowX: 'auto', scrolls: true });
    // Text blocks read their own direction (right to left for Arabic or Hebrew).
    expect(await page.locator('message-list [data-seq="1"] .text').getAttribute('dir')).toBe(
      'auto',
    );
  });

  it('renders a hostile corpus inert, each message within 50 ms', async () => {
    const page = await pages.newPage();
    await loadMarkdown(page);
    // The first render pays for compiling the code paths: not what a message costs.
    await render(page, '**warm** up');
    for (const [name, text] of Object.entries(HOSTILE)) {
      // The median of three: one render may also pay for compiling a code path, or lose the
      // core to another process (two cores are shared by every test and helper here).
      const runs = [await render(page, text), await render(page, text), await render(page, text)];
      const ms = runs.map((run) => run.ms).sort((a, b) => a - b)[1]!;
      const html = runs[0]!.html;
      expect({ name, dangers: await dangers(page, html) }).toEqual({ name, dangers: [] });
      expect({ name, slow: ms > BUDGET_MS ? ms : 0 }).toEqual({ name, slow: 0 });
    }
    // And in the list itself: nothing ran, nothing loaded.
    await page.evaluate((texts) => {
      const fixture = parleyFixture;
      const from = { id: 'b', name: 'Bob' };
      const entries = texts.map((text, index) =>
        fixture.entries.textEntry({ seq: index + 1, from, text }),
      );
      fixture.mount('message-list', {
        rows: fixture.rows({ entries, presence: [], outbox: [], self: { id: 'a', name: 'Ada' } }),
        conv: 'general',
      });
    }, Object.values(HOSTILE));
    await expect.poll(() => page.locator('message-list [data-seq]').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('message-list img, message-list script').count()).toBe(0);
  });
});
