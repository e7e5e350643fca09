import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from '@flightdeck/testing/global-setup';
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintToken, type Role } from '@flightdeck/auth';
import { startKubeSim, type KubeSim } from '@flightdeck/kube-sim';
import {
  databaseUri,
  DEADLINES,
  eventually,
  gql as request,
  type GraphQLResult,
  type NatsServerHandle,
  type PrometheusHandle,
  startNatsServer,
  startPrometheus,
} from '@flightdeck/testing';
import { flightdeck } from '../src/cli.js';
import { startServiceProcess, type ServiceProcess } from '../src/processes.js';

const secret = 'e2e-secret-that-is-at-least-32-characters-long';

/** The images the simulated cluster runs: what production serves today, the release's good web image, and its api image that breaks. */
const BEHAVIOURS = {
  default: { rps: 20, errorRatio: 0.001, p99Seconds: 0.2, startSeconds: 2 },
  'shop/web:2.0.0': { rps: 20, errorRatio: 0.001, p99Seconds: 0.2 },
  'shop/api:2.0.0': { rps: 20, errorRatio: 0.001, p99Seconds: 0.2 },
  'shop/web:2.1.0': { rps: 20, errorRatio: 0.002, p99Seconds: 0.25 },
  'shop/api:2.1.0': { rps: 20, errorRatio: 0.3, p99Seconds: 1.5 },
};

// Fast analysis: one measurement a second, three per run, after 2 s for the new pods to be scraped.
const canary = {
  environment: 'production',
  strategy: 'CANARY',
  steps: [
    { kind: 'SET_WEIGHT', weight: 25 },
    { kind: 'ANALYSIS', templates: ['success-rate', 'latency-p99'], initialDelaySeconds: 2 },
    { kind: 'SET_WEIGHT', weight: 50 },
    { kind: 'ANALYSIS', templates: ['success-rate', 'error-ratio-vs-stable'], initialDelaySeconds: 2 },
  ],
  analysisIntervalSeconds: 1,
  analysisCount: 3,
  progressDeadlineSeconds: 8,
};

const ROLLOUT = `id phase message image
  analysisRuns { stepIndex phase metrics { name query phase measurements { value phase detail } } }
  rollback { cause reason measurements { metric value phase detail query } }`;

interface RolloutView {
  id: string;
  phase: string;
  message: string;
  image: string;
  analysisRuns: {
    stepIndex: number;
    phase: string;
    metrics: {
      name: string;
      query: string;
      phase: string;
      measurements: { value: number | null; phase: string; detail: string }[];
    }[];
  }[];
  rollback: {
    cause: string;
    reason: string;
    measurements: { metric: string; value: number | null; phase: string; detail: string; query: string }[];
  } | null;
}

const FINISHED = ['PROMOTED', 'ROLLED_BACK', 'PAUSED', 'FAILED', 'STUCK'];

function workload(name: string, image: string): V1Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: 4,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

