import { ObjectId, UUID, type Document } from 'bson';
import { Query } from 'mingo';
import { CommandError, ErrorCodes } from '../errors.js';
import { duplicateKeyError } from './duplicate-key.js';
import { indexablePredicates, type FieldPredicate } from './planner.js';
import { SecondaryIndex, type IndexSpec } from './secondary-index.js';
import { idKey } from './values.js';

interface StoredRecord {
  seq: number;
  doc: Document;
}

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/**
 * One collection: documents by `_id` (a hash lookup) and its secondary indexes. Documents are
 * never mutated in place — a write swaps in a new object — so open cursors keep a stable view.
 */
export class Collection {
  private readonly records = new Map<string, StoredRecord>();
  readonly indexes = new Map<string, SecondaryIndex>();
  private nextSeq = 1;
  readonly uuid: UUID;
  private readonly validator?: Query;

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Document = {},
    uuid?: UUID,
  ) {
    this.uuid = uuid ?? new UUID();
    if (options.validator && options.validationLevel !== 'off' && options.validationAction !== 'warn')
      this.validator = new Query(options.validator, {});
  }

  /** A collection's validator (query operators), as mongod applies it with validationAction 'error'. */
  checkValidator(doc: Document, old?: Document): void {
    if (!this.validator || this.validator.test(doc)) return;
    if (old && this.options.validationLevel === 'moderate' && !this.validator.test(old)) return;
    throw new CommandError(ErrorCodes.DocumentValidationFailure, 'Document failed validation', {
      errInfo: { failingDocumentId: doc._id, details: { operatorName: '$and', schemaRulesNotSatisfied: [] } },
    });
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get count(): number {
    return this.records.size;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((i) => i.spec)];
  }

  *documents(): Generator<Document> {
    for (const r of this.records.values()) yield r.doc;
  }

  getByKey(key: string): Document | undefined {
    return this.records.get(key)?.doc;
  }

  getById(id: unknown): Document | undefined {
    return this.records.get(idKey(id))?.doc;
  }

  /** Check every unique constraint for a new or changed document, without changing anything. */
  checkUnique(doc: Document, selfKey?: string): void {
    if (doc._id === undefined) throw new CommandError(ErrorCodes.InvalidIdField, 'document is missing _id');
    const key = idKey(doc._id);
    if (key !== selfKey && this.records.has(key)) throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, [doc._id]);
    for (const index of this.indexes.values()) {
      if (!index.spec.unique) continue;
      const hit = index.conflict(index.keysOf(doc), selfKey);
      if (hit) throw duplicateKeyError(this.ns, index.spec.name, index.spec.key, hit.key);
    }
  }

  insert(doc: Document): void {
    this.checkUnique(doc);
    this.put(doc);
  }

  /** Store without checks: used by recovery, whose writes were all checked when first acknowledged. */
  put(doc: Document): void {
    const key = idKey(doc._id);
    const old = this.records.get(key);
    if (old) return this.replace(old.doc, doc, false);
    const record = { seq: this.nextSeq++, doc };
    this.records.set(key, record);
    for (const index of this.indexes.values()) index.add(doc, key, record.seq);
  }

  replace(oldDoc: Document, newDoc: Document, check = true): void {
    const key = idKey(oldDoc._id);
    const record = this.records.get(key);
    if (!record) throw new CommandError(ErrorCodes.InternalError, `document ${key} vanished during an update`);
    if (check) this.checkUnique(newDoc, key);
    for (const index of this.indexes.values()) index.remove(record.doc, key, record.seq);
    record.doc = newDoc;
    for (const index of this.indexes.values()) index.add(newDoc, key, record.seq);
  }

  remove(doc: Document): boolean {
    const key = idKey(doc._id);
    const record = this.records.get(key);
    if (!record) return false;
    for (const index of this.indexes.values()) index.remove(record.doc, key, record.seq);
    this.records.delete(key);
    return true;
  }

  createIndex(spec: IndexSpec): void {
    const index = new SecondaryIndex(spec);
    for (const [key, record] of this.records) {
      if (spec.unique) {
        const hit = index.conflict(index.keysOf(record.doc), key);
        if (hit) throw duplicateKeyError(this.ns, spec.name, spec.key, hit.key);
      }
      index.add(record.doc, key, record.seq);
    }
    this.indexes.set(spec.name, index);
  }

  dropIndex(name: string): void {
    this.indexes.delete(name);
  }

  /**
   * The documents a filter can match, found through `_id` or a secondary index when the filter
   * allows it, in natural (insertion) order; every document when no index applies. The caller
   * still applies the whole filter to each one.
   */
  candidates(filter: Document | undefined): { docs: Iterable<Document>; index?: string } {
    if (!filter || !Object.keys(filter).length) return { docs: this.documents() };
    const predicates = indexablePredicates(filter);
    const byId = predicates.get('_id');
    if (byId?.kind === 'eq') {
      const docs: Document[] = [];
      const seen = new Set<string>();
      for (const v of byId.values) {
        const key = idKey(v);
        const r = this.records.get(key);
        if (r && !seen.has(key)) {
          seen.add(key);
          docs.push(r.doc);
        }
      }
      return { docs, index: '_id_' };
    }
    const choice = this.chooseIndex(predicates);
    if (!choice) return { docs: this.documents() };
    const { index, predicate } = choice;
    const found = new Map<string, number>();
    const scans =
      predicate.kind === 'eq'
        ? predicate.values.map((v) => index.range({ value: v, inclusive: true }, { value: v, inclusive: true }))
        : [index.range(predicate.lower, predicate.upper)];
    for (const scan of scans) for (const e of scan) found.set(e.id, e.seq);
    const ids = [...found].sort((a, b) => a[1] - b[1]);
    return { docs: ids.map(([id]) => this.records.get(id)!.doc), index: index.spec.name };
  }

  private chooseIndex(
    predicates: Map<string, FieldPredicate>,
  ): { index: SecondaryIndex; predicate: FieldPredicate } | undefined {
    let best: { index: SecondaryIndex; predicate: FieldPredicate; score: number } | undefined;
    for (const index of this.indexes.values()) {
      if (!index.complete) continue;
      const predicate = predicates.get(index.fields[0]);
      if (!predicate) continue;
      const score =
        (predicate.kind === 'eq' ? 4 : predicate.lower && predicate.upper ? 2 : 1) + (index.spec.unique ? 1 : 0);
      if (!best || score > best.score) best = { index, predicate, score };
    }
    return best;
  }

  clear(): void {
    this.records.clear();
    for (const [name, index] of this.indexes) this.indexes.set(name, new SecondaryIndex(index.spec));
  }
}

export function newObjectId(): ObjectId {
  return new ObjectId();
}
