/**
 * Small helpers to classify and compare the values the driver hands back: plain JS values
 * and `bson` wrapper classes (recognised by their `_bsontype`, so that two copies of `bson`
 * would still compare).
 */

export type Document = Record<string, unknown>;

const numericWrappers = new Set(['Int32', 'Double', 'Long']);

export function bsonTypeOf(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && '_bsontype' in value) {
    const t = (value as { _bsontype: unknown })._bsontype;
    return typeof t === 'string' ? t : undefined;
  }
  return undefined;
}

/** A plain document: neither an array nor a BSON value nor a Date/RegExp/Buffer. */
export function isDocument(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value) || value instanceof Date || value instanceof RegExp || ArrayBuffer.isView(value))
    return false;
  return bsonTypeOf(value) === undefined;
}

export function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || numericWrappers.has(bsonTypeOf(value) ?? '');
}

/** The value of a numeric as a bigint when it is integral, else undefined. */
function integral(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (bsonTypeOf(value) === 'Long') return BigInt((value as { toString(): string }).toString());
  const n = toNumber(value);
  return Number.isInteger(n) ? BigInt(n) : undefined;
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const t = bsonTypeOf(value);
  if (t === 'Long') return Number(BigInt((value as { toString(): string }).toString()));
  if (t === 'Int32' || t === 'Double') return (value as { valueOf(): number }).valueOf();
  return Number.NaN;
}

/** Flexible numeric equality: 1, Int32(1), Long(1) and 1.0 are equal; Decimal128 is not a flexible numeric. */
export function numericEquals(a: unknown, b: unknown): boolean {
  const ia = integral(a);
  const ib = integral(b);
  if (ia !== undefined && ib !== undefined) return ia === ib;
  return toNumber(a) === toNumber(b);
}

export function numericCompare(a: unknown, b: unknown): number {
  const ia = integral(a);
  const ib = integral(b);
  if (ia !== undefined && ib !== undefined) return ia < ib ? -1 : ia > ib ? 1 : 0;
  return toNumber(a) - toNumber(b);
}

/**
 * The `$type` aliases a value answers to. A JS number from the driver may have been an int,
 * a long or a double on the wire (the driver promotes all three), so an integral number answers
 * to all three and a fractional one only to "double".
 */
export function typeAliasesOf(value: unknown): string[] {
  if (value === undefined) return ['undefined'];
  if (value === null) return ['null'];
  if (typeof value === 'string') return ['string'];
  if (typeof value === 'boolean') return ['bool'];
  if (typeof value === 'bigint') return ['long'];
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return ['double'];
    return Math.abs(value) <= 0x7fffffff ? ['int', 'long', 'double'] : ['long', 'double'];
  }
  if (Array.isArray(value)) return ['array'];
  if (value instanceof Date) return ['date'];
  if (value instanceof RegExp) return ['regex'];
  if (ArrayBuffer.isView(value)) return ['binData'];
  const byBsonType: Record<string, string> = {
    Int32: 'int',
    Double: 'double',
    Long: 'long',
    Decimal128: 'decimal',
    ObjectId: 'objectId',
    Binary: 'binData',
    UUID: 'binData',
    Timestamp: 'timestamp',
    BSONRegExp: 'regex',
    Code: 'javascript',
    BSONSymbol: 'symbol',
    DBRef: 'object',
    MinKey: 'minKey',
    MaxKey: 'maxKey',
  };
  const t = bsonTypeOf(value);
  if (t === 'Code') return (value as { scope?: unknown }).scope ? ['javascriptWithScope'] : ['javascript'];
  if (t) return [byBsonType[t] ?? t];
  return ['object'];
}

export const knownTypeAliases = new Set([
  'double',
  'string',
  'object',
  'array',
  'binData',
  'undefined',
  'objectId',
  'bool',
  'date',
  'null',
  'regex',
  'dbPointer',
  'javascript',
  'symbol',
  'javascriptWithScope',
  'int',
  'timestamp',
  'long',
  'decimal',
  'minKey',
  'maxKey',
]);

/** Equality of two values that are neither documents nor arrays. */
export function scalarEquals(expected: unknown, actual: unknown): boolean {
  if (isNumeric(expected) || isNumeric(actual))
    return isNumeric(expected) && isNumeric(actual) && numericEquals(expected, actual);
  if (expected instanceof Date || actual instanceof Date) {
    return expected instanceof Date && actual instanceof Date && expected.getTime() === actual.getTime();
  }
  const te = bsonTypeOf(expected);
  const ta = bsonTypeOf(actual);
  if (te || ta) {
    if (te === 'ObjectId' && ta === 'ObjectId') return String(expected) === String(actual);
    if (te === 'Decimal128' && ta === 'Decimal128') return String(expected) === String(actual);
    if ((te === 'Binary' || te === 'UUID') && (ta === 'Binary' || ta === 'UUID')) {
      const e = expected as { sub_type: number; buffer: Uint8Array };
      const a = actual as { sub_type: number; buffer: Uint8Array };
      return e.sub_type === a.sub_type && Buffer.from(e.buffer).equals(Buffer.from(a.buffer));
    }
    if (te === 'Timestamp' && ta === 'Timestamp') return String(expected) === String(actual);
    if (te === 'MinKey' || te === 'MaxKey') return te === ta;
    if (te !== ta) return false;
    return JSON.stringify(expected) === JSON.stringify(actual);
  }
  if (expected instanceof RegExp && actual instanceof RegExp)
    return expected.source === actual.source && expected.flags === actual.flags;
  return expected === actual;
}

/** A short, readable rendering of a value for failure messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined (absent)';
  try {
    const text = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'bigint' ? `${v}n` : v instanceof Map ? Object.fromEntries(v) : v,
    );
    const t = bsonTypeOf(value);
    const rendered = t ? `${t}(${String(value)})` : (text ?? String(value));
    return rendered.length > 300 ? `${rendered.slice(0, 300)}…` : rendered;
  } catch {
    return String(value);
  }
}
