import { GraphQLError } from 'graphql';
import { ConflictError, InvalidCursorError } from '@flightdeck/persistence';
import { NotFoundError, RolloutRuleError } from '../../domain/index.js';

/** Domain and persistence errors as GraphQL errors with a code clients can act on (as in the other services). */
export function toGraphQLError(err: unknown): unknown {
  if (err instanceof GraphQLError) return err;
  if (err instanceof RolloutRuleError) return new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', field: err.field } });
  if (err instanceof NotFoundError) return new GraphQLError(err.message, { extensions: { code: 'NOT_FOUND' } });
  if (err instanceof ConflictError) return new GraphQLError(err.message, { extensions: { code: 'CONFLICT', expectedRevision: err.expectedVersion, actualRevision: err.actualVersion } });
  if (err instanceof InvalidCursorError) return new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  if (err instanceof RangeError && /^first must be/.test(err.message)) return new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
  return err;
}

export function mapped<A extends unknown[], R>(fn: (...args: A) => Promise<R> | R): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toGraphQLError(err);
    }
  };
}
