/**
 * "Evaluating Matches" of the unified test format: an expected value (a document, possibly with
 * `$$` operators) against an actual value from the driver. Root-level documents may carry extra
 * fields; nested documents may not; arrays must have the same number of elements.
 */
import { EJSON } from 'bson';
import {
  type Document,
  isDocument,
  isNumeric,
  knownTypeAliases,
  numericCompare,
  scalarEquals,
  show,
  typeAliasesOf,
} from './bson-values.js';

export interface MatchOptions {
  /** Treat the actual value as a root-level document (extra fields allowed). */
  root?: boolean;
  /** The actual value is an iterable result (find, aggregate…): each element is a root-level document. */
  rootElements?: boolean;
  /** Resolves `$$matchesEntity` / `$$sessionLsid` names; throws for an unknown name. */
  entity?: (name: string) => unknown;
  /** Where in the test the expectation sits, for messages (e.g. "expectResult"). */
  path?: string;
}

/** Raised for a malformed expectation (an unknown operator, a bad argument): a fault of the test file, not a mismatch. */
export class ExpectationError extends Error {}

/** Every mismatch found, each as "path: what was expected, what was found"; empty when the values match. */
export function match(expected: unknown, actual: unknown, options: MatchOptions = {}): string[] {
  const problems: string[] = [];
  const entity =
    options.entity ??
    ((name: string) => {
      throw new ExpectationError(`no entity named "${name}"`);
    });
  matchValue(
    expected,
    actual,
    options.path ?? '(value)',
    Boolean(options.root),
    Boolean(options.rootElements),
    entity,
    problems,
  );
  return problems;
}

