import { eventually, GraphQLRefusal, type DemoApi } from './api.js';
import { CHECKOUT_TESTS, junitReport, lcovReport } from './reports.js';

export interface FeatureSpec {
  title: string;
  priority: 'MUST' | 'SHOULD' | 'COULD' | 'WONT';
  businessValue: number;
  timeCriticality: number;
  riskReduction: number;
  effort: number;
}

export interface ReleaseSpec {
  product: string;
  version: string;
  theme: string;
  /** The day it reaches production. */
  target: Date;
  /** Days late against the target the team planned for (0: on time). */
  slipDays?: number;
  features: FeatureSpec[];
  /** Rollouts in order until one is promoted: a bad image is rolled back by its analysis, the next one goes on. */
  rollouts: { deployment: string; image: string }[];
}

const DAY = 86_400_000;

/** Fast analysis for the demo: a measurement a second, three per run, after two seconds for the new pods to be scraped. */
export const DEMO_CANARY = {
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
  progressDeadlineSeconds: 30,
};

const FINAL = ['PROMOTED', 'ROLLED_BACK', 'FAILED', 'STUCK'];

export interface ShipDeps {
  api: DemoApi;
  /** Tells the person watching what just happened, in a sentence. */
  narrate(line: string): void;
  /** Moves the services' clock to a moment of the release's life (history), or does nothing (live). */
  moveTo(at: Date): void;
  namespace: string;
  /** Uploads a report as the pipeline does. */
  submit(release: string, gate: string, kind: 'JUNIT' | 'LCOV' | 'SARIF', name: string, content: string): Promise<void>;
}

export async function statusOf(api: DemoApi, id: string): Promise<string> {
  return (
    await api.as<{ release: { status: string } }>('rita', 'query($id: ID!) { release(id: $id) { status } }', { id })
  ).release.status;
}

export async function waitForStatus(api: DemoApi, id: string, status: string): Promise<void> {
  await eventually(`release ${id} reaching ${status}`, async () =>
    (await statusOf(api, id)) === status ? true : undefined,
  );
}

export async function transition(api: DemoApi, id: string, to: string, reason: string): Promise<void> {
  await api.as(
    'rita',
    'mutation($id: ID!, $to: ReleaseStatus!, $r: String!) { transitionRelease(id: $id, to: $to, reason: $r) { status } }',
    { id, to, r: reason },
  );
}

export async function gateOutcome(api: DemoApi, release: string, gate: string): Promise<string | null> {
  return (
    await api.as<{ gate: { outcome: string | null } }>(
      'rita',
      'query($r: String!, $g: String!) { gate(release: $r, gate: $g) { outcome } }',
      { r: release, g: gate },
    )
  ).gate.outcome;
}

export async function waitForGate(api: DemoApi, release: string, gate: string, outcome = 'PASS'): Promise<void> {
  await eventually(`${release} ${gate} gate ${outcome}`, async () =>
    (await gateOutcome(api, release, gate)) === outcome ? true : undefined,
  );
}

export async function createRelease(
  api: DemoApi,
  spec: Pick<ReleaseSpec, 'product' | 'version' | 'theme'> & { targetDate: Date },
  extra: Record<string, unknown> = {},
): Promise<string> {
  const created = await api.as<{ createRelease: { id: string } }>(
    'rita',
    'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }',
    {
      input: {
        product: spec.product,
        version: spec.version,
        theme: spec.theme,
        owner: 'rita',
        targetDate: spec.targetDate.toISOString(),
        team: { velocityHistory: [18, 21, 19, 22], plannedVelocity: 20 },
        ...extra,
      },
    },
  );
  return created.createRelease.id;
}

export async function addFeatures(api: DemoApi, id: string, features: FeatureSpec[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of features) {
    const added = await api.as<{ addFeature: { feature: { id: string } } }>(
      'rita',
      'mutation($id: ID!, $input: FeatureInput!) { addFeature(releaseId: $id, input: $input) { feature { id } } }',
      { id, input: f },
    );
    ids.push(added.addFeature.feature.id);
  }
  return ids;
}

export async function setFeatureStatus(api: DemoApi, id: string, featureIds: string[], status: string): Promise<void> {
  for (const f of featureIds)
    await api.as(
      'tina',
      'mutation($id: ID!, $f: ID!, $input: FeaturePatch!) { updateFeature(releaseId: $id, featureId: $f, input: $input) { id } }',
      { id, f, input: { status } },
    );
}

export async function tick(
  api: DemoApi,
  release: string,
  gate: string,
  criterion: string,
  items: string[],
  who: 'tina' | 'quinn' | 'paula' = 'tina',
): Promise<void> {
  for (const item of items) {
    await api.as(
      who,
      'mutation($r: String!, $g: String!, $c: String!, $i: String!) { tickChecklistItem(release: $r, gate: $g, criterion: $c, item: $i) { name } }',
      { r: release, g: gate, c: criterion, i: item },
    );
  }
}

export async function approve(
  api: DemoApi,
  who: 'rob' | 'rita' | 'tina' | 'quinn' | 'paula',
  release: string,
  gate: string,
  comment: string,
): Promise<void> {
  await api.as(
    who,
    'mutation($r: String!, $g: String!, $c: String) { approveGate(release: $r, gate: $g, comment: $c) { name } }',
    { r: release, g: gate, c: comment },
  );
}

