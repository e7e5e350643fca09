// The errors every service's domain and application code throws, one class per kind of refusal. Adapters translate
// their technology's failures into these (a MongoDB write conflict, a duplicate key, a Kubernetes 409); the GraphQL
// layer maps each kind to one code in one place (libs/subgraph, domain-errors.ts).

/** A request the rules refuse: bad input, a wrong state for it. The message says what would be right. */
export class RuleError extends Error {
  override readonly name: string = 'RuleError';
  constructor(
    message: string,
    /** The input at fault, e.g. `steps[2].weight`. */
    readonly field?: string,
    /** More for a client to act on (a file and line, a limit); shown beside the code. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The thing asked for does not exist. */
export class NotFoundError extends Error {
  override readonly name: string = 'NotFoundError';
}

/** Who is asking is not known: no token, or none that could be verified. */
export class UnauthenticatedError extends Error {
  override readonly name: string = 'UnauthenticatedError';
  constructor(
    message = 'authentication required: send an Authorization: Bearer <token> header (local tokens: npm run mint-token)',
  ) {
    super(message);
  }
}

/** The caller may not do this: a role they do not hold, a machine identity where a person must act, four eyes. */
export class ForbiddenError extends Error {
  override readonly name: string = 'ForbiddenError';
  constructor(
    message: string,
    /** The roles that would allow it, when a role is what is missing. */
    readonly needed?: readonly string[],
    readonly held?: readonly string[],
  ) {
    super(message);
  }
}

/** Someone else changed the record since it was read; the caller should reload and try again. */
export class ConflictError extends Error {
  override readonly name: string = 'ConflictError';
  constructor(
    readonly model: string,
    readonly id: string,
    readonly expectedVersion: number,
    /** null when the record no longer exists. */
    readonly actualVersion: number | null,
    /** Set by retryOnConflict when it gave up: the change was run this many times, each losing a race. */
    readonly attempts?: number,
  ) {
    super(
      actualVersion === null
        ? `${model} ${id} no longer exists (you had version ${expectedVersion})`
        : `${model} ${id} was changed by someone else: you had version ${expectedVersion}, it is now at version ${actualVersion}; reload it and apply your change again`,
    );
  }
}
