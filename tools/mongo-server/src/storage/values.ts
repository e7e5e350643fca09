import { EJSON, type Document } from 'bson';

/**
 * MongoDB's comparison order of BSON values (MinKey < null < numbers < strings < objects < arrays <
 * binary < ObjectId < booleans < dates < timestamps < regular expressions < MaxKey), used by indexes.
 */
export function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    case 'boolean':
      return 8;
  }
  if (Array.isArray(v)) return 5;
  if (v instanceof Date) return 9;
  if (v instanceof RegExp) return 11;
  if (v instanceof Uint8Array) return 6;
  switch ((v as { _bsontype?: string })._bsontype) {
    case 'MinKey':
      return 0;
    case 'MaxKey':
      return 12;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return 2;
    case 'BSONSymbol':
      return 3;
    case 'Binary':
      return 6;
    case 'ObjectId':
      return 7;
    case 'Timestamp':
      return 10;
    case 'BSONRegExp':
      return 11;
  }
  return 4;
}

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'Long') return (v as { toNumber(): number }).toNumber();
  if (t === 'Int32' || t === 'Double') return (v as { valueOf(): number }).valueOf();
  return Number(String(v));
}

function cmp(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  return (v as { buffer: Uint8Array }).buffer;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
    case 1:
    case 12:
      return 0;
    case 2:
      return cmp(toNumber(a), toNumber(b));
    case 3:
      return cmp(String(a), String(b));
    case 4: {
      const ka = Object.keys(a as object);
      const kb = Object.keys(b as object);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const va = (a as Document)[ka[i]];
        const vb = (b as Document)[kb[i]];
        const byType = typeRank(va) - typeRank(vb);
        if (byType) return byType;
        const byName = cmp(ka[i], kb[i]);
        if (byName) return byName;
        const byValue = compareValues(va, vb);
        if (byValue) return byValue;
      }
      return ka.length - kb.length;
    }
    case 5: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c) return c;
      }
      return xa.length - xb.length;
    }
    case 6: {
      const ba = bytesOf(a);
      const bb = bytesOf(b);
      if (ba.length !== bb.length) return ba.length - bb.length;
      return Buffer.compare(ba, bb);
    }
    case 7:
      return cmp((a as { toHexString(): string }).toHexString(), (b as { toHexString(): string }).toHexString());
    case 8:
      return Number(a) - Number(b);
    case 9:
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case 10:
      return (a as { compare(o: unknown): number }).compare(b);
    case 11:
      return cmp(String(a), String(b));
  }
  return 0;
}

/** A string that is equal for two `_id` values exactly when MongoDB treats them as the same key. */
export function idKey(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return `s:${v}`;
    case 'number':
      return `n:${Object.is(v, -0) ? 0 : v}`;
    case 'boolean':
      return `b:${v}`;
  }
  if (v === null || v === undefined) return 'z';
  if (v instanceof Date) return `d:${v.getTime()}`;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'ObjectId') return `o:${(v as { toHexString(): string }).toHexString()}`;
  if (t === 'Long' || t === 'Int32' || t === 'Double' || t === 'Decimal128') return `n:${toNumber(v)}`;
  return `j:${EJSON.stringify(v as Document, { relaxed: true })}`;
}

export function isPlainObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The BSON type name mongod uses in its messages, for a decoded value. */
export function bsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  const t = (v as { _bsontype?: string } | undefined)?._bsontype;
  if (t)
    return (
      (
        {
          Long: 'long',
          Int32: 'int',
          Double: 'double',
          Decimal128: 'decimal',
          ObjectId: 'objectId',
          Binary: 'binData',
        } as Record<string, string>
      )[t] ?? t
    );
  if (v instanceof Date) return 'date';
  return typeof v === 'object' ? 'object' : typeof v;
}
