import { type Document } from 'bson';
import { Query } from 'mingo';
import { hasPath, valuesAtPath } from './paths.js';
import { SortedEntries, type Entry } from './sorted-entries.js';
import { compareValues, typeRank } from './values.js';

/** An index as `createIndexes` describes it and `listIndexes` reports it. */
export interface IndexSpec {
  v?: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Document;
  [option: string]: unknown;
}

/** Limits the multikey cross product of a compound index over several arrays. */
const MAX_KEYS_PER_DOCUMENT = 10_000;

export interface Bound {
  value: unknown;
  inclusive: boolean;
}

/** A secondary index: entries in key order for lookups and ranges, enforcing uniqueness when asked. */
export class SecondaryIndex {
  readonly fields: string[];
  readonly directions: number[];
  private readonly entries: SortedEntries;
  private readonly partial?: Query;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.directions = this.fields.map((f) => (Number(spec.key[f]) < 0 ? -1 : 1));
    this.entries = new SortedEntries((a, b) => this.compareKeys(a.key, b.key) || a.seq - b.seq);
    if (spec.partialFilterExpression) this.partial = new Query(spec.partialFilterExpression, {});
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether this index can serve a lookup for every document (sparse and partial indexes cannot). */
  get complete(): boolean {
    return !this.spec.sparse && !this.partial;
  }

  private compareKeys(a: unknown[], b: unknown[]): number {
    for (let i = 0; i < a.length; i++) {
      const c = compareValues(a[i], b[i]);
      if (c) return c * this.directions[i];
    }
    return 0;
  }

  /** The distinct keys of one document; none when a sparse or partial index leaves it out. */
  keysOf(doc: Document): unknown[][] {
    if (this.partial && !this.partial.test(doc)) return [];
    if (this.spec.sparse && !this.fields.some((f) => hasPath(doc, f))) return [];
    let keys: unknown[][] = [[]];
    for (const field of this.fields) {
      const values = valuesAtPath(doc, field).flatMap((v) => (Array.isArray(v) ? (v.length ? v : [undefined]) : [v]));
      const next: unknown[][] = [];
      for (const prefix of keys) for (const v of values) next.push([...prefix, v === undefined ? null : v]);
      keys = next.slice(0, MAX_KEYS_PER_DOCUMENT);
    }
    if (keys.length <= 1) return keys;
    const unique: unknown[][] = [];
    for (const k of keys) if (!unique.some((u) => this.compareKeys(u, k) === 0)) unique.push(k);
    return unique;
  }

  add(doc: Document, id: string, seq: number): void {
    for (const key of this.keysOf(doc)) this.entries.insert({ key, seq, id });
  }

  remove(doc: Document, id: string, seq: number): void {
    for (const key of this.keysOf(doc)) this.entries.remove({ key, seq, id });
  }

  /** The record id of another document holding one of these keys, for unique indexes. */
  conflict(keys: unknown[][], selfId?: string): { key: unknown[]; id: string } | undefined {
    for (const key of keys) {
      for (const e of this.entries.scan(
        (x) => this.compareKeys(x.key, key) < 0,
        (x) => this.compareKeys(x.key, key) > 0,
      )) {
        if (e.id !== selfId) return { key, id: e.id };
      }
    }
    return undefined;
  }

  /** Entries whose first field lies between the bounds (within the bounds' type bracket). */
  range(lower: Bound | undefined, upper: Bound | undefined): Generator<Entry> {
    const rank = typeRank((lower ?? upper)!.value);
    const belowLower = (v: unknown): boolean => {
      if (typeRank(v) !== rank) return typeRank(v) < rank;
      if (!lower) return false;
      const c = compareValues(v, lower.value);
      return lower.inclusive ? c < 0 : c <= 0;
    };
    const aboveUpper = (v: unknown): boolean => {
      if (typeRank(v) !== rank) return typeRank(v) > rank;
      if (!upper) return false;
      const c = compareValues(v, upper.value);
      return upper.inclusive ? c > 0 : c >= 0;
    };
    if (this.directions[0] > 0)
      return this.entries.scan(
        (e) => belowLower(e.key[0]),
        (e) => aboveUpper(e.key[0]),
      );
    return this.entries.scan(
      (e) => aboveUpper(e.key[0]),
      (e) => belowLower(e.key[0]),
    );
  }

  all(): Generator<Entry> {
    return this.entries.all();
  }
}
