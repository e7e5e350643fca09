import type { Release } from './release.js';

/** A table cell: no pipes or line breaks of its own. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function heading(r: Pick<Release, 'product' | 'version'>): string {
  return `${r.product} ${r.version}`;
}

/** Items as a Markdown list, or one line saying there are none. */
export function list(items: readonly string[], none = 'None.'): string[] {
  return items.length ? items.map((i) => `- ${i}`) : [`- ${none}`];
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
