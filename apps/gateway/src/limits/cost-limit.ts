import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';

/** The cost of an operation: every selected field costs 1 (graphql-query-complexity's simple estimator). */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}, operationName?: string): number {
  return getComplexity({ schema, query: document, variables, operationName, estimators: [simpleEstimator({ defaultComplexity: 1 })] });
}

export function costLimitError(cost: number, limit: number): GraphQLError {
  return new GraphQLError(`Operation costs ${cost}; the limit is ${limit} (each selected field costs 1). Select fewer fields or split the query.`, {
    extensions: { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COSTLY', cost, limit, http: { status: 400 } },
  });
}

/**
 * Refuses any operation whose cost exceeds `maxCost`, saying its cost. It runs once the operation is
 * resolved, with the request's variables: as a validation rule it would see no variables and refuse
 * every operation with a required variable.
 */
export function costLimitPlugin<TContext extends object>(maxCost: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          let cost: number;
          try {
            cost = operationCost(schema, document, request.variables ?? {}, operationName ?? undefined);
          } catch {
            // Invalid variables: execution refuses them with GraphQL's own message.
            return;
          }
          if (cost > maxCost) throw costLimitError(cost, maxCost);
        },
      };
    },
  };
}
