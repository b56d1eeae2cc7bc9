/**
 * The few browser APIs the in-page harness uses. bench/ is type-checked with Node's types only
 * (no DOM library, which would leak into every Node file), so they are declared here and reached
 * through `dom`, as test/renderer/helpers/fixture-page.ts does.
 */

export interface PageRect {
  top: number;
  bottom: number;
  height: number;
}

export interface PageNode {
  readonly shadowRoot: PageNode | null;
  querySelector(selector: string): PageNode | null;
  getBoundingClientRect(): PageRect;
}

export interface PageElement extends PageNode {
  addEventListener(type: string, listener: () => void): void;
}

export interface LongFrameEntry {
  readonly duration: number;
  /** long-animation-frame entries only: the part of the frame no input could get through. */
  readonly blockingDuration?: number;
}

export interface PageObserver {
  observe(options: { type: string; buffered?: boolean }): void;
  takeRecords(): LongFrameEntry[];
  disconnect(): void;
}

export interface PageMessagePort {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(data: unknown): void;
}

export interface PageDom {
  document: {
    createElement(tag: string): PageElement;
    querySelector(selector: string): PageNode | null;
    body: { replaceChildren(...nodes: PageElement[]): void };
  };
  requestAnimationFrame(callback: (time: number) => void): number;
  cancelAnimationFrame(handle: number): void;
  performance: { now(): number; memory?: { usedJSHeapSize: number } };
  PerformanceObserver: {
    new (callback: (list: { getEntries(): LongFrameEntry[] }) => void): PageObserver;
    readonly supportedEntryTypes: readonly string[];
  };
  MessageChannel: new () => { port1: PageMessagePort; port2: PageMessagePort };
  customElements: {
    get(name: string): { prototype: object } | undefined;
    whenDefined(name: string): Promise<unknown>;
  };
}

export const dom = globalThis as unknown as PageDom;

/** The next animation frame's timestamp. */
export function nextFrame(): Promise<number> {
  return new Promise((resolve) => dom.requestAnimationFrame(resolve));
}
