import type { Document } from 'bson';
import { setPath } from './documents.js';
import { isPlainObject } from './storage/values.js';

const MODIFIERS = ['$each', '$slice', '$sort', '$position'];

/**
 * mingo's $push ignores $sort/$slice/$position when the array does not exist yet (it stores $each
 * as given). mongod applies them to an empty array, so start the missing arrays as [] first.
 * Only plain dotted paths through documents are seeded; positional paths are left to mingo.
 */
export function seedMissingPushArrays(doc: Document, push: unknown): void {
  if (!isPlainObject(push)) return;
  for (const [path, spec] of Object.entries(push)) {
    if (!isPlainObject(spec) || !MODIFIERS.some((m) => m in spec) || path.includes('$')) continue;
    let at: unknown = doc;
    const parts = path.split('.');
    let missing = false;
    for (const part of parts) {
      if (at === undefined) break;
      if (!isPlainObject(at)) {
        at = null; // through an array or a scalar: not ours to decide
        break;
      }
      at = at[part];
      missing = at === undefined;
    }
    if (missing) setPath(doc, path, []);
  }
}
