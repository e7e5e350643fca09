import { GraphQLError, type ValidationRule } from 'graphql';
import { createComplexityRule, simpleEstimator } from 'graphql-query-complexity';

/**
 * A validation rule refusing any operation whose cost exceeds `maxCost`, saying its cost.
 * Cost is measured by graphql-query-complexity with every selected field costing 1, so it does
 * not depend on variables (validation results are cached per query text).
 */
export function costLimitRule(maxCost: number): ValidationRule {
  return createComplexityRule({
    maximumComplexity: maxCost,
    estimators: [simpleEstimator({ defaultComplexity: 1 })],
    createError: (limit, cost) =>
      new GraphQLError(`Operation costs ${cost}; the limit is ${limit} (each selected field costs 1). Select fewer fields or split the query.`, {
        extensions: { reason: 'QUERY_TOO_COSTLY', cost, limit },
      }),
  }) as unknown as ValidationRule;
}
