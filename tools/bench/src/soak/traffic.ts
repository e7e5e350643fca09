/**
 * Runs the soak's GraphQL traffic through the gateway: the operation mix at a fixed rate (open loop: a slow answer
 * does not slow the next request down), and beside it one rollout after another on the soak's workload, each
 * followed until it is promoted. Every answer is checked; latencies and errors are kept per operation.
 */
import { performance } from 'node:perf_hooks';
import { DEADLINES, eventually } from '@flightdeck/testing';
import type { GraphQLClient } from './graphql-client.js';
import { OPERATIONS, PRODUCT, schedule, type SoakState } from './operations.js';
import { WORKLOAD } from './stack.js';

export interface OperationRecord {
  /** Latencies in ms of the answered requests, measured from when each was due. */
  latencies: number[];
  errors: number;
}

export interface TrafficReport {
  operations: Record<string, OperationRecord>;
  /** The first errors, each with its operation (at most 20 kept). */
  errorSamples: string[];
  /** Requests not sent because `maxInFlight` were still unanswered. */
  dropped: number;
  rolloutsPromoted: number;
}

const STEPS = [
  { kind: 'SET_WEIGHT', weight: 25 },
  { kind: 'ANALYSIS', templates: ['success-rate'], initialDelaySeconds: 1 },
  { kind: 'SET_WEIGHT', weight: 100 },
];

/** Creates the release the rollouts belong to and clears its PRODUCTION gate (an audited override), as a release manager would. */
export async function prepareSoak(client: GraphQLClient): Promise<SoakState> {
  const created = await client.request<{ createRelease: { id: string } }>(
    'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }',
    {
      input: {
        product: PRODUCT,
        version: '1.0.0',
        theme: 'Soak',
        owner: 'soak',
        targetDate: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
    },
  );
  const releaseId = created.createRelease.id;
  // Gates learns of the release from planning's event.
  await eventually(
    'gates knowing the soak release',
    () =>
      client.request(
        'mutation($r: String!) { overrideGate(release: $r, gate: "PRODUCTION", outcome: PASS, reason: "soak: rollouts of the soak release") { name } }',
        { r: releaseId },
      ),
    DEADLINES.cluster,
  );
  const state: SoakState = { releaseId, recentReleases: [], openIncidents: [], nextMinor: 0, gateVersion: 0 };
  await rollOnce(client, state, 0, () => undefined, true);
  return state;
}

/**
 * Starts a rollout of the next image and follows it until it is promoted; throws when it ends any other way.
 * `untilCleared`: a refusal because deployment has not yet heard that the PRODUCTION gate passed is retried (setup).
 */
export async function rollOnce(
  client: GraphQLClient,
  state: SoakState,
  n: number,
  record: (op: string, ms: number | Error) => void,
  untilCleared = false,
): Promise<void> {
  const timed = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const value = await fn();
      record(op, performance.now() - started);
      return value;
    } catch (err) {
      record(op, err as Error);
      throw err;
    }
  };
  const input = {
    releaseId: state.releaseId,
    environment: 'staging',
    target: { namespace: WORKLOAD.namespace, deployment: WORKLOAD.deployment, container: WORKLOAD.container },
    image: `soak/web:1.1.${n}`,
    steps: STEPS,
    analysisIntervalSeconds: 1,
    analysisCount: 2,
    rollbackWindowSeconds: 0,
  };
  const start = () =>
    timed('deployment: startRollout', () =>
      client.request<{ startRollout: { id: string } }>(
        'mutation SoakRollout($input: StartRolloutInput!) { startRollout(input: $input) { id phase } }',
        { input },
      ),
    );
  const started = untilCleared
    ? await eventually(
        'deployment hearing that the soak release may be rolled out',
        () =>
          start().catch((err: Error) => {
            if (err.message.includes('no PRODUCTION (or HOTFIX) gate has passed')) return undefined;
            throw err;
          }),
        DEADLINES.cluster,
      )
    : await start();
  const id = started.startRollout.id;
  state.latestRolloutId = id;
  const phase = await eventually(
    `rollout ${id} finishing`,
    async () => {
      const r = await timed('deployment: rollout phase', () =>
        client.request<{ rollout: { phase: string; message: string } }>(
          'query SoakPhase($id: ID!) { rollout(id: $id) { phase message } }',
          { id },
        ),
      );
      return ['PROGRESSING', 'PAUSED', 'PROMOTING'].includes(r.rollout.phase) ? undefined : r.rollout;
    },
    120_000,
    500,
  );
  if (phase.phase !== 'PROMOTED')
    throw new Error(`rollout ${id} of ${input.image} ended ${phase.phase}: ${phase.message}`);
}

export async function runTraffic(opts: {
  client: GraphQLClient;
  state: SoakState;
  rate: number;
  seconds: number;
  maxInFlight?: number;
  /** performance.now() before which answers are checked but their latencies left out (the warm-up). */
  measureFrom?: number;
}): Promise<TrafficReport> {
  const report: TrafficReport = { operations: {}, errorSamples: [], dropped: 0, rolloutsPromoted: 0 };
  const measureFrom = opts.measureFrom ?? 0;
  const record = (op: string, result: number | Error, dueAt = performance.now()) => {
    const r = (report.operations[op] ??= { latencies: [], errors: 0 });
    if (result instanceof Error) {
      r.errors++;
      if (report.errorSamples.length < 20) report.errorSamples.push(`${op}: ${result.message}`);
    } else if (dueAt >= measureFrom) r.latencies.push(result);
  };
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  const order = schedule(OPERATIONS);
  const maxInFlight = opts.maxInFlight ?? 64;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();

  const rollouts = (async () => {
    for (let n = 1; performance.now() < end; n++) {
      try {
        await rollOnce(opts.client, opts.state, n, (op, ms) => record(op, ms));
        report.rolloutsPromoted++;
      } catch (err) {
        record('deployment: rollout cycle', err as Error);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();

  for (let i = 0; ; i++) {
    const dueAt = start + (i * 1000) / opts.rate;
    if (dueAt >= end) break;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const op = order[i % order.length]!;
    if (inFlight >= maxInFlight) {
      report.dropped++;
      continue;
    }
    inFlight++;
    const p = op
      .run(opts.client, opts.state)
      .then(
        () => record(op.name, performance.now() - dueAt, dueAt),
        (err: unknown) => record(op.name, err instanceof Error ? err : new Error(String(err)), dueAt),
      )
      .finally(() => {
        inFlight--;
        pending.delete(p);
      });
    pending.add(p);
  }
  await Promise.all(pending);
  await rollouts;
  return report;
}
