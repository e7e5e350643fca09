import type { Document } from 'bson';
import { isPlainObject } from './values.js';

/**
 * Every value a dotted path reaches in a document, descending into arrays of sub-documents the way
 * MongoDB does for queries and indexes. A path that reaches nothing yields `undefined`.
 */
export function valuesAtPath(doc: Document, path: string): unknown[] {
  const out: unknown[] = [];
  walk(doc, path.split('.'), 0, out);
  return out.length ? out : [undefined];
}

function walk(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i];
    if (/^\d+$/.test(part) && Number(part) < value.length) walk(value[Number(part)], parts, i + 1, out);
    for (const el of value) if (isPlainObject(el)) walk(el, parts, i, out);
    return;
  }
  if (isPlainObject(value) && parts[i] in value) walk(value[parts[i]], parts, i + 1, out);
}

/** Whether a dotted path reaches any value at all (sparse indexes skip documents where none does). */
export function hasPath(doc: Document, path: string): boolean {
  const out: unknown[] = [];
  walk(doc, path.split('.'), 0, out);
  return out.length > 0;
}
