/**
 * Remembers the rendered template of each message row while nothing it depends on changed. The
 * virtualizer re-renders the rows in view several times a frame while messages stream in (new
 * items, a new range, a scroll correction); with this, each of those costs a lookup per row
 * instead of splitting every text into links and mentions again. Lit then finds every value of
 * a reused template unchanged and leaves the row's DOM alone.
 */
import type { TemplateResult } from 'lit';

export class RowTemplates<Row extends object, Before> {
  #entries = new WeakMap<Row, { before: Before; template: TemplateResult }>();
  #dependencies: readonly unknown[] = [];

  /** Forgets every template once any of `dependencies` (compared by identity) changed. */
  dependOn(dependencies: readonly unknown[]): void {
    const same =
      dependencies.length === this.#dependencies.length &&
      dependencies.every((value, index) => value === this.#dependencies[index]);
    if (same) return;
    this.#dependencies = dependencies;
    this.#entries = new WeakMap();
  }

  /**
   * The template of `row` drawn after `before` (rows look different after another row of the
   * same author): the remembered one when both are the same objects as last time.
   */
  get(row: Row, before: Before, render: () => TemplateResult): TemplateResult {
    const entry = this.#entries.get(row);
    if (entry && entry.before === before) return entry.template;
    const template = render();
    this.#entries.set(row, { before, template });
    return template;
  }
}