/** Starts a rollout as the SRE once deployment has heard that the release's production gate passed, and waits for its end. */
export async function rollOut(
  api: DemoApi,
  releaseId: string,
  namespace: string,
  deployment: string,
  image: string,
  opts: { canary?: Record<string, unknown>; onStarted?(id: string): void } = {},
): Promise<{ id: string; phase: string; message: string }> {
  const started = await eventually(`deployment accepting a rollout of ${image}`, async () => {
    try {
      return (
        await api.as<{ startRollout: { id: string } }>(
          'sam',
          'mutation($input: StartRolloutInput!) { startRollout(input: $input) { id } }',
          {
            input: {
              ...(opts.canary ?? DEMO_CANARY),
              releaseId,
              target: { namespace, deployment, container: 'app' },
              image,
            },
          },
        )
      ).startRollout;
    } catch (err) {
      if (err instanceof GraphQLRefusal && /gate has passed for it yet/.test(err.message)) return undefined;
      throw err;
    }
  });
  opts.onStarted?.(started.id);
  return eventually(
    `rollout of ${image} finishing`,
    async () => {
      const r = (
        await api.as<{ rollout: { id: string; phase: string; message: string } }>(
          'sam',
          'query($id: ID!) { rollout(id: $id) { id phase message } }',
          { id: started.id },
        )
      ).rollout;
      return FINAL.includes(r.phase) ? r : undefined;
    },
    120_000,
  );
}

/**
 * A release's whole life through the API, each step at its moment: planned five weeks ahead, scope prioritised and
 * forecast, built, frozen on Feature Complete, tested through Alpha and Beta, approved for production by a second
 * release manager on the pipeline's reports, and rolled out (a bad image rolled back by its analysis).
 */
export async function shipRelease(
  deps: ShipDeps,
  spec: ReleaseSpec,
): Promise<{ id: string; rollouts: { id: string; phase: string }[] }> {
  const { api, moveTo, narrate } = deps;
  const ref = `${spec.product}@${spec.version}`;
  const production = spec.target.getTime();
  const planned = new Date(production - (spec.slipDays ?? 0) * DAY);
  const on = (daysBefore: number) => moveTo(new Date(production - daysBefore * DAY));

  on(35);
  const id = await createRelease(api, { ...spec, targetDate: planned });
  const features = await addFeatures(api, id, spec.features);
  await api.as('rita', 'mutation($id: ID!) { prioritizeScope(releaseId: $id) { capacity } }', { id });
  on(33);
  await transition(api, id, 'IN_DEVELOPMENT', 'scope agreed with the product owner');
  await setFeatureStatus(api, id, features, 'IN_PROGRESS');
  await api.as('rita', 'mutation($id: ID!) { forecastTimeline(releaseId: $id, runs: 2000) { forecast { p85 } } }', {
    id,
  });
  on(16);
  await setFeatureStatus(api, id, features, 'DONE');
  on(14);
  await transition(api, id, 'FEATURE_COMPLETE', 'every planned feature is done');
  await tick(api, ref, 'FEATURE_COMPLETE', 'code-freeze', ['reviews-done', 'branch-cut']);
  await approve(api, 'tina', ref, 'FEATURE_COMPLETE', 'reviewed, branch cut');
  await waitForStatus(api, id, 'CODE_FREEZE');
  on(10);
  await transition(api, id, 'ALPHA', 'release branch deployed to the test environment');
  await deps.submit(ref, 'ALPHA', 'JUNIT', 'reports/system-tests.xml', junitReport('system', CHECKOUT_TESTS));
  await approve(api, 'quinn', ref, 'ALPHA', 'system tests green');
  await waitForStatus(api, id, 'BETA');
  on(5);
  await tick(api, ref, 'BETA', 'beta-checklist', ['uat-done', 'docs-done'], 'paula');
  await approve(api, 'paula', ref, 'BETA', 'accepted by the pilot customers');
  await waitForStatus(api, id, 'RELEASE_CANDIDATE');
  on(2);
  await api.as('quinn', 'mutation($r: String!) { assessReadiness(release: $r) { id } }', { r: id });
  on(1);
  await deps.submit(ref, 'PRODUCTION', 'JUNIT', 'reports/regression.xml', junitReport('regression', CHECKOUT_TESTS));
  await deps.submit(
    ref,
    'PRODUCTION',
    'LCOV',
    'coverage/lcov.info',
    lcovReport(['src/checkout.ts', 'src/payment.ts', 'src/basket.ts'], 120, 0.87),
  );
  await approve(api, 'rob', ref, 'PRODUCTION', 'go for production');
  await waitForGate(api, ref, 'PRODUCTION');
  on(0);
  await api.as('rita', 'mutation($r: String!) { assessReadiness(release: $r) { id } }', { r: id });
  const rollouts: { id: string; phase: string }[] = [];
  for (const [i, r] of spec.rollouts.entries()) {
    on(-i / 8); // a fixed build follows a rollback three hours later
    const done = await rollOut(api, id, deps.namespace, r.deployment, r.image);
    rollouts.push(done);
    narrate(`${ref} rollout of ${r.image}: ${done.phase} — ${done.message}`);
    if (done.phase === 'PROMOTED') {
      // Planning releases it on deployment's event: wait, so the step is dated before the clock moves on.
      await waitForStatus(api, id, 'RELEASED');
      break;
    }
  }
  return { id, rollouts };
}
