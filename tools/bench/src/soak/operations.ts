/**
 * The soak's GraphQL traffic: queries and mutations of all four subgraphs through the gateway, each one a request a
 * console or pipeline makes. Every operation checks its answer (data present, no errors) by going through
 * GraphQLClient; the mutations only ask for what is valid whatever the timing (no step waits on an event).
 */
import type { GraphQLClient } from './graphql-client.js';

export const PRODUCT = 'soak';

/** What the traffic has created so far, for the operations that act on it. */
export interface SoakState {
  /** The release the rollouts belong to (its PRODUCTION gate was overridden to PASS at setup). */
  releaseId: string;
  /** Releases created by the traffic, newest last (at most 20 kept). */
  recentReleases: string[];
  /** Incidents opened and not yet resolved, oldest first. */
  openIncidents: string[];
  /** The latest rollout, once there is one. */
  latestRolloutId?: string;
  nextMinor: number;
  gateVersion: number;
}

export interface Operation {
  name: string;
  /** Relative frequency in the mix. */
  weight: number;
  run(client: GraphQLClient, state: SoakState): Promise<void>;
}

const day = 86_400_000;

export const OPERATIONS: Operation[] = [
  {
    name: 'planning: releases',
    weight: 6,
    run: (c) =>
      c.request(
        'query SoakReleases($p: String!) { releases(filter: { product: $p }, first: 20) { totalCount edges { node { id version status health { status } } } } }',
        { p: PRODUCT },
      ),
  },
  {
    name: 'planning: release',
    weight: 3,
    run: (c, s) =>
      c.request(
        'query SoakRelease($id: ID!) { release(id: $id) { id version status features { id title status } timeline { milestones { name date } } } }',
        { id: pick(s.recentReleases) ?? s.releaseId },
      ),
  },
  {
    name: 'all four: release',
    weight: 2,
    run: (c, s) =>
      c.request(
        'query SoakWholeRelease($id: ID!) { release(id: $id) { version status gates { name outcome } rollouts { id phase image } metrics { productionRollouts rolledBack } } }',
        { id: s.releaseId },
      ),
  },
  {
    name: 'planning: createRelease',
    weight: 1,
    async run(c, s) {
      const version = `2.${s.nextMinor++}.0`;
      const created = await c.request<{ createRelease: { id: string } }>(
        'mutation SoakCreate($input: CreateReleaseInput!) { createRelease(input: $input) { id } }',
        {
          input: {
            product: PRODUCT,
            version,
            theme: `Soak ${version}`,
            owner: 'soak',
            targetDate: new Date(Date.now() + 30 * day).toISOString(),
          },
        },
      );
      s.recentReleases.push(created.createRelease.id);
      if (s.recentReleases.length > 20) s.recentReleases.shift();
    },
  },
  {
    name: 'planning: addFeature',
    weight: 1,
    run: (c, s) =>
      c.request(
        'mutation SoakFeature($id: ID!, $input: FeatureInput!) { addFeature(releaseId: $id, input: $input) { feature { id } } }',
        {
          id: s.recentReleases.at(-1) ?? s.releaseId,
          input: {
            title: `Feature ${Date.now()}`,
            priority: 'SHOULD',
            businessValue: 5,
            timeCriticality: 3,
            riskReduction: 2,
            effort: 3,
          },
        },
      ),
  },
  {
    name: 'gates: releaseGates',
    weight: 4,
    run: (c, s) =>
      c.request(
        'query SoakGates($r: String!) { releaseGates(release: $r) { name outcome latestEvaluation { outcome reasons } } }',
        { r: s.releaseId },
      ),
  },
  {
    name: 'gates: gateDefinitions',
    weight: 2,
    run: (c) =>
      c.request(
        'query SoakDefinitions($p: String!) { gateDefinitions(product: $p) { name version criteria { id name } } }',
        { p: PRODUCT },
      ),
  },
  {
    name: 'gates: evaluateGate',
    weight: 1,
    run: (c, s) =>
      c.request('mutation SoakEvaluate($r: String!) { evaluateGate(release: $r, gate: "BETA") { name outcome } }', {
        r: s.releaseId,
      }),
  },
  {
    name: 'gates: defineGate',
    weight: 0.5,
    run: (c, s) =>
      c.request(
        'mutation SoakDefine($p: String!, $d: JSON!) { defineGate(product: $p, definition: $d) { name version } }',
        {
          p: `${PRODUCT}-gates`,
          d: {
            name: 'ALPHA',
            criteria: [
              {
                id: 'checks',
                name: `Checklist ${s.gateVersion++}`,
                kind: 'checklist',
                items: [{ id: 'smoke', label: 'Smoke test done' }],
              },
            ],
            approvals: [],
          },
        },
      ),
  },
  {
    name: 'deployment: rollouts',
    weight: 4,
    run: (c) =>
      c.request(
        'query SoakRollouts($ns: String!) { rollouts(filter: { namespace: $ns }, first: 10) { edges { node { id phase image message } } } }',
        { ns: 'soak' },
      ),
  },
  {
    name: 'deployment: rollout',
    weight: 2,
    async run(c, s) {
      if (!s.latestRolloutId) return;
      await c.request(
        'query SoakRollout($id: ID!) { rollout(id: $id) { id phase currentStepIndex analysisRuns { phase } } }',
        { id: s.latestRolloutId },
      );
    },
  },
  {
    name: 'analytics: doraMetrics',
    weight: 3,
    run: (c) =>
      c.request(
        'query SoakDora($p: String!) { doraMetrics(product: $p) { deploymentFrequency { deployments perDay } changeFailureRate { deployments failed rate } } }',
        { p: PRODUCT },
      ),
  },
  {
    name: 'analytics: releaseKpis',
    weight: 1,
    run: (c) =>
      c.request(
        'query SoakKpis($p: String!) { releaseKpis(product: $p) { deploymentSuccessRate { samples value } releaseQuality { samples value } } }',
        { p: PRODUCT },
      ),
  },
  {
    name: 'analytics: incidents',
    weight: 2,
    run: (c) =>
      c.request(
        'query SoakIncidents($p: String!) { incidents(product: $p, open: true, first: 20) { id title severity openedAt } }',
        { p: PRODUCT },
      ),
  },
  {
    name: 'analytics: openIncident',
    weight: 0.5,
    async run(c, s) {
      const opened = await c.request<{ openIncident: { id: string } }>(
        'mutation SoakOpen($input: OpenIncidentInput!) { openIncident(input: $input) { id } }',
        {
          input: { title: 'Soak: elevated latency', severity: 'warning', product: PRODUCT },
        },
      );
      s.openIncidents.push(opened.openIncident.id);
    },
  },
  {
    name: 'analytics: resolveIncident',
    weight: 0.5,
    async run(c, s) {
      const id = s.openIncidents.shift();
      if (!id) return;
      await c.request(
        'mutation SoakResolve($id: ID!) { resolveIncident(id: $id, resolution: "soak") { id resolvedAt } }',
        { id },
      );
    },
  },
];

function pick<T>(items: T[]): T | undefined {
  return items.length ? items[Math.floor(Math.random() * items.length)] : undefined;
}

/** The operations in a fixed order that gives each its weight's share (a smooth weighted round robin). */
export function schedule(ops: Operation[], length = 100): Operation[] {
  const total = ops.reduce((sum, op) => sum + op.weight, 0);
  const current = ops.map(() => 0);
  const out: Operation[] = [];
  for (let i = 0; i < length; i++) {
    ops.forEach((op, j) => (current[j]! += op.weight));
    const best = current.indexOf(Math.max(...current));
    current[best]! -= total;
    out.push(ops[best]!);
  }
  return out;
}
