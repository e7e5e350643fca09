import { GraphQLError } from 'graphql';
import { ConflictError } from '@flightdeck/persistence';
import { AnalyticsRuleError, NotFoundError } from '../../domain/errors.js';

/** Domain and persistence errors as GraphQL errors with a code clients can act on (as in the other services). */
export function toGraphQLError(err: unknown): unknown {
  if (err instanceof GraphQLError) return err;
  if (err instanceof AnalyticsRuleError) return new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', ...(err.field ? { field: err.field } : {}) } });
  if (err instanceof NotFoundError) return new GraphQLError(err.message, { extensions: { code: 'NOT_FOUND' } });
  if (err instanceof ConflictError) return new GraphQLError(err.message, { extensions: { code: 'CONFLICT', expectedRevision: err.expectedVersion, actualRevision: err.actualVersion } });
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