/** The single `$$` key of an operator document, if `value` is one. */
function operatorOf(value: unknown): string | undefined {
  if (!isDocument(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith('$$') ? keys[0] : undefined;
}

function matchValue(
  expected: unknown,
  given: unknown,
  path: string,
  root: boolean,
  rootElements: boolean,
  entity: (name: string) => unknown,
  problems: string[],
): void {
  const actual = asDocument(given);
  const op = operatorOf(expected);
  if (op) {
    matchOperator(op, (expected as Document)[op], actual, path, root, entity, problems);
    return;
  }
  if (isDocument(expected)) {
    if (!isDocument(actual) && !isResultObject(actual)) {
      problems.push(`${path}: expected a document ${show(expected)}, got ${show(actual)}`);
      return;
    }
    const actualDoc = actual as Document;
    for (const [key, value] of Object.entries(expected)) {
      const at = `${path}.${key}`;
      const fieldOp = operatorOf(value);
      if (fieldOp === '$$exists') {
        const wanted = (value as Document)[fieldOp];
        if (typeof wanted !== 'boolean')
          throw new ExpectationError(`${at}: $$exists takes a boolean, got ${show(wanted)}`);
        const present = actualDoc[key] !== undefined;
        if (present !== wanted)
          problems.push(
            `${at}: expected the field to be ${wanted ? 'present' : 'absent'}, got ${show(actualDoc[key])}`,
          );
        continue;
      }
      if (fieldOp === '$$unsetOrMatches' && actualDoc[key] === undefined) continue;
      if (!fieldOp && actualDoc[key] === undefined) {
        problems.push(`${at}: expected ${show(value)}, but the field is absent`);
        continue;
      }
      matchValue(value, actualDoc[key], at, false, false, entity, problems);
    }
    if (!root) {
      const extra = Object.keys(actualDoc).filter((k) => actualDoc[k] !== undefined && !(k in expected));
      if (extra.length > 0)
        problems.push(`${path}: unexpected extra field(s) ${extra.join(', ')} in a nested document ${show(actual)}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      problems.push(`${path}: expected an array of ${expected.length}, got ${show(actual)}`);
      return;
    }
    if (actual.length !== expected.length) {
      problems.push(`${path}: expected ${expected.length} element(s), got ${actual.length}: ${show(actual)}`);
      return;
    }
    expected.forEach((e, i) => matchValue(e, actual[i], `${path}[${i}]`, rootElements, false, entity, problems));
    return;
  }
  if (isDocument(actual) || Array.isArray(actual)) {
    problems.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (!scalarEquals(expected, actual)) problems.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
}

/** The driver builds ordered documents such as a command's `sort` as a Map: for matching, that is a document. */
function asDocument(value: unknown): unknown {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

/** Driver result classes (BulkWriteResult…) are documents for matching purposes. */
function isResultObject(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !isNumeric(value) &&
    Object.getPrototypeOf(value) !== Object.prototype &&
    !(value instanceof Date) &&
    !ArrayBuffer.isView(value) &&
    !('_bsontype' in value)
  );
}

function matchOperator(
  op: string,
  argument: unknown,
  actual: unknown,
  path: string,
  root: boolean,
  entity: (name: string) => unknown,
  problems: string[],
): void {
  switch (op) {
    case '$$exists':
      throw new ExpectationError(`${path}: $$exists is only valid as the value of a field`);
    case '$$unsetOrMatches':
      if (actual !== undefined) matchValue(argument, actual, path, root, false, entity, problems);
      return;
    case '$$type': {
      const wanted = Array.isArray(argument) ? argument : [argument];
      for (const w of wanted) {
        if (typeof w !== 'string' || (!knownTypeAliases.has(w) && w !== 'number')) {
          throw new ExpectationError(`${path}: $$type takes a $type alias such as "int" or "objectId", got ${show(w)}`);
        }
      }
      const aliases = typeAliasesOf(actual);
      const numeric = aliases.some((a) => ['int', 'long', 'double', 'decimal'].includes(a));
      const ok =
        actual !== undefined && wanted.some((w) => aliases.includes(w as string) || (w === 'number' && numeric));
      if (!ok)
        problems.push(
          `${path}: expected a value of type ${wanted.join(' or ')}, got ${show(actual)} (${aliases.join('/')})`,
        );
      return;
    }
    case '$$matchesEntity':
      if (typeof argument !== 'string') throw new ExpectationError(`${path}: $$matchesEntity takes an entity name`);
      matchValue(entity(argument), actual, path, root, false, entity, problems);
      return;
    case '$$matchesHexBytes': {
      if (typeof argument !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(argument)) {
        throw new ExpectationError(
          `${path}: $$matchesHexBytes takes an even number of hex digits, got ${show(argument)}`,
        );
      }
      const bytes = actualBytes(actual);
      if (bytes === undefined || bytes.toString('hex') !== argument.toLowerCase()) {
        problems.push(
          `${path}: expected bytes ${argument.toLowerCase()}, got ${bytes ? bytes.toString('hex') : show(actual)}`,
        );
      }
      return;
    }
    case '$$sessionLsid': {
      if (typeof argument !== 'string')
        throw new ExpectationError(`${path}: $$sessionLsid takes a session entity name`);
      const session = entity(argument) as { id?: unknown } | undefined;
      if (!session || session.id === undefined)
        throw new ExpectationError(`${path}: entity "${argument}" is not a session`);
      matchValue(session.id, actual, path, false, false, entity, problems);
      return;
    }
    case '$$lte':
      if (!isNumeric(argument)) throw new ExpectationError(`${path}: $$lte takes a number, got ${show(argument)}`);
      if (!isNumeric(actual) || numericCompare(actual, argument) > 0)
        problems.push(`${path}: expected a number <= ${show(argument)}, got ${show(actual)}`);
      return;
    case '$$matchAsDocument': {
      if (typeof actual !== 'string') {
        problems.push(`${path}: expected an Extended JSON string, got ${show(actual)}`);
        return;
      }
      let parsed: unknown;
      try {
        parsed = EJSON.parse(actual, { relaxed: true });
      } catch (error) {
        problems.push(`${path}: the actual string is not Extended JSON (${(error as Error).message})`);
        return;
      }
      matchValue(argument, parsed, path, false, false, entity, problems);
      return;
    }
    case '$$matchAsRoot':
      matchValue(argument, actual, path, true, false, entity, problems);
      return;
    default:
      throw new ExpectationError(
        `${path}: unknown special operator ${op}; known: $$exists, $$type, $$matchesEntity, $$matchesHexBytes, $$unsetOrMatches, $$sessionLsid, $$lte, $$matchAsDocument, $$matchAsRoot`,
      );
  }
}

function actualBytes(actual: unknown): Buffer | undefined {
  if (typeof actual === 'string') return /^([0-9a-fA-F]{2})*$/.test(actual) ? Buffer.from(actual, 'hex') : undefined;
  if (ArrayBuffer.isView(actual)) return Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const binary = actual as { _bsontype?: string; buffer?: Uint8Array } | null;
  if (binary && (binary._bsontype === 'Binary' || binary._bsontype === 'UUID') && binary.buffer)
    return Buffer.from(binary.buffer);
  return undefined;
}

/**
 * Exact comparison for `outcome` collection data: no operators, no extra fields at any level,
 * key order free, flexible numerics.
 */
export function exactMismatches(expected: unknown, actual: unknown, path: string): string[] {
  const problems: string[] = [];
  exact(expected, actual, path, problems);
  return problems;
}

function exact(expected: unknown, given: unknown, path: string, problems: string[]): void {
  const actual = asDocument(given);
  if (isDocument(expected)) {
    if (!isDocument(actual)) {
      problems.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      if (!(key in actual)) problems.push(`${path}.${key}: expected ${show(expected[key])}, but the field is absent`);
      else if (!(key in expected)) problems.push(`${path}.${key}: unexpected field with value ${show(actual[key])}`);
      else exact(expected[key], actual[key], `${path}.${key}`, problems);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      problems.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    expected.forEach((e, i) => exact(e, actual[i], `${path}[${i}]`, problems));
    return;
  }
  if (isDocument(actual) || Array.isArray(actual) || !scalarEquals(expected, actual)) {
    problems.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  }
}
