import { GraphQLError } from 'graphql';
import { ConflictError } from '@flightdeck/persistence';
import { GateForbiddenError, GateRuleError, NotFoundError } from '../../domain/index.js';
import { EvidenceParseError } from '../parsers/index.js';

/** The domain's errors as GraphQL errors with the codes clients branch on; anything else stays an internal error. */
export function toGraphQLError(err: unknown): unknown {
  if (err instanceof GraphQLError) return err;
  if (err instanceof EvidenceParseError) {
    return new GraphQLError(`evidence refused, nothing was stored: ${err.message}`, { extensions: { code: 'BAD_USER_INPUT', file: err.file, line: err.line, column: err.column } });
  }
  if (err instanceof GateRuleError) return new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', ...(err.field ? { field: err.field } : {}) } });
  if (err instanceof GateForbiddenError) return new GraphQLError(err.message, { extensions: { code: 'FORBIDDEN' } });
  if (err instanceof NotFoundError) return new GraphQLError(err.message, { extensions: { code: 'NOT_FOUND' } });
  if (err instanceof ConflictError) return new GraphQLError(`${err.message} (gave up after several retries)`, { extensions: { code: 'CONFLICT' } });
  return err;
}

export async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toGraphQLError(err);
  }
}
