import type { Document } from 'bson';
import { CommandError, ErrorCodes } from './errors.js';
import { bsonTypeName, isPlainObject } from './storage/values.js';

/**
 * mongod's checks of update operators, with its codes: those of the update document alone (at parse time, so they
 * fail even when nothing matches) and those against the document being updated (before anything in it changes).
 * mingo applies the operators afterwards; it checks none of this.
 */

const NUMERIC_TYPES = new Set(['int', 'long', 'double', 'decimal']);
const isNumeric = (v: unknown) => NUMERIC_TYPES.has(bsonTypeName(v));
const ARITHMETIC: Record<string, string> = { $inc: 'increment', $mul: 'multiply' };

/** One operator per path: a path and another that is the same or lies inside it conflict (mongod: 40). */
function claimPath(claimed: string[], path: string): void {
  for (const other of claimed) {
    const at = other === path || path.startsWith(`${other}.`) ? other : other.startsWith(`${path}.`) ? path : undefined;
    if (at !== undefined)
      throw new CommandError(
        ErrorCodes.ConflictingUpdateOperators,
        `Updating the path '${path}' would create a conflict at '${at}'`,
      );
  }
  claimed.push(path);
}

/** The checks that need only the update document: arguments, and paths claimed by two operators. */
export function checkOperators(ops: Document): void {
  const claimed: string[] = [];
  for (const [op, args] of Object.entries(ops)) {
    if (!isPlainObject(args)) continue;
    for (const [path, arg] of Object.entries(args)) {
      const verb = ARITHMETIC[op];
      if (verb && !isNumeric(arg))
        throw new CommandError(
          ErrorCodes.TypeMismatch,
          `Cannot ${verb} with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`,
        );
      if (op === '$pop' && arg !== 1 && arg !== -1)
        throw new CommandError(ErrorCodes.FailedToParse, `$pop expects 1 or -1, found: ${JSON.stringify(arg)}`);
      if (op === '$rename') {
        if (typeof arg !== 'string')
          throw new CommandError(
            ErrorCodes.BadValue,
            `The 'to' field for $rename must be a string: ${path}: ${JSON.stringify(arg)}`,
          );
        if (arg === path)
          throw new CommandError(
            ErrorCodes.BadValue,
            `The source and target field for $rename must differ: ${path}: ${JSON.stringify(arg)}`,
          );
        if (arg.startsWith(`${path}.`) || path.startsWith(`${arg}.`)) {
          throw new CommandError(
            ErrorCodes.BadValue,
            `The source and target field for $rename must not be on the same path: ${path}: ${JSON.stringify(arg)}`,
          );
        }
        claimPath(claimed, path);
        claimPath(claimed, arg);
        continue;
      }
      claimPath(claimed, path);
    }
  }
}

/** The value a plain dotted path (no positional `$` parts) holds in a document; undefined when it holds none. */
function valueAt(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (part.startsWith('$')) return undefined;
    if (Array.isArray(value) && /^\d+$/.test(part)) value = value[Number(part)];
    else if (isPlainObject(value)) value = value[part];
    else return undefined;
  }
  return value;
}

/** The checks against the document being updated: an operator on a value of a type it cannot work on. */
export function checkOperandTypes(doc: Document, ops: Document): void {
  const id = JSON.stringify(doc._id);
  for (const [op, args] of Object.entries(ops)) {
    if (!isPlainObject(args)) continue;
    for (const path of Object.keys(args)) {
      const current = valueAt(doc, path);
      if (current === undefined) continue;
      const type = bsonTypeName(current);
      if (ARITHMETIC[op] && !isNumeric(current)) {
        throw new CommandError(
          ErrorCodes.TypeMismatch,
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${id}} has the field '${path}' of non-numeric type ${type}`,
        );
      }
      if (Array.isArray(current)) continue;
      if (op === '$push')
        throw new CommandError(
          ErrorCodes.BadValue,
          `The field '${path}' must be an array but is of type ${type} in document {_id: ${id}}`,
        );
      if (op === '$addToSet')
        throw new CommandError(
          ErrorCodes.BadValue,
          `Cannot apply $addToSet to non-array field. Field named '${path}' has non-array type ${type}`,
        );
      if (op === '$pull' || op === '$pullAll')
        throw new CommandError(ErrorCodes.BadValue, `Cannot apply ${op} to a non-array value`);
      if (op === '$pop')
        throw new CommandError(
          ErrorCodes.TypeMismatch,
          `Path '${path}' contains an element of non-array type '${type}'`,
        );
    }
  }
}
