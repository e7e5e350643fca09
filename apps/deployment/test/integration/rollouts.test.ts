import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { eventually, gql, type OpenAIStub, startOpenAIStub } from '@flightdeck/testing';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent, Subscription } from '@flightdeck/events';
import type { TestGateway } from '@flightdeck/testing/stack';
import { BUILT_IN_TEMPLATES } from '../../src/domain/index.js';
import {
  clearRelease,
  collectEvents,
  createWorkload,
  dbFor,
  startCluster,
  startGateway,
  startService,
  token,
  type Cluster,
  type Service,
} from './stack.js';

const ROLLOUT = `
  fragment R on Rollout {
    id phase message weight currentStepIndex image stableImage revision
    steps { index kind weight status appliedAt }
    analysisRuns { id stepIndex phase score message metrics { name query phase measurements { value phase detail } } advice { recommendation source confidence predictionId rationale } }
    decisions(last: 300) { action message measurements { metric value phase } }
    rollback { cause reason fast appliedAt measurements { metric value phase detail } }
    warmUntil
  }`;
const START = `mutation($input: StartRolloutInput!) { startRollout(input: $input) { ...R } } ${ROLLOUT}`;
const GET = `query($id: ID!) { rollout(id: $id) { ...R } } ${ROLLOUT}`;

interface RolloutView {
  id: string;
  phase: string;
  message: string;
  weight: number;
  image: string;
  steps: { index: number; kind: string; weight: number | null; status: string; appliedAt: string | null }[];
  analysisRuns: {
    id: string;
    stepIndex: number;
    phase: string;
    score: number | null;
    message: string | null;
    advice: {
      recommendation: string;
      source: string;
      confidence: number;
      predictionId: string;
      rationale: string;
    } | null;
    metrics: {
      name: string;
      query: string;
      phase: string;
      measurements: { value: number | null; phase: string; detail: string }[];
    }[];
  }[];
  decisions: {
    action: string;
    message: string;
    measurements: { metric: string; value: number | null; phase: string }[];
  }[];
  rollback: {
    cause: string;
    reason: string;
    fast: boolean;
    appliedAt: string | null;
    measurements: { metric: string; value: number | null; phase: string; detail: string }[];
  } | null;
  warmUntil: string | null;
}

// Fast analysis for tests: one measurement a second, three per run, after 2 s for the new pods to be scraped.
const canarySteps = [
  { kind: 'SET_WEIGHT', weight: 25 },
  { kind: 'ANALYSIS', templates: ['success-rate', 'latency-p99'], initialDelaySeconds: 2 },
  { kind: 'SET_WEIGHT', weight: 50 },
  { kind: 'ANALYSIS', templates: ['success-rate', 'error-ratio-vs-stable'], initialDelaySeconds: 2 },
];
// The built-in templates, more patient with missing data: on a loaded machine the first scrapes of new pods can lag.
const metrics = Object.values(BUILT_IN_TEMPLATES).map((t) => ({
  ...t,
  intervalSeconds: 1,
  count: 3,
  inconclusiveLimit: 6,
}));
const input = (releaseId: string, deployment: string, image: string, over: Record<string, unknown> = {}) => ({
  releaseId,
  environment: 'production',
  target: { namespace: 'default', deployment, container: 'app' },
  image,
  strategy: 'CANARY',
  steps: canarySteps,
  metrics,
  // Room for pods to start on a busy machine in real time (kube-local); the crashing image's test sets 8 s.
  progressDeadlineSeconds: 30,
  ...over,
});

