/**
 * Analytics' projections against a from-scratch replay: a second analytics process, on an empty database and a new
 * durable consumer, reads the whole stream from its first event; once it has caught up, both must answer the same
 * DORA metrics, release KPIs and per-release analyses for the same window.
 */
import { isDeepStrictEqual } from 'node:util';
import { mintToken } from '@flightdeck/auth';
import { Refused, gatewayClient, until, type Client } from './client.js';
import { consumerLags } from './history.js';
import type { InvariantResult } from './invariants.js';
import { PRODUCT } from './scenario.js';
import type { ChaosStack } from './stack.js';

const RATE = 'samples value target met formula';
const ANSWERS = `query($p: String!, $from: DateTime!, $to: DateTime!) {
  doraMetrics(product: $p, from: $from, to: $to, timeZone: "UTC") {
    window { from to timeZone }
    deploymentFrequency { deployments days perDay deploymentDays level }
    leadTimeForChanges { releases medianHours codeFreezeToProductionMedianHours level }
    changeFailureRate { deployments failed rate level }
    failedDeploymentRecoveryTime { failures recovered medianHours level }
    levels
  }
  releaseKpis(product: $p, from: $from, to: $to, timeZone: "UTC") {
    releaseFrequency { planned delivered onTime ratio }
    leadTimeCodeFreezeToProduction { releases medianDays targetDays met }
    deploymentSuccessRate { ${RATE} }
    releaseQuality { ${RATE} }
  }
}`;
const ANALYSIS = `query($id: ID!) { releaseAnalysis(releaseId: $id) {
  product version productionAt onTime plannedFeatures deliveredFeatures missedFeatures findings
  metrics { productionAt leadTimeHours productionRollouts rolledBack failedDeployments failureCauses plannedFeatures deliveredFeatures }
  gates { gate outcome at }
} }`;

async function answers(
  client: Client,
  window: { from: string; to: string },
  releaseIds: string[],
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { metrics: await client.request(ANSWERS, { p: PRODUCT, ...window }) };
  for (const id of releaseIds) {
    try {
      out[id] = await client.request(ANALYSIS, { id });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      out[id] = { refused: err.message };
    }
  }
  return out;
}

/** The first differences between two answers, as paths with both values. */
export function differences(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (isDeepStrictEqual(a, b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`, out);
    return out;
  }
  out.push(`${path || '.'}: live ${JSON.stringify(a)}, replay ${JSON.stringify(b)}`);
  return out;
}

export async function analyticsEqualsReplay(
  stack: ChaosStack,
  releaseIds: string[],
  window: { from: string; to: string },
  timeoutMs: number,
): Promise<InvariantResult> {
  const name = 'analytics-equals-replay';
  const description =
    "analytics' answers (doraMetrics, releaseKpis, releaseAnalysis of every release) equal those of a fresh analytics process that replayed the stream from its first event";
  const consumer = 'analytics-replay';
  const fresh = await stack.startAnalytics('chaos_analytics_replay', consumer);
  try {
    const token = await mintToken({ secret: stack.secret, subject: 'chaos-auditor', roles: ['RELEASE_MANAGER'] });
    const live = gatewayClient(`${stack.processes.analytics.baseUrl}/graphql`, token);
    const replayed = gatewayClient(`${fresh.baseUrl}/graphql`, token);
    let last: string[] = [];
    let compared = 0;
    try {
      await until(
        'the replay catching up with the live projections',
        async () => {
          const lag = (await consumerLags(stack.natsUrl)).find((c) => c.name === consumer);
          if (!lag || lag.pending || lag.ackPending) return undefined;
          const [a, b] = await Promise.all([answers(live, window, releaseIds), answers(replayed, window, releaseIds)]);
          compared = Object.keys(a).length;
          last = differences(a, b);
          return last.length ? undefined : true;
        },
        { timeoutMs, everyMs: 2000 },
      );
    } catch (err) {
      return {
        name,
        description,
        checked: true,
        examined: `${compared} answers`,
        violations: last.length
          ? last.map((d) => `after ${Math.round(timeoutMs / 1000)} s: ${d}`)
          : [(err as Error).message],
      };
    }
    return {
      name,
      description,
      checked: true,
      examined: `${compared} answers (the metrics and ${compared - 1} release analyses)`,
      violations: [],
    };
  } finally {
    await fresh.stop();
  }
}