/** A JUnit report as a CI test step writes it: every case passed. */
function passingJUnit(cases: string[]): string {
  const body = cases.map((c) => `    <testcase classname="shop.checkout" name="${c}" time="0.05"/>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${cases.length}" failures="0" errors="0">\n  <testsuite name="checkout" tests="${cases.length}" failures="0" errors="0" skipped="0">\n${body}\n  </testsuite>\n</testsuites>\n`;
}

describe('a release of shop from plan to production and back: planning, gates, deployment, analytics and the gateway as processes', () => {
  const started: ServiceProcess[] = [];
  let nats: NatsServerHandle;
  let sim: KubeSim;
  let prom: PrometheusHandle;
  let dir: string;
  let gatewayUrl: string;
  let apps: AppsV1Api;
  const people: Record<'rita' | 'rob' | 'tina' | 'sam' | 'pipeline', string> = {
    rita: '',
    rob: '',
    tina: '',
    sam: '',
    pipeline: '',
  };
  let releaseId: string;
  let good: RolloutView;
  let bad: RolloutView;

  const gql = async <T>(who: keyof typeof people, query: string, variables?: Record<string, unknown>): Promise<T> => {
    const res: GraphQLResult<T> = await request<T>(gatewayUrl, query, variables, people[who]);
    if (res.errors?.length) throw new Error(`${who}: ${res.errors.map((e) => e.message).join('; ')}`);
    return res.data!;
  };

  beforeAll(async () => {
    // Its own JetStream: the services' durable consumers keep their default names without sharing them with other e2e files.
    nats = await startNatsServer();
    dir = await mkdtemp(join(tmpdir(), 'flightdeck-lifecycle-'));
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    sim = await startKubeSim({ timeScale: 20, podStartSeconds: 2, behaviours: BEHAVIOURS, kubeconfigPath: kubeconfig });
    // A 1 s scrape (and time-out): shorter ones miss scrapes when the machine is busy.
    prom = await startPrometheus({ scrapeTargets: [sim.metricsUrl], scrapeIntervalSeconds: 1 });

    const common = { NATS_URL: nats.url, AUTH_JWT_SECRET: secret };
    const db = (name: string) => ({ MONGODB_URI: databaseUri(inject('mongoUri'), `e2e_lifecycle_${name}`) });
    const services = await Promise.allSettled([
      startServiceProcess('planning', { ...common, ...db('planning') }),
      startServiceProcess('gates', { ...common, ...db('gates') }),
      startServiceProcess('deployment', {
        ...common,
        ...db('deployment'),
        KUBECONFIG: kubeconfig,
        PROMETHEUS_URL: prom.url,
      }),
      startServiceProcess('analytics', { ...common, ...db('analytics') }),
    ]);
    for (const s of services) if (s.status === 'fulfilled') started.push(s.value);
    const failed = services.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [planning, gates, deployment, analytics] = started;
    const gateway = await startServiceProcess('gateway', {
      ...common,
      SUBGRAPH_PLANNING_URL: planning!.url,
      SUBGRAPH_GATES_URL: gates!.url,
      SUBGRAPH_DEPLOYMENT_URL: deployment!.url,
      SUBGRAPH_ANALYTICS_URL: analytics!.url,
    });
    started.push(gateway);
    gatewayUrl = gateway.url;

    const roles: Record<keyof typeof people, Role[]> = {
      rita: ['RELEASE_MANAGER'],
      rob: ['RELEASE_MANAGER'],
      tina: ['TECHNICAL_LEAD'],
      sam: ['SRE'],
      pipeline: ['CI'],
    };
    for (const who of Object.keys(people) as (keyof typeof people)[])
      people[who] = await mintToken({ secret, subject: who, roles: roles[who], machine: who === 'pipeline' });

    // What production runs before the release: shop's web and api at 2.0.0, four replicas each.
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    apps = kc.makeApiClient(AppsV1Api);
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'shop' } } });
    for (const name of ['web', 'api'])
      await apps.createNamespacedDeployment({ namespace: 'shop', body: workload(name, `shop/${name}:2.0.0`) });
    await eventually(
      'shop/web and shop/api ready',
      async () => {
        const ready = await Promise.all(
          ['web', 'api'].map(
            async (name) =>
              (await apps.readNamespacedDeployment({ name, namespace: 'shop' })).status?.readyReplicas ?? 0,
          ),
        );
        return ready.every((n) => n === 4) ? true : undefined;
      },
      DEADLINES.stack,
    );
  });

  afterAll(async () => {
    for (const p of started.reverse()) await p.process.stop();
    await prom?.stop();
    await sim?.stop();
    await nats?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('1. the release manager plans shop 2.1.0 with its scope, the team delivers it, and planning freezes it once Feature Complete passes', async () => {
    // shop's own gates, replacing the templates of the same names: evidence and approvals this team asks for.
    await gql('rita', 'mutation($d: JSON!) { defineGate(product: "shop", definition: $d) { name version } }', {
      d: {
        name: 'FEATURE_COMPLETE',
        criteria: [
          { id: 'scope-done', name: 'All planned features done', kind: 'scope' },
          {
            id: 'code-freeze',
            name: 'Code freeze checklist',
            kind: 'checklist',
            items: [
              { id: 'reviews-done', label: 'Code reviews done' },
              { id: 'branch-cut', label: 'Release branch cut' },
            ],
          },
        ],
        approvals: [{ role: 'TECHNICAL_LEAD', count: 1 }],
      },
    });
    await gql('rita', 'mutation($d: JSON!) { defineGate(product: "shop", definition: $d) { name version } }', {
      d: {
        name: 'PRODUCTION',
        criteria: [
          {
            id: 'feature-complete-passed',
            name: 'Feature Complete gate passed',
            kind: 'upstream',
            gate: 'FEATURE_COMPLETE',
          },
          { id: 'regression-tests', name: 'Regression tests passing', kind: 'tests', maxFailures: 0, minTests: 3 },
        ],
        approvals: [{ role: 'RELEASE_MANAGER', count: 1 }],
        fourEyes: true,
      },
    });

    const targetDate = new Date(Date.now() + 21 * 86_400_000).toISOString();
    const created = await gql<{ createRelease: { id: string; type: string; status: string } }>(
      'rita',
      'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id type status } }',
      { input: { product: 'shop', version: '2.1.0', theme: 'One-page checkout', owner: 'rita', targetDate } },
    );
    expect(created.createRelease).toMatchObject({ type: 'MINOR', status: 'PLANNING' });
    releaseId = created.createRelease.id;

    const features: string[] = [];
    for (const [title, priority] of [
      ['One-page checkout form', 'MUST'],
      ['Saved addresses', 'SHOULD'],
    ] as const) {
      const added = await gql<{ addFeature: { feature: { id: string } } }>(
        'rita',
        'mutation($id: ID!, $input: FeatureInput!) { addFeature(releaseId: $id, input: $input) { feature { id } } }',
        {
          id: releaseId,
          input: { title, priority, businessValue: 8, timeCriticality: 5, riskReduction: 3, effort: 5 },
        },
      );
      features.push(added.addFeature.feature.id);
    }
    const move = (to: string, reason: string) =>
      gql<{ transitionRelease: { status: string } }>(
        'rita',
        'mutation($id: ID!, $to: ReleaseStatus!, $reason: String!) { transitionRelease(id: $id, to: $to, reason: $reason) { status } }',
        { id: releaseId, to, reason },
      );
    await move('IN_DEVELOPMENT', 'scope agreed');
    for (const status of ['IN_PROGRESS', 'DONE']) {
      for (const featureId of features) {
        await gql(
          'rita',
          'mutation($id: ID!, $f: ID!, $input: FeaturePatch!) { updateFeature(releaseId: $id, featureId: $f, input: $input) { id } }',
          { id: releaseId, f: featureId, input: { status } },
        );
      }
    }
    expect((await move('FEATURE_COMPLETE', 'every feature done')).transitionRelease.status).toBe('FEATURE_COMPLETE');

    // Gates knows the release (and later its scope) only from planning's events.
    const known = await eventually(
      'gates learning the release from planning',
      async () => {
        const r = await gql<{ release: { gates: { name: string; definition: { version: number } }[] } }>(
          'tina',
          'query($id: ID!) { release(id: $id) { gates { name definition { version } } } }',
          { id: releaseId },
        );
        return r.release.gates.length ? r.release.gates : undefined;
      },
      DEADLINES.stack,
    );
    expect(known).toEqual([
      { name: 'FEATURE_COMPLETE', definition: { version: 1 } },
      { name: 'ALPHA', definition: { version: 0 } },
      { name: 'BETA', definition: { version: 0 } },
      { name: 'PRODUCTION', definition: { version: 1 } },
    ]);

    // The technical lead ticks the checklist and approves; gates counts the scope from planning's events.
    for (const item of ['reviews-done', 'branch-cut']) {
      await gql(
        'tina',
        'mutation($r: String!, $i: String!) { tickChecklistItem(release: $r, gate: "FEATURE_COMPLETE", criterion: "code-freeze", item: $i) { name } }',
        { r: 'shop@2.1.0', i: item },
      );
    }
    await gql(
      'tina',
      'mutation { approveGate(release: "shop@2.1.0", gate: "FEATURE_COMPLETE", comment: "reviewed") { name } }',
    );
    const fc = await eventually(
      'Feature Complete passing on the scope planning reported',
      async () => {
        const g = await gql<{
          gate: {
            outcome: string | null;
            latestEvaluation: { criteria: { criterionId: string; result: string; measured: string }[] } | null;
          };
        }>(
          'tina',
          '{ gate(release: "shop@2.1.0", gate: "FEATURE_COMPLETE") { outcome latestEvaluation { criteria { criterionId result measured } } } }',
        );
        return g.gate.outcome === 'PASS' ? g.gate : undefined;
      },
      DEADLINES.stack,
    );
    expect(fc.latestEvaluation!.criteria).toContainEqual({
      criterionId: 'scope-done',
      result: 'PASS',
      measured: '2 of 2 features done',
    });

    // Planning learns the outcome from gates' event and freezes the release on its own: the gate of its status passed.
    const frozen = await eventually(
      'planning freezing the release',
      async () => {
        const r = await gql<{
          release: {
            status: string;
            transitions: { from: string; to: string; by: string }[];
            gateOutcomes: { gate: string; outcome: string }[];
          };
        }>(
          'rita',
          'query($id: ID!) { release(id: $id) { status transitions { from to by } gateOutcomes { gate outcome } } }',
          { id: releaseId },
        );
        // A CONDITIONAL evaluation (before the approval) already lets planning freeze; the PASS may arrive after it.
        const passedOnApproval = r.release.gateOutcomes.some(
          (g) => g.gate === 'FEATURE_COMPLETE' && g.outcome === 'PASS',
        );
        return r.release.status === 'CODE_FREEZE' && passedOnApproval ? r.release : undefined;
      },
      DEADLINES.stack,
    );
    expect(frozen.transitions.at(-1)).toEqual({ from: 'FEATURE_COMPLETE', to: 'CODE_FREEZE', by: 'flightdeck-gates' });
    // Frozen scope: only release blockers (MUST) may still be added.
    const late = await request(
      gatewayUrl,
      'mutation($id: ID!, $input: FeatureInput!) { addFeature(releaseId: $id, input: $input) { feature { id } } }',
      {
        id: releaseId,
        input: {
          title: 'Gift cards',
          priority: 'COULD',
          businessValue: 3,
          timeCriticality: 1,
          riskReduction: 1,
          effort: 3,
        },
      },
      people.rita,
    );
    expect(late.errors?.[0]?.message).toBe(
      'release is in CODE_FREEZE: scope is frozen; only MUST changes (release blockers) are accepted',
    );
  });

  it('2. a second release manager approves Production, and CI uploads a passing JUnit report with the CLI: the gate passes', async () => {
    // rita requested the release, so four-eyes wants another release manager; without test evidence the gate still fails.
    const approved = await gql<{ approveGate: { latestEvaluation: { outcome: string; reasons: string[] } } }>(
      'rob',
      'mutation { approveGate(release: "shop@2.1.0", gate: "PRODUCTION", comment: "go for production") { latestEvaluation { outcome reasons } } }',
    );
    expect(approved.approveGate.latestEvaluation).toEqual({
      outcome: 'FAIL',
      reasons: ['Regression tests passing: no JUnit report submitted for this gate yet'],
    });

    const reports = join(dir, 'ci');
    await mkdir(join(reports, 'reports'), { recursive: true });
    await writeFile(
      join(reports, 'reports/junit.xml'),
      passingJUnit(['pays by card', 'pays by invoice', 'keeps the basket on reload', 'refuses an expired card']),
    );
    const ci = { url: gatewayUrl, token: people.pipeline };
    const submit = await flightdeck(
      ['evidence', 'submit', '--release', 'shop@2.1.0', '--gate', 'PRODUCTION', '--junit', 'reports/junit.xml'],
      ci,
      reports,
    );
    expect(submit.stderr).toContain('uploading JUNIT reports/junit.xml');
    expect(submit.code, submit.stderr).toBe(0);

    const wait = await flightdeck(
      ['gate', 'wait', '--release', 'shop@2.1.0', '--gate', 'PRODUCTION', '--timeout', '30s', '--interval', '500ms'],
      ci,
      reports,
    );
    expect(wait.code, wait.stdout + wait.stderr).toBe(0);
    expect(wait.stdout).toMatch(/^shop@2\.1\.0 PRODUCTION: PASS/);
    expect(wait.stdout).toMatch(/PASS\s+Regression tests passing\s+4 tests: 4 passed, 0 failed/);
  });

  it('3. the SRE rolls out the good web image (promoted on Prometheus measurements), then the bad api image (rolled back on its own)', async () => {
    const start = (deployment: string, image: string) =>
      // Deployment learns that Production passed from gates' event; until then it refuses, saying so.
      eventually(
        `deployment accepting a rollout of ${image}`,
        async () => {
          const res = await request<{ startRollout: RolloutView }>(
            gatewayUrl,
            `mutation($input: StartRolloutInput!) { startRollout(input: $input) { ${ROLLOUT} } }`,
            { input: { ...canary, releaseId, target: { namespace: 'shop', deployment, container: 'app' }, image } },
            people.sam,
          );
          const refusal = res.errors?.[0]?.message;
          if (refusal?.includes('no PRODUCTION (or HOTFIX) gate has passed for it yet')) return undefined;
          if (refusal) throw new Error(refusal);
          return res.data!.startRollout;
        },
        DEADLINES.stack,
      );
    const finished = (id: string) =>
      eventually(
        `rollout ${id} finishing`,
        async () => {
          const r = (
            await gql<{ rollout: RolloutView }>('sam', `query($id: ID!) { rollout(id: $id) { ${ROLLOUT} } }`, { id })
          ).rollout;
          return FINISHED.includes(r.phase) ? r : undefined;
        },
        60_000,
      );

    const web = await start('web', 'shop/web:2.1.0');
    expect(web.phase).toBe('PROGRESSING');
    good = await finished(web.id);
    expect(good.phase, good.message).toBe('PROMOTED');
    // The steps' runs; the bake after promotion (step index past the steps) may have started its first one already.
    expect(good.analysisRuns.filter((a) => a.stepIndex < canary.steps.length).map((a) => a.phase)).toEqual([
      'SUCCESSFUL',
      'SUCCESSFUL',
    ]);
    const successRate = good.analysisRuns[0]!.metrics.find((m) => m.name === 'success-rate')!;
    expect(successRate.query).toContain('namespace="shop"');
    // A first measurement may find no data yet (inconclusive, within the limit); every value found is healthy.
    const values = successRate.measurements.flatMap((m) => (m.value === null ? [] : [m.value]));
    expect(values.length).toBeGreaterThanOrEqual(1);
    expect(values.every((v) => v > 0.95)).toBe(true);
    const promoted = await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    expect(promoted.spec?.template?.spec?.containers?.[0]?.image).toBe('shop/web:2.1.0');

    const api = await start('api', 'shop/api:2.1.0');
    bad = await finished(api.id);
    expect(bad.phase, bad.message).toBe('ROLLED_BACK');
    expect(bad.rollback?.cause).toBe('ANALYSIS');
    expect(bad.rollback!.reason).toMatch(/^step 2 of 4: analysis failed: success-rate: 0 successful, \d+ failed/);
    // 30% of the canary's requests fail: the success rate Prometheus measured is the measurement behind the rollback.
    const cause = bad.rollback!.measurements.find((m) => m.metric === 'success-rate')!;
    expect(cause).toMatchObject({
      phase: 'FAILED',
      detail: expect.stringMatching(/meets the failure condition result < 0\.95$/),
    });
    expect(cause.query).toContain('deployment="api-canary"');
    expect(cause.value).toBeGreaterThan(0.5);
    expect(cause.value).toBeLessThan(0.9);
    const restored = await eventually(
      'shop/api back on 2.0.0 with every replica ready',
      async () => {
        const d = await apps.readNamespacedDeployment({ name: 'api', namespace: 'shop' });
        return d.status?.readyReplicas === 4 ? d : undefined;
      },
      DEADLINES.stack,
    );
    expect(restored.spec?.template?.spec?.containers?.[0]?.image).toBe('shop/api:2.0.0');
  });

  it('4. analytics, fed only by the events, counts both production rollouts and the rollback, and one query reads all four subgraphs', async () => {
    const dora = await eventually(
      'analytics projecting both rollouts',
      async () => {
        const d = await gql<{
          doraMetrics: {
            deploymentFrequency: { deployments: number };
            changeFailureRate: { deployments: number; failed: number; rate: number | null };
          };
        }>(
          'rita',
          '{ doraMetrics(product: "shop") { deploymentFrequency { deployments } changeFailureRate { deployments failed rate } } }',
        );
        return d.doraMetrics.changeFailureRate.deployments === 2 ? d.doraMetrics : undefined;
      },
      DEADLINES.stack,
    );
    expect(dora.changeFailureRate).toEqual({ deployments: 2, failed: 1, rate: 0.5 });
    expect(dora.deploymentFrequency.deployments).toBe(1);

    const analysis = await gql<{
      releaseAnalysis: {
        version: string;
        findings: string[];
        metrics: { productionRollouts: number; rolledBack: number };
      };
    }>(
      'rita',
      'query($id: ID!) { releaseAnalysis(releaseId: $id) { version findings metrics { productionRollouts rolledBack } } }',
      { id: releaseId },
    );
    expect(analysis.releaseAnalysis).toMatchObject({
      version: '2.1.0',
      metrics: { productionRollouts: 2, rolledBack: 1 },
    });
    expect(analysis.releaseAnalysis.findings).toContain('1 production rollout(s) were rolled back.');

    // Planning, gates, deployment and analytics each answer their part of the one Release.
    const release = await eventually(
      'planning learning the production rollout succeeded',
      async () => {
        const r = await gql<{
          release: {
            version: string;
            status: string;
            productionRolloutSucceeded: boolean;
            gates: { name: string; outcome: string | null }[];
            rollouts: { id: string; phase: string; image: string }[];
            metrics: {
              productionRollouts: number;
              rolledBack: number;
              failedDeployments: number;
              failureCauses: string[];
              productionAt: string | null;
            };
          };
        }>(
          'rita',
          `query($id: ID!) { release(id: $id) {
          version status productionRolloutSucceeded
          gates { name outcome }
          rollouts { id phase image }
          metrics { productionRollouts rolledBack failedDeployments failureCauses productionAt }
        } }`,
          { id: releaseId },
        );
        return r.release.productionRolloutSucceeded ? r.release : undefined;
      },
      DEADLINES.stack,
    );
    expect(release).toMatchObject({ version: '2.1.0', status: 'CODE_FREEZE' });
    expect(release.gates).toEqual([
      { name: 'FEATURE_COMPLETE', outcome: 'PASS' },
      { name: 'ALPHA', outcome: null },
      { name: 'BETA', outcome: null },
      { name: 'PRODUCTION', outcome: 'PASS' },
    ]);
    // Newest first.
    expect(release.rollouts).toEqual([
      { id: bad.id, phase: 'ROLLED_BACK', image: 'shop/api:2.1.0' },
      { id: good.id, phase: 'PROMOTED', image: 'shop/web:2.1.0' },
    ]);
    expect(release.metrics).toMatchObject({
      productionRollouts: 2,
      rolledBack: 1,
      failedDeployments: 1,
      failureCauses: ['ROLLED_BACK'],
    });
    expect(release.metrics.productionAt).not.toBeNull();
  });
});
