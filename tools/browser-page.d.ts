/** Types of browser-page.js (plain JavaScript, so that node runs it without a TypeScript loader). */

/** The Content-Security-Policy of the real page (renderer/index.html). */
export declare const PAGE_CSP: string;

export interface BrowserPageOptions {
  /** Where the bundles, theme.css and index.html go; created when missing. */
  outdir: string;
  /** Bundle name -> absolute path of its entry; the page loads them in this order. */
  entries: Record<string, string>;
  /** The page's title. Default 'Parley'. */
  title?: string;
  /** Default false. */
  minify?: boolean;
  /** Default true (a .map file beside each bundle); 'inline' puts the map into the bundle. */
  sourcemap?: boolean | 'inline';
}

/** The index.html that loads `scripts` (bundle names, in this order) and the theme. */
export declare function pageHtml(title: string, scripts: readonly string[]): string;

/** Bundles `options.entries` into `options.outdir` with the theme and an index.html loading them. */
export declare function buildBrowserPage(options: BrowserPageOptions): Promise<void>;
