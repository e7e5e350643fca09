import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { createMetrics, graphqlMetricsPlugin } from '../src/index.js';
import { capturedLogger } from './capture.js';

const typeDefs = `#graphql
  type Query { release(id: ID!): Release }
  type Mutation { approve(id: ID!): Boolean }
  type Release { id: ID!, name: String }
`;

async function setup() {
  const metrics = createMetrics({ service: 'planning' });
  const { logger, lines } = capturedLogger('planning');
  const server = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: { release: (_: unknown, { id }: { id: string }) => ({ id, name: `release ${id}` }) },
      Mutation: {
        approve: () => {
          throw new Error('store unavailable');
        },
      },
    },
    plugins: [graphqlMetricsPlugin(metrics, logger)],
  });
  await server.start();
  return { server, metrics, lines };
}

async function counted(metrics: ReturnType<typeof createMetrics>) {
  const json = await metrics.graphqlOperationsTotal.get();
  return json.values.map((v) => ({ ...v.labels, value: v.value }));
}

describe('graphqlMetricsPlugin', () => {
  it('counts and times operations by name, type and outcome, and logs errors', async () => {
    const { server, metrics, lines } = await setup();
    await server.executeOperation({ query: 'query GetRelease { release(id: "r1") { name } }' });
    await server.executeOperation({ query: 'query GetRelease { release(id: "r2") { name } }' });
    await server.executeOperation({ query: 'mutation Approve { approve(id: "r1") }' });
    await server.executeOperation({ query: '{ release(id: "r3") { nope } }' });

    expect(await counted(metrics)).toEqual(
      expect.arrayContaining([
        { operation: 'GetRelease', type: 'query', outcome: 'success', value: 2 },
        { operation: 'Approve', type: 'mutation', outcome: 'error', value: 1 },
        { operation: 'anonymous', type: 'unknown', outcome: 'error', value: 1 },
      ]),
    );
    const durations = (await metrics.graphqlOperationDuration.get()).values;
    const count = durations.find(
      (v) => v.metricName === 'graphql_operation_duration_seconds_count' && v.labels.operation === 'GetRelease',
    );
    expect(count).toMatchObject({ value: 2, labels: { type: 'query', outcome: 'success' } });
    expect(await metrics.registry.metrics()).toMatch(/^graphql_operations_total\{.*service="planning".*\} 2$/m);

    expect(lines.find((l) => l.msg === 'graphql operation failed')).toMatchObject({
      level: 'error',
      operation: 'Approve',
      error: 'store unavailable',
    });
    expect(lines.find((l) => l.msg === 'graphql operation rejected')).toMatchObject({
      level: 'warn',
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    await server.stop();
  });
});