// Needs the real prometheus binary (Debian package prometheus, installed by .ci/run).
describe('rollouts on the project’s cluster (kube-sim or kube-local) with a real Prometheus, through the gateway', () => {
  let c: Cluster;
  let s: Service;
  let gw: TestGateway;
  let sre: string;
  let collected: { events: CloudEvent[]; sub: Subscription };
  let ai: OpenAIStub;
  const predictions = new InMemoryPredictionStore();

  beforeAll(async () => {
    c = await startCluster();
    // An AI that always says PROMOTE: its advice is recorded, and never overrides a failed metric.
    ai = await startOpenAIStub({
      responses: () => ({
        json: {
          value: { recommendation: 'PROMOTE', rationale: 'traffic looks normal' },
          confidence: 0.8,
          rationale: 'traffic looks normal',
        },
      }),
    });
    const advisor = createAdvisor(
      { baseURL: ai.url, model: 'stub', timeoutMs: 2000, maxRetries: 0 },
      { recorder: predictions },
    );
    s = await startService(c, dbFor('rollouts'), { advisor });
    gw = await startGateway(s.url);
    sre = await token(['SRE']);
    collected = await collectEvents(s.bus);
  }, 60_000);
  afterAll(async () => {
    await collected?.sub.stop();
    await gw?.stop();
    await s?.stop();
    await ai?.stop();
    await c?.stop();
  });

  const get = async (id: string) => (await gql<{ rollout: RolloutView }>(gw.url, GET, { id }, sre)).data!.rollout;
  const until = (id: string, phases: string[], timeoutMs = 40_000) =>
    eventually(
      `rollout ${id} in ${phases.join(' or ')}`,
      async () => {
        const r = await get(id);
        return phases.includes(r.phase) ? r : undefined;
      },
      timeoutMs,
    );
  const start = async (releaseId: string, name: string, image: string, over: Record<string, unknown> = {}) => {
    await createWorkload(c, name);
    await clearRelease(s, releaseId);
    const res = await gql<{ startRollout: RolloutView }>(
      gw.url,
      START,
      { input: input(releaseId, name, image, over) },
      sre,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.startRollout;
  };
  // The advice on each analysis run is published beside the transitions, as the advisor answers: its order among them is not fixed.
  const eventsOf = (id: string) =>
    collected.events
      .filter(
        (e) =>
          (e.data as { rolloutId?: string }).rolloutId === id &&
          e.type !== 'flightdeck.deployment.rollout.health_advised',
      )
      .map((e) => e.type.replace('flightdeck.deployment.rollout.', ''));

  it('refuses a release whose Production gate has not passed, and a caller without a fitting role', async () => {
    await createWorkload(c, 'refused');
    const res = await gql(gw.url, START, { input: input('rel-unknown', 'refused', 'shop/web:2.0.0') }, sre);
    expect(res.errors?.[0]).toMatchObject({
      message: 'release rel-unknown may not be rolled out: no PRODUCTION (or HOTFIX) gate has passed for it yet',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await clearRelease(s, 'rel-failed', 'FAIL');
    const failed = await gql(gw.url, START, { input: input('rel-failed', 'refused', 'shop/web:2.0.0') }, sre);
    expect(failed.errors?.[0]?.message).toMatch(/PRODUCTION is FAIL; the PRODUCTION gate .* must PASS/);
    const dev = await gql(
      gw.url,
      START,
      { input: input('rel-failed', 'refused', 'shop/web:2.0.0') },
      await token(['DEVELOPER']),
    );
    expect(dev.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ci = await gql(
      gw.url,
      START,
      { input: input('rel-failed', 'refused', 'shop/web:2.0.0') },
      await token(['SRE', 'CI'], 'ci-bot', { machine: true }),
    );
    expect(ci.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it.concurrent('promotes a good version through every canary step, with measurements from Prometheus', async () => {
    const started = await start('rel-good', 'good', 'shop/web:2.0.0');
    expect(started.phase).toBe('PROGRESSING');
    const r = await until(started.id, ['PROMOTED', 'ROLLED_BACK', 'PAUSED', 'FAILED', 'STUCK']);
    expect(r.phase, r.message).toBe('PROMOTED');
    expect(r.steps.map((x) => x.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    // The steps' runs; after promotion the bake's first run (step index 4, past the steps) may have started already.
    expect(r.analysisRuns.filter((a) => a.stepIndex < 4).map((a) => a.phase)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
    expect(r.analysisRuns.filter((a) => a.stepIndex === 4).every((a) => a.id.includes('-bake-'))).toBe(true);
    const successRate = r.analysisRuns[0]!.metrics.find((m) => m.name === 'success-rate')!;
    expect(successRate.query).toContain('deployment="good-canary"');
    // A first measurement may find no data yet (inconclusive, within the limit); every value found is healthy.
    const values = successRate.measurements.flatMap((m) => (m.value === null ? [] : [m.value]));
    expect(values.length).toBeGreaterThanOrEqual(1);
    expect(values.every((v) => v > 0.95)).toBe(true);
    expect(r.analysisRuns[0]!.advice).toMatchObject({ recommendation: 'PROMOTE', source: 'AI' });
    // Each weight applied once.
    expect(r.decisions.filter((d) => d.action === 'APPLY_STEP')).toHaveLength(2);
    const stable = await c.apps.readNamespacedDeployment({ name: 'good', namespace: 'default' });
    expect(stable.spec?.template?.spec?.containers?.[0]?.image).toBe('shop/web:2.0.0');
    expect(stable.metadata?.annotations?.['flightdeck.io/rollout-id']).toBe(r.id);
    const canary = await c.apps.readNamespacedDeployment({ name: 'good-canary', namespace: 'default' });
    expect(canary.spec?.replicas).toBe(0);
    expect(canary.spec?.template?.spec?.containers?.[0]?.image).toBe('shop/web:1.0.0'); // the previous version, warm
    expect(r.warmUntil).not.toBeNull();
    await eventually('the promotion events', async () => (eventsOf(r.id).includes('succeeded') ? true : undefined));
    expect(eventsOf(r.id)).toEqual([
      'started',
      'step_completed',
      'analysis_completed',
      'step_completed',
      'step_completed',
      'analysis_completed',
      'step_completed',
      'promoted',
      'succeeded',
    ]);

    // Inside the rollback window, aborting the promoted rollout scales the warm previous version up.
    const abort = await gql(
      gw.url,
      `mutation($id: ID!) { abortRollout(id: $id, reason: "errors reported after promotion") { phase } }`,
      { id: r.id },
      sre,
    );
    expect(abort.errors).toBeUndefined();
    const back = await until(r.id, ['ROLLED_BACK']);
    expect(back.rollback).toMatchObject({ fast: true, cause: 'ABORT' });
    const restored = await c.apps.readNamespacedDeployment({ name: 'good', namespace: 'default' });
    expect(restored.spec?.template?.spec?.containers?.[0]?.image).toBe('shop/web:1.0.0');
    expect(restored.status?.readyReplicas).toBe(4);
    expect((await c.apps.readNamespacedDeployment({ name: 'good-canary', namespace: 'default' })).spec?.replicas).toBe(
      0,
    );
  });

  it.concurrent(
    'rolls a bad version back on its own, with the measurement that caused it, and the stable version keeps serving',
    async () => {
      const started = await start('rel-bad', 'bad', 'shop/web:3.0.0-bad');
      const r = await until(started.id, ['PROMOTED', 'ROLLED_BACK', 'PAUSED', 'FAILED', 'STUCK']);
      expect(r.phase, r.message).toBe('ROLLED_BACK');
      expect(r.rollback?.cause).toBe('ANALYSIS');
      const failing = r.rollback!.measurements.find((m) => m.phase === 'FAILED')!;
      // Both default templates have a failure condition, so a failed measurement is one that meets it.
      const failureCondition = { 'success-rate': 'result < 0.95', 'latency-p99': 'result > 1' }[failing.metric];
      expect(failureCondition).toBeDefined();
      expect(failing.detail).toBe(`${failing.value!.toPrecision(3)} meets the failure condition ${failureCondition}`);
      expect(r.rollback!.reason).toMatch(new RegExp(`^step 2 of 4: analysis failed: ${failing.metric}: `));
      expect(r.steps[2]!.appliedAt).toBeNull(); // never went to 50%
      const stable = await c.apps.readNamespacedDeployment({ name: 'bad', namespace: 'default' });
      expect(stable.spec?.template?.spec?.containers?.[0]?.image).toBe('shop/web:1.0.0');
      expect(stable.status?.readyReplicas).toBe(4);
      const canary = await c.apps.readNamespacedDeployment({ name: 'bad-canary', namespace: 'default' });
      expect(canary.spec?.replicas).toBe(0);
      await eventually('the rolled_back event', async () =>
        eventsOf(r.id).includes('rolled_back') ? true : undefined,
      );
      const event = collected.events.find(
        (e) =>
          e.type === 'flightdeck.deployment.rollout.rolled_back' &&
          (e.data as { rolloutId: string }).rolloutId === r.id,
      )!;
      expect((event.data as { reason: string }).reason).toMatch(/measurements: /);
      // The AI said PROMOTE; it was recorded as a prediction and shown, and the rollback stood.
      const advised = await eventually('the advice on the failed run', async () => {
        const x = await get(r.id);
        return x.analysisRuns[0]?.advice ? x : undefined;
      });
      expect(advised.analysisRuns[0]!.advice).toMatchObject({
        recommendation: 'PROMOTE',
        source: 'AI',
        confidence: 0.8,
      });
      expect(advised.phase).toBe('ROLLED_BACK');
      expect(advised.decisions.find((d) => d.action === 'ADVICE')?.message).toMatch(
        /differs from the analysis verdict FAILED, which stands: advice never overrides a metric/,
      );
      const recorded = await predictions.find({ kind: 'deployment-health', subject: `rel-bad/${r.id}` });
      expect(recorded.map((p) => p.id)).toContain(advised.analysisRuns[0]!.advice!.predictionId);
      // and published, so analytics scores it against the rollback.
      const published = await eventually('the health_advised event', async () =>
        collected.events.find(
          (e) =>
            e.type === 'flightdeck.deployment.rollout.health_advised' &&
            (e.data as { predictionId: string }).predictionId === advised.analysisRuns[0]!.advice!.predictionId,
        ),
      );
      expect(published.data).toMatchObject({
        rolloutId: r.id,
        releaseId: 'rel-bad',
        environment: 'production',
        runId: advised.analysisRuns[0]!.id,
        recommendation: 'PROMOTE',
        source: 'ai',
        confidence: 0.8,
      });
    },
  );

  it.concurrent('marks a crashing image stuck at its progress deadline and rolls it back', async () => {
    const started = await start('rel-crash', 'crash', 'shop/web:4.0.0-crash', { progressDeadlineSeconds: 8 });
    const r = await until(started.id, ['PROMOTED', 'ROLLED_BACK', 'PAUSED', 'FAILED', 'STUCK']);
    expect(r.phase, r.message).toBe('ROLLED_BACK');
    expect(r.rollback).toMatchObject({ cause: 'DEADLINE' });
    expect(r.rollback!.reason).toBe(
      'step 1 of 4: the canary made no progress within 8 s: 0 of 1 canary replica of shop/web:4.0.0-crash ready',
    );
    await eventually('the events', async () => (eventsOf(r.id).includes('rolled_back') ? true : undefined));
    expect(eventsOf(r.id)).toEqual(['started', 'stuck', 'rolled_back']);
  });

  it.concurrent('undoes a rolling update of a bad version to the previous template', async () => {
    const started = await start('rel-rolling', 'rolling', 'shop/web:3.0.0-bad', {
      strategy: 'ROLLING',
      steps: [{ kind: 'ROLLING_UPDATE' }, { kind: 'ANALYSIS', templates: ['success-rate'], initialDelaySeconds: 2 }],
    });
    const r = await until(started.id, ['PROMOTED', 'ROLLED_BACK', 'PAUSED', 'FAILED', 'STUCK']);
    expect(r.phase, r.message).toBe('ROLLED_BACK');
    expect(r.analysisRuns[0]!.metrics[0]!.query).toContain('version="3.0.0-bad"');
    const d = await eventually('the undone rolling deployment', async () => {
      const x = await c.apps.readNamespacedDeployment({ name: 'rolling', namespace: 'default' });
      return x.status?.readyReplicas === 4 && x.status.updatedReplicas === 4 ? x : undefined;
    });
    expect(d.spec?.template?.spec?.containers?.[0]?.image).toBe('shop/web:1.0.0');
  });

  it.concurrent(
    'waits at a manual pause until a person approves, and a roll-forward-only failure is held, not undone',
    async () => {
      const started = await start('rel-manual', 'manual', 'shop/web:3.0.0-bad', {
        steps: [
          { kind: 'SET_WEIGHT', weight: 25 },
          { kind: 'PAUSE' },
          { kind: 'ANALYSIS', templates: ['success-rate'], initialDelaySeconds: 2 },
        ],
        rollForwardOnly: true,
      });
      const paused = await until(started.id, ['PAUSED']);
      expect(paused.message).toMatch(/waiting for a person to approve/);
      const viewer = await gql(
        gw.url,
        `mutation($id: ID!) { approveStep(id: $id) { id } }`,
        { id: started.id },
        await token(['VIEWER']),
      );
      expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const ok = await gql<{
        approveStep: {
          phase: string;
          startedBy: string;
          startedByName: string;
          steps: { approvedBy: string | null; approvedByName: string | null }[];
        };
      }>(
        gw.url,
        `mutation($id: ID!) { approveStep(id: $id) { phase startedBy startedByName steps { approvedBy approvedByName } } }`,
        { id: started.id },
        await token(['TECHNICAL_LEAD'], 'tina', { name: 'Tina Lead' }),
      );
      expect(ok.errors).toBeUndefined();
      // People are kept by subject (the token's `sub`), with the display name beside it for display.
      expect(ok.data!.approveStep).toMatchObject({
        startedBy: 'sam',
        startedByName: 'sam',
        steps: [{ approvedBy: null }, { approvedBy: 'tina', approvedByName: 'Tina Lead' }, { approvedBy: null }],
      });
      const r = await until(started.id, ['FAILED', 'ROLLED_BACK', 'PROMOTED']);
      expect(r.phase).toBe('FAILED');
      expect(r.message).toMatch(/roll-forward-only, so nothing is undone/);
      const canary = await c.apps.readNamespacedDeployment({ name: 'manual-canary', namespace: 'default' });
      expect(canary.spec?.replicas).toBe(1);
      const aborted = await gql<{ abortRollout: RolloutView }>(
        gw.url,
        `mutation($id: ID!) { abortRollout(id: $id, reason: "fix forward is not ready") { phase } }`,
        { id: started.id },
        sre,
      );
      expect(aborted.errors).toBeUndefined();
      const back = await until(started.id, ['ROLLED_BACK']);
      expect(back.rollback).toMatchObject({
        cause: 'ABORT',
        reason: 'sam aborted the rollout: fix forward is not ready',
      });
    },
  );

  it.concurrent(
    'calls the webhooks: pre-rollout allows, pre-promotion refuses and rolls back, post-rollback is told',
    async () => {
      const calls: { path: string; hook: string }[] = [];
      const hooks = createServer((req, res) => {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          calls.push({ path: req.url ?? '', hook: (JSON.parse(body) as { hook: string }).hook });
          if (req.url === '/promote') res.writeHead(503).end('change freeze until 18:00');
          else res.writeHead(200).end('ok');
        });
      });
      await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
      const base = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
      try {
        const started = await start('rel-hooks', 'hooked', 'shop/web:2.0.0', {
          steps: [{ kind: 'SET_WEIGHT', weight: 25 }],
          webhooks: {
            preRollout: `${base}/start`,
            prePromotion: `${base}/promote`,
            postRollback: `${base}/rolled-back`,
            timeoutSeconds: 2,
          },
        });
        const r = await until(started.id, ['ROLLED_BACK', 'PROMOTED']);
        expect(r.phase).toBe('ROLLED_BACK');
        expect(r.rollback).toMatchObject({
          cause: 'WEBHOOK',
          reason: `the pre-promotion webhook ${base}/promote refused: change freeze until 18:00`,
        });
        await eventually('the post-rollback call', async () => (calls.length === 3 ? true : undefined));
        expect(calls).toEqual([
          { path: '/start', hook: 'PRE_ROLLOUT' },
          { path: '/promote', hook: 'PRE_PROMOTION' },
          { path: '/rolled-back', hook: 'POST_ROLLBACK' },
        ]);
        const recorded = await eventually('the three webhook results', async () => {
          const x = await gql<{ rollout: { webhooks: { hook: string; ok: boolean; status: number }[] } }>(
            gw.url,
            `query($id: ID!) { rollout(id: $id) { webhooks { hook ok status } } }`,
            { id: r.id },
            sre,
          );
          return x.data?.rollout.webhooks.length === 3 ? x.data.rollout.webhooks : undefined;
        });
        expect(recorded).toEqual([
          { hook: 'PRE_ROLLOUT', ok: true, status: 200 },
          { hook: 'PRE_PROMOTION', ok: false, status: 503 },
          { hook: 'POST_ROLLBACK', ok: true, status: 200 },
        ]);
      } finally {
        await new Promise((r) => hooks.close(r));
      }
    },
  );

  it('lists rollouts by release, and Release.rollouts resolves through the entity', async () => {
    const res = await gql<{ rollouts: { totalCount: number; edges: { node: { id: string; phase: string } }[] } }>(
      gw.url,
      `{ rollouts(filter: { releaseId: "rel-good" }, first: 5) { totalCount edges { node { id phase } } } }`,
      {},
      sre,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.rollouts.totalCount).toBe(1);
    const entity = await gql<{ _entities: { rollouts: { phase: string }[] }[] }>(
      s.url,
      `{ _entities(representations: [{ __typename: "Release", id: "rel-good" }]) { ... on Release { rollouts { phase } } } }`,
      {},
      sre,
    );
    expect(entity.data?._entities[0]?.rollouts[0]?.phase).toBe('ROLLED_BACK');
    const good = res.data!.rollouts.edges[0]!.node.id;
    const checked = await gql<{
      recordValidationCheck: {
        validation: {
          complete: boolean;
          items: { id: string; window: string; status: string; by: string | null; byName: string | null }[];
        };
      };
    }>(
      gw.url,
      `mutation($id: ID!) { recordValidationCheck(id: $id, checkId: "error-rate-latency", passed: true, note: "dashboards flat") { validation { complete items { id window status by byName } } } }`,
      { id: good },
      await token(['QA_LEAD'], 'quinn', { name: 'Quinn QA' }),
    );
    expect(checked.errors).toBeUndefined();
    const items = checked.data!.recordValidationCheck.validation.items;
    expect(items).toHaveLength(15);
    expect(items.filter((i) => i.window === 'IMMEDIATE')).toHaveLength(6);
    expect(items.filter((i) => i.window === 'BUSINESS').map((i) => i.id)).toEqual([
      'kpis-tracking',
      'support-tickets',
      'feature-adoption',
      'revenue-conversion',
      'customer-complaints',
    ]);
    expect(items.find((i) => i.id === 'error-rate-latency')).toMatchObject({
      status: 'PASSED',
      by: 'quinn',
      byName: 'Quinn QA',
    });
    expect(checked.data!.recordValidationCheck.validation.complete).toBe(false);
    const metrics = await (await fetch(s.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/flightdeck_rollouts_total\{[^}]*outcome="promoted"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/flightdeck_analysis_runs_total\{[^}]*result="FAILED"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/flightdeck_rollout_rollbacks_total\{[^}]*cause="DEADLINE"[^}]*\} 1\n/);
    expect(metrics).toMatch(/flightdeck_rollout_phase\{[^}]*phase="ROLLED_BACK"[^}]*\} 1\n/);
  });

  it('exports, read from MongoDB, when each rollout entered its phase and its progress deadline, and counts the analysis queries', async () => {
    const before = Date.now() / 1000;
    const res = await gql<{ rollouts: { edges: { node: { id: string; startedAt: string } }[] } }>(
      gw.url,
      `{ rollouts(filter: { releaseId: "rel-crash" }, first: 1) { edges { node { id startedAt } } } }`,
      {},
      sre,
    );
    const { id, startedAt } = res.data!.rollouts.edges[0]!.node;
    const metrics = await (await fetch(s.url.replace('/graphql', '/metrics'))).text();
    const series = (name: string, labels: string) =>
      new RegExp(
        `^${name}\\{rollout="${id}",release="rel-crash",environment="production",[^}]*namespace="default",deployment="crash"${labels},service="deployment"\\} (\\S+)$`,
        'm',
      ).exec(metrics)?.[1];
    const rolledBackAt = Number(
      series('flightdeck_deployment_rollout_phase_entered_timestamp_seconds', ',phase="ROLLED_BACK"'),
    );
    expect(rolledBackAt).toBeGreaterThan(Date.parse(startedAt) / 1000);
    expect(rolledBackAt).toBeLessThanOrEqual(before);
    expect(series('flightdeck_deployment_rollout_progress_deadline_seconds', '')).toBe('8');
    expect(
      Number(
        /^flightdeck_deployment_analysis_queries_total\{result="value",service="deployment"\} (\S+)$/m.exec(
          metrics,
        )?.[1],
      ),
    ).toBeGreaterThan(0);
  });
});
