/** MongoDB's own error codes and names, so the driver and mongoose recognise the errors we send. */
export const ErrorCodes = {
  InternalError: 1,
  Unauthorized: 13,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  InvalidLength: 16,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NotImplemented: 238,
  OperationNotSupportedInTransaction: 263,
  Location40352: 40352,
  DuplicateKey: 11000,
  DocumentValidationFailure: 121,
  BSONObjectTooLarge: 10334,
  InvalidIdField: 53,
  DollarPrefixedFieldName: 52,
  ConflictingUpdateOperators: 40,
  FailedToParseUpdate: 9,
  UnknownPipelineStage: 40324,
  Location40601: 40601,
} as const;

const names: Record<number, string> = {};
for (const [name, code] of Object.entries(ErrorCodes)) if (!(code in names)) names[code] = name;
names[9] = 'FailedToParse';

export function codeName(code: number): string {
  return names[code] ?? 'UnknownError';
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
