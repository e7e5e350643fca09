import { GraphQLError } from 'graphql';
import { ConflictError, ForbiddenError, NotFoundError, RuleError, UnauthenticatedError } from '@flightdeck/kernel';

/**
 * The one place where errors become GraphQL codes clients branch on. Domain and application code throw the shared
 * error classes of libs/kernel (adapters translate their technology's failures into them); every resolver of every
 * subgraph is wrapped (createSubgraph) so that what it throws reaches the client as:
 *
 * | thrown | code | extensions |
 * | --- | --- | --- |
 * | RuleError | BAD_USER_INPUT | `field` (the input at fault) and the error's `details` |
 * | NotFoundError | NOT_FOUND | |
 * | UnauthenticatedError | UNAUTHENTICATED (HTTP 401) | |
 * | ForbiddenError | FORBIDDEN | `needed`, `held` (roles), when a role is what is missing |
 * | ConflictError | CONFLICT | `expectedRevision`, `actualRevision` (null: deleted); after retries the message says how many |
 *
 * GraphQL errors and anything else pass as they are (anything else is an internal error: logged, not explained).
 */
export function toGraphQLError(err: unknown): unknown {
  if (err instanceof GraphQLError) return err;
  if (err instanceof RuleError)
    return coded(err.message, 'BAD_USER_INPUT', { ...(err.field ? { field: err.field } : {}), ...err.details });
  if (err instanceof NotFoundError) return coded(err.message, 'NOT_FOUND');
  if (err instanceof UnauthenticatedError) return coded(err.message, 'UNAUTHENTICATED', { http: { status: 401 } });
  if (err instanceof ForbiddenError)
    return coded(err.message, 'FORBIDDEN', err.needed ? { needed: [...err.needed], held: [...(err.held ?? [])] } : {});
  if (err instanceof ConflictError) {
    const message = err.attempts ? `${err.message} (gave up after ${err.attempts} attempts)` : err.message;
    return coded(message, 'CONFLICT', { expectedRevision: err.expectedVersion, actualRevision: err.actualVersion });
  }
  return err;
}

function coded(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** Wraps a function so that what it throws is rethrown as `toGraphQLError` maps it; a synchronous one stays synchronous. */
export function mapped<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    let result: R;
    try {
      result = fn(...args);
    } catch (err) {
      throw toGraphQLError(err);
    }
    if (result instanceof Promise) return result.catch((err: unknown) => Promise.reject(toGraphQLError(err))) as R;
    return result;
  };
}
