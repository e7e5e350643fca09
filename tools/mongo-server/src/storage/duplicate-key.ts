import { EJSON, type Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'ObjectId') return `ObjectId('${(v as { toHexString(): string }).toHexString()}')`;
  return EJSON.stringify(v as Document, { relaxed: true });
}

/** The E11000 error the driver and mongoose recognise, with `keyPattern` and `keyValue`. */
export function duplicateKeyError(ns: string, indexName: string, keyPattern: Document, key: unknown[]): CommandError {
  const keyValue: Document = {};
  Object.keys(keyPattern).forEach((field, i) => (keyValue[field] = key[i]));
  const shown = Object.keys(keyValue)
    .map((f) => `${f}: ${show(keyValue[f])}`)
    .join(', ');
  return new CommandError(
    ErrorCodes.DuplicateKey,
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`,
    {
      keyPattern,
      keyValue,
    },
  );
}
