import { BSON, ObjectId, type Document } from 'bson';
import { isPlainObject } from './storage/values.js';

/** A deep copy that keeps every BSON type (ObjectId, Decimal128, Binary…) as the driver sent it. */
export function cloneDocument(doc: Document): Document {
  return BSON.deserialize(BSON.serialize(doc));
}

/** `_id` first, generated when missing, as mongod stores documents. */
export function withIdFirst(doc: Document): Document {
  const id = doc._id === undefined ? new ObjectId() : doc._id;
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id: _ignored, ...rest } = doc;
  return { _id: id, ...rest };
}

export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let at: Document = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(at[part])) at[part] = {};
    at = at[part] as Document;
  }
  at[parts[parts.length - 1]] = value;
}
