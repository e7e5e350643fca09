/**
 * The codes this server answers with, each under the name mongod sends as `codeName`: the name in mongod's
 * src/mongo/base/error_codes.yml, or `Location<code>` for a numbered assertion (uassert) where mongod raises one.
 * test/error-codes.test.ts checks every entry against mongod's list.
 */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  DocumentValidationFailure: 121,
  NotImplemented: 238,
  OperationNotSupportedInTransaction: 263,
  UnsupportedOpQueryCommand: 352,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
  /** A command field that is required is missing (IDL parsing). */
  IDLFailedToParse: 40414,
  /** A command field the command does not know (IDL parsing of a strict command). */
  IDLUnknownField: 40415,
  /** Illegal key in a sort specification (not a number). */
  Location15974: 15974,
  /** A sort direction other than 1 or -1. */
  Location15975: 15975,
  /** $bucket: a value outside the boundaries and no default. */
  Location40066: 40066,
  /** A pipeline stage document with more or less than one field. */
  Location40323: 40323,
  /** An unknown pipeline stage name. */
  Location40324: 40324,
  /** $out not the last stage. */
  Location40601: 40601,
  /** A command's numeric field below its minimum, e.g. a negative skip or batchSize (IDL validator). */
  Location51024: 51024,
} as const;

const names = new Map<number, string>(Object.entries(ErrorCodes).map(([name, code]) => [code, name]));

export function codeName(code: number): string {
  return names.get(code) ?? `Location${code}`;
}

/** An error a command answers with: `{ ok: 0, errmsg, code, codeName, ...extra }`. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: codeName(this.code), ...this.extra };
  }
}

export function badValue(message: string): CommandError {
  return new CommandError(ErrorCodes.BadValue, message);
}

export function typeMismatch(message: string): CommandError {
  return new CommandError(ErrorCodes.TypeMismatch, message);
}

/** Turn anything thrown while running a command (mingo errors included) into MongoDB's error shape. */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CommandError(ErrorCodes.BadValue, message);
}
