/**
 * The last gate before message HTML reaches the DOM: DOMPurify keeps only the elements and
 * attributes chat Markdown makes (message-markdown.ts), whatever the parser let through. Links
 * keep only http(s) targets and always open outside the page without telling it who opened them;
 * blocks read their direction from their own text (`dir="auto"`), so Arabic or Hebrew lines run
 * right to left beside English ones.
 */
import DOMPurify from 'dompurify';
import type { Config } from 'dompurify';

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  's',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'span',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start'];
/** Blocks of text whose direction follows their first strong character. */
const OWN_DIRECTION = new Set(['P', 'LI', 'BLOCKQUOTE']);
/** The only classes a message may carry: the mention highlight (see message-list styles). */
const ALLOWED_CLASSES = new Set(['mention', 'mention me']);

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOWED_URI_REGEXP: /^https?:\/\//i,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
};

let purifier: ReturnType<typeof DOMPurify> | undefined;

function configured(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  const instance = DOMPurify(window);
  instance.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName !== 'class') return;
    data.keepAttr = node.nodeName === 'SPAN' && ALLOWED_CLASSES.has(data.attrValue);
  });
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
      // Where a link goes shows on hover, whatever its text says.
      const href = node.getAttribute('href');
      if (href) node.setAttribute('title', href);
    } else if (OWN_DIRECTION.has(node.nodeName)) {
      node.setAttribute('dir', 'auto');
    }
  });
  purifier = instance;
  return instance;
}

/** `html` with everything but chat formatting removed; safe for Lit's unsafeHTML. */
export function sanitizeMessageHtml(html: string): string {
  return configured().sanitize(html, { ...CONFIG, RETURN_TRUSTED_TYPE: false }) as string;
}
