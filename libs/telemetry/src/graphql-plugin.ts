import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from 'pino';
import type { ServiceMetrics } from './metrics.js';

// Client-chosen operation names become label values: keep them short and plain.
function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
}

/** Counts and times every GraphQL operation (labels: operation, type, outcome) and logs its errors. */
export function graphqlMetricsPlugin<TContext extends BaseContext = BaseContext>(
  metrics: ServiceMetrics,
  logger: Logger,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let operation = 'anonymous';
      let type = 'unknown';
      let failed = false;
      return {
        async didResolveOperation(ctx) {
          operation = operationLabel(ctx.operationName ?? ctx.operation?.name?.value);
          type = ctx.operation?.operation ?? 'unknown';
        },
        async didEncounterErrors(ctx) {
          failed = true;
          for (const error of ctx.errors) {
            const code = error.extensions?.code;
            const fields = { operation, type, code, path: error.path, error: error.message };
            // Client mistakes (bad query, no token, forbidden) are warnings; anything else is ours.
            const internal = code === undefined || code === 'INTERNAL_SERVER_ERROR';
            if (internal) logger.error({ ...fields, err: error.originalError ?? error }, 'graphql operation failed');
            else logger.warn(fields, 'graphql operation rejected');
          }
        },
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          if (body.kind === 'single' && body.singleResult.errors?.length) failed = true;
          const labels = { operation, type, outcome: failed ? 'error' : 'success' };
          metrics.graphqlOperationsTotal.inc(labels);
          metrics.graphqlOperationDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
