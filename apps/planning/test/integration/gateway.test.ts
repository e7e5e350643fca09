import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { inject } from 'vitest';
import {
  encodeEvent,
  gateEvaluationCompleted,
  rolloutSucceeded,
  type CloudEvent,
  type Subscription,
} from '@flightdeck/events';
import { eventually, gql } from '@flightdeck/testing';
import { createRelease, startStack, type Stack } from './stack.js';

let stack: Stack;
let manager: string;
let lead: string;
let developer: string;
let ci: string;
let nc: NatsConnection;
const seen: CloudEvent[] = [];
let watcher: Subscription;

// The shapes of GraphQL answers are what the assertions below check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;
const DAY = 86_400_000;
const RELEASE_FIELDS =
  'id product version type status revision allowedTransitions transitions { from to by reason } gateOutcomes { gate outcome }';

beforeAll(async () => {
  stack = await startStack('gateway-flow');
  [manager, lead, developer, ci] = await Promise.all([
    stack.token(['RELEASE_MANAGER'], 'rita'),
    stack.token(['TECHNICAL_LEAD', 'PRODUCT_OWNER'], 'tom'),
    stack.token(['DEVELOPER'], 'dev'),
    stack.token(['CI'], 'pipeline', { machine: true }),
  ]);
  nc = await connect({ servers: inject('natsUrl') });
  watcher = await stack.bus.subscribe({
    durable: `planning-watch-${Date.now()}`,
    filter: 'flightdeck.planning.>',
    handler: (e) => void seen.push(e),
  });
});

afterAll(async () => {
  await watcher?.stop();
  await nc?.close();
  await stack?.stop();
});

const create = (version: string, token = manager, extra: Record<string, unknown> = {}) =>
  gql<{ createRelease: { id: string; type: string; status: string; revision: number } }>(
    stack.gatewayUrl,
    `mutation($input: CreateReleaseInput!) { createRelease(input: $input) { ${RELEASE_FIELDS} } }`,
    {
      input: {
        product: 'checkout-api',
        version,
        theme: 'Faster checkout',
        owner: 'rita',
        targetDate: new Date(Date.now() + 60 * DAY).toISOString(),
        team: { velocityHistory: [8, 10, 12, 10] },
        ...extra,
      },
    },
    token,
  );

const addFeature = (releaseId: string, input: Record<string, unknown>, token = lead) =>
  gql<{ addFeature: { feature: { id: string; wsjf: number } } }>(
    stack.gatewayUrl,
    'mutation($id: ID!, $input: FeatureInput!) { addFeature(releaseId: $id, input: $input, reason: "planning") { feature { id wsjf } release { revision } } }',
    { id: releaseId, input },
    token,
  );

const release = async (id: string) =>
  (
    await gql<{
      release: {
        status: string;
        revision: number;
        transitions: { from: string; to: string; by: string }[];
        gateOutcomes: { gate: string }[];
      };
    }>(stack.gatewayUrl, `query($id: ID!) { release(id: $id) { ${RELEASE_FIELDS} } }`, { id }, manager)
  ).data!.release;

const transition = (id: string, to: string, token = manager) =>
  gql<{ transitionRelease: { status: string } }>(
    stack.gatewayUrl,
    'mutation($id: ID!, $to: ReleaseStatus!) { transitionRelease(id: $id, to: $to, reason: "on plan") { status } }',
    { id, to },
    token,
  );

/** Publishes the event as a fresh NATS message: JetStream stores it again even with the same event id, as after a lost ack. */
function publishRaw(event: CloudEvent): void {
  nc.publish(event.type, encodeEvent(event));
}

describe('planning through the gateway', () => {
  it('creates a release with its type decided from the version, refusing bad input and missing roles', async () => {
    const ok = await create('1.0.0');
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.createRelease).toMatchObject({
      type: 'MAJOR',
      status: 'PLANNING',
      revision: 0,
      allowedTransitions: ['IN_DEVELOPMENT', 'CANCELLED'],
    });

    const bad = await create('1.2');
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
    expect(bad.errors![0]!.message).toContain("'1.2' is not a semantic version");

    const dup = await create('1.0.0');
    expect(dup.errors![0]!.message).toContain('checkout-api 1.0.0 already exists');

    const forbidden = await create('1.1.0', developer);
    expect(forbidden.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(forbidden.errors![0]!.message).toContain('RELEASE_MANAGER');

    const machine = await create('1.1.0', ci);
    expect(machine.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const anonymous = await create('1.1.0', '');
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    const hotfix = await create('1.0.1-hotfix.1');
    expect(hotfix.errors![0]!.message).toContain('would start from 1.0.0, which was never released');
  });

  it('builds scope, refuses a cycle naming it, and prioritises under capacity with alternatives', async () => {
    const { id } = (await create('2.0.0')).data!.createRelease;
    const api = (
      await addFeature(id, {
        title: 'Payments API',
        priority: 'MUST',
        businessValue: 8,
        timeCriticality: 8,
        riskReduction: 5,
        effort: 8,
      })
    ).data!.addFeature.feature.id;
    const ui = (
      await addFeature(id, {
        title: 'Pay button',
        priority: 'SHOULD',
        businessValue: 13,
        timeCriticality: 5,
        riskReduction: 1,
        effort: 3,
        dependsOn: [api],
      })
    ).data!.addFeature.feature.id;
    await addFeature(id, {
      title: 'Saved cards',
      priority: 'COULD',
      businessValue: 5,
      timeCriticality: 2,
      riskReduction: 1,
      effort: 13,
    });

    const cycle = await gql(
      stack.gatewayUrl,
      'mutation($r: ID!, $f: ID!, $d: [ID!]) { updateFeature(releaseId: $r, featureId: $f, input: { dependsOn: $d }) { id } }',
      { r: id, f: api, d: [ui] },
      lead,
    );
    expect(cycle.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dependsOn' });
    expect(cycle.errors![0]!.message).toContain("cycle: 'Payments API' → 'Pay button' → 'Payments API'");

    const badEffort = await addFeature(id, {
      title: 'X',
      priority: 'MUST',
      businessValue: 1,
      timeCriticality: 1,
      riskReduction: 1,
      effort: -2,
    });
    expect(badEffort.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'effort' });

    const progress = await gql(
      stack.gatewayUrl,
      'mutation($r: ID!, $f: ID!) { updateFeature(releaseId: $r, featureId: $f, input: { status: IN_PROGRESS }) { id } }',
      { r: id, f: api },
      developer,
    );
    expect(progress.errors).toBeUndefined();
    const scopeByDev = await gql(
      stack.gatewayUrl,
      'mutation($r: ID!, $f: ID!) { updateFeature(releaseId: $r, featureId: $f, input: { effort: 1 }) { id } }',
      { r: id, f: api },
      developer,
    );
    expect(scopeByDev.errors![0]!.extensions!.code).toBe('FORBIDDEN');

    const p = await gql<{ prioritizeScope: Answer }>(
      stack.gatewayUrl,
      `mutation($id: ID!) { prioritizeScope(releaseId: $id, capacity: 12, stretch: 1.5) {
        capacity ranking { rank feature { title } }
        recommended { name selected { title } totalEffort leftOut { feature { title } reason } }
        mvp { selected { title } } extended { capacity selected { title } leftOut { reason } }
        advice { source fallbackReason predictionId sequencing features { featureId risk } } } }`,
      { id },
      lead,
    );
    expect(p.errors).toBeUndefined();
    const r = p.data!.prioritizeScope;
    expect(r.ranking.map((x: { feature: { title: string } }) => x.feature.title)).toEqual([
      'Pay button',
      'Payments API',
      'Saved cards',
    ]);
    expect(r.recommended.selected.map((f: { title: string }) => f.title)).toEqual(['Payments API', 'Pay button']);
    expect(r.recommended.leftOut).toEqual([
      { feature: { title: 'Saved cards' }, reason: 'needs 13 points, more than the 1 of 12 left' },
    ]);
    expect(r.mvp.selected.map((f: { title: string }) => f.title)).toEqual(['Payments API']);
    expect(r.extended).toMatchObject({ capacity: 30, leftOut: [] });
    expect(r.advice.source).toBe('DETERMINISTIC');
    expect(r.advice.fallbackReason).toContain('no AI endpoint');
    expect(r.advice.sequencing).toEqual([api, ui]);
    const recorded = await stack.predictions.find({ kind: 'prioritisation', subject: id });
    expect(recorded.map((x) => x.id)).toEqual([r.advice.predictionId]);
    const recommended = await eventually('the scope recommended event', async () =>
      seen.find((e) => e.type === 'flightdeck.planning.scope.recommended' && e.subject === id),
    );
    expect(recommended.data).toMatchObject({
      releaseId: id,
      product: 'checkout-api',
      source: 'deterministic',
      predictionId: r.advice.predictionId,
      recommended: [api, ui],
      capacity: 12,
    });
    expect((recommended.data as { leftOut: string[] }).leftOut).toHaveLength(1);

    const scope = await gql<{
      release: { scopeChanges: { kind: string; by: string }[]; documents: { scope: string } };
    }>(stack.gatewayUrl, 'query($id: ID!) { release(id: $id) { scopeChanges { kind by } documents { scope } } }', {
      id,
    });
    expect(scope.data!.release.scopeChanges.map((c) => c.kind)).toEqual(['ADDED', 'ADDED', 'ADDED', 'STATUS_CHANGED']);
    expect(scope.data!.release.documents.scope).toContain('| Payments API | MUST | 8 |');
  });

  it('forecasts the timeline reproducibly and reports health', async () => {
    const { id } = (await create('3.0.0')).data!.createRelease;
    await addFeature(id, {
      title: 'Search',
      priority: 'MUST',
      businessValue: 8,
      timeCriticality: 3,
      riskReduction: 2,
      effort: 20,
    });
    const q = `mutation($id: ID!) { forecastTimeline(releaseId: $id, runs: 2000, seed: 7) {
      forecast { at runs seed p50 p85 probabilityOnTime basis } timeline { remainingPoints capacityPoints milestones { name } criticalPath { points features { title } } }
      advice { source commentary } release { forecast { seed } health { status reasons { rule status message } progress { featuresTotal pointsTotal } } } } }`;
    const a = await gql<{ forecastTimeline: Answer }>(stack.gatewayUrl, q, { id }, manager);
    expect(a.errors).toBeUndefined();
    const b = await gql<{ forecastTimeline: Answer }>(stack.gatewayUrl, q, { id }, manager);
    const fa = a.data!.forecastTimeline;
    expect(fa.forecast).toMatchObject({ runs: 2000, seed: 7, basis: 'HISTORY', probabilityOnTime: 1 });
    // Same seed, same runs: the same distribution, measured from each forecast's own start.
    const weeks = (f: { at: string; p85: string }) => Date.parse(f.p85) - Date.parse(f.at);
    expect(weeks(b.data!.forecastTimeline.forecast)).toBe(weeks(fa.forecast));
    expect(fa.timeline.criticalPath).toEqual({ points: 20, features: [{ title: 'Search' }] });
    expect(fa.timeline.milestones.map((m: { name: string }) => m.name)).toContain('CODE_FREEZE');
    expect(fa.release.forecast.seed).toBe(7);
    expect(fa.release.health).toMatchObject({ status: 'GREEN', progress: { featuresTotal: 1, pointsTotal: 20 } });
    // A Green report says why: the rules it checked, each holding.
    expect(fa.release.health.reasons).toContainEqual({
      rule: 'FORECAST_AT_RISK',
      status: 'GREEN',
      message: '100% of forecast runs finish by feature complete (85% wanted)',
    });
    expect(fa.release.health.reasons.every((r: { status: string }) => r.status === 'GREEN')).toBe(true);
    expect(fa.advice.source).toBe('DETERMINISTIC');
  });

  it('moves forward on gate and rollout events, once per event, and refuses gated steps before', async () => {
    const { id } = (await create('4.0.0')).data!.createRelease;
    expect((await transition(id, 'IN_DEVELOPMENT')).errors).toBeUndefined();
    expect((await transition(id, 'FEATURE_COMPLETE', lead)).errors).toBeUndefined();
    const early = await transition(id, 'CODE_FREEZE');
    expect(early.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(early.errors![0]!.message).toContain(
      'needs the FEATURE_COMPLETE gate to have passed; it has not been evaluated yet',
    );

    const gate = (gateName: string, outcome: 'PASS' | 'FAIL' = 'PASS') =>
      gateEvaluationCompleted.create({
        source: 'flightdeck/gates',
        data: {
          releaseId: id,
          evaluationId: `${gateName}-1`,
          gate: gateName,
          outcome,
          evaluatedAt: new Date().toISOString(),
        },
      });
    const passed = gate('FEATURE_COMPLETE');
    await stack.bus.publish(passed);
    const moved = await eventually('the gate event to move the release', async () => {
      const r = await release(id);
      return r.status === 'CODE_FREEZE' ? r : undefined;
    });
    expect(moved.transitions.at(-1)).toEqual({
      from: 'FEATURE_COMPLETE',
      to: 'CODE_FREEZE',
      by: 'flightdeck-gates',
      reason: 'FEATURE_COMPLETE gate passed (evaluation FEATURE_COMPLETE-1)',
    });

    // The same event again (a redelivery), then a marker event: once the marker is applied, the redelivery was handled before it.
    publishRaw(passed);
    await stack.bus.publish(gate('SECURITY_REVIEW'));
    const after = await eventually('the marker event', async () => {
      const r = await release(id);
      return r.gateOutcomes.length >= 2 ? r : undefined;
    });
    expect(after.gateOutcomes.map((g) => g.gate)).toEqual(['FEATURE_COMPLETE', 'SECURITY_REVIEW']);
    expect(after.transitions).toHaveLength(moved.transitions.length);
    expect(after.revision).toBe(moved.revision + 1);

    expect((await transition(id, 'ALPHA')).errors).toBeUndefined();
    await stack.bus.publish(gate('ALPHA'));
    await eventually('BETA', async () => ((await release(id)).status === 'BETA' ? true : undefined));
    await stack.bus.publish(gate('BETA'));
    await eventually('RELEASE_CANDIDATE', async () =>
      (await release(id)).status === 'RELEASE_CANDIDATE' ? true : undefined,
    );
    await stack.bus.publish(gate('PRODUCTION'));
    await eventually('the production gate', async () =>
      (await release(id)).gateOutcomes.some((g) => g.gate === 'PRODUCTION') ? true : undefined,
    );
    expect((await release(id)).status).toBe('RELEASE_CANDIDATE');
    await stack.bus.publish(
      rolloutSucceeded.create({
        source: 'flightdeck/deployment',
        data: { releaseId: id, rolloutId: 'ro-1', environment: 'production', completedAt: new Date().toISOString() },
      }),
    );
    const released = await eventually('RELEASED', async () => {
      const r = await release(id);
      return r.status === 'RELEASED' ? r : undefined;
    });
    expect(released.transitions.at(-1)).toMatchObject({
      from: 'RELEASE_CANDIDATE',
      to: 'RELEASED',
      by: 'flightdeck-deployment',
    });

    // Released versions now bound the next ones, and a hotfix may start from 4.0.0.
    const hotfix = await create('4.0.1-hotfix.1', manager, {
      hotfixReason: 'PRODUCTION_DOWN',
      hotfixDetails: 'checkout fails for every card payment',
    });
    expect(hotfix.data!.createRelease).toMatchObject({
      type: 'HOTFIX',
      allowedTransitions: ['IN_DEVELOPMENT', 'CANCELLED'],
    });
    expect((await create('3.9.0')).errors![0]!.message).toContain('does not increase over the released 4.0.0');
  });

  it('refuses the second of two edits made from the same revision', async () => {
    const { id, revision } = (await create('5.0.0')).data!.createRelease;
    const edit = (theme: string) =>
      gql(
        stack.gatewayUrl,
        'mutation($id: ID!, $rev: Int, $t: String) { updateRelease(id: $id, input: { theme: $t }, expectedRevision: $rev) { theme revision } }',
        { id, rev: revision, t: theme },
        manager,
      );
    const first = await edit('first');
    const second = await edit('second');
    expect(first.errors).toBeUndefined();
    expect(second.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', expectedRevision: 0, actualRevision: 1 });
    const now = await gql<{ release: { theme: string } }>(
      stack.gatewayUrl,
      'query($id: ID!) { release(id: $id) { theme } }',
      { id },
    );
    expect(now.data!.release.theme).toBe('first');
  });

  it('lists releases with filters and cursors, and finds one by version', async () => {
    const page = async (after?: string) =>
      (
        await gql<{
          releases: {
            totalCount: number;
            edges: { node: { version: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        }>(
          stack.gatewayUrl,
          'query($after: String) { releases(filter: { product: "checkout-api", type: [MAJOR] }, first: 2, after: $after) { totalCount edges { node { version } } pageInfo { hasNextPage endCursor } } }',
          after ? { after } : {},
        )
      ).data!.releases;
    const one = await page();
    expect(one.totalCount).toBeGreaterThanOrEqual(5);
    expect(one.edges).toHaveLength(2);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = await page(one.pageInfo.endCursor);
    expect(two.edges.map((e) => e.node.version)).not.toContain(one.edges[0]!.node.version);
    const bad = await gql(stack.gatewayUrl, '{ releases(after: "nonsense") { totalCount } }');
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const byVersion = await gql<{ releaseByVersion: { type: string } }>(
      stack.gatewayUrl,
      '{ releaseByVersion(product: "checkout-api", version: "2.0.0") { type } }',
    );
    expect(byVersion.data!.releaseByVersion).toEqual({ type: 'MAJOR' });
  });

  it('published its events through the outbox', async () => {
    await eventually('the forecast event', async () =>
      seen.some((e) => e.type === 'flightdeck.planning.timeline.forecasted') ? true : undefined,
    );
    const types = new Set(seen.map((e) => e.type));
    for (const t of [
      'release.created',
      'release.status_changed',
      'release.scope_changed',
      'feature.status_changed',
      'timeline.forecasted',
      'scope.recommended',
    ]) {
      expect(types).toContain(`flightdeck.planning.${t}`);
    }
    const statusEvents = seen
      .filter((e) => e.type === 'flightdeck.planning.release.status_changed')
      .map((e) => (e.data as { to: string }).to);
    expect(statusEvents).toContain('RELEASED');
  });
});

describe('who acted', () => {
  // Every record and event names people by subject (the token's `sub`), the identity key other services
  // compare (gates' four-eyes rule); the display name is kept beside it for display only.
  it('is recorded by subject, with the display name beside it, for tokens with and without a display name', async () => {
    const named = await stack.token(['RELEASE_MANAGER', 'TECHNICAL_LEAD'], 'rita.m', { name: 'Rita Manager' });
    const plain = await stack.token(['RELEASE_MANAGER', 'TECHNICAL_LEAD'], 'ravi');
    const people = [
      { token: named, version: '1.0.0', subject: 'rita.m', name: 'Rita Manager' },
      { token: plain, version: '1.1.0', subject: 'ravi', name: 'ravi' },
    ];
    for (const p of people) {
      const id = await createRelease(stack.gatewayUrl, p.token, {
        product: 'ledger-api',
        version: p.version,
        theme: 'Ledger',
        owner: 'finance team',
        targetDate: new Date(Date.now() + 60 * DAY).toISOString(),
      });
      await addFeature(
        id,
        { title: 'Journal', priority: 'MUST', businessValue: 3, timeCriticality: 3, riskReduction: 3, effort: 2 },
        p.token,
      );
      expect((await transition(id, 'IN_DEVELOPMENT', p.token)).errors).toBeUndefined();

      const r = await gql<{
        release: {
          transitions: { by: string; byName: string }[];
          scopeChanges: { by: string; byName: string }[];
          documents: { weeklyStatus: string };
        };
      }>(
        stack.gatewayUrl,
        'query($id: ID!) { release(id: $id) { transitions { by byName } scopeChanges { by byName } documents { weeklyStatus } } }',
        { id },
        p.token,
      );
      expect(r.data!.release.transitions).toEqual([{ by: p.subject, byName: p.name }]);
      expect(r.data!.release.scopeChanges).toEqual([{ by: p.subject, byName: p.name }]);
      expect(r.data!.release.documents.weeklyStatus).toContain(`- scope added: Journal — planning (${p.name})`);

      const events = await eventually(`the events of ledger-api ${p.version}`, async () => {
        const mine = seen.filter((e) => (e.data as { releaseId?: string }).releaseId === id);
        return mine.length >= 3 ? mine : undefined;
      });
      const created_ = events.find((e) => e.type === 'flightdeck.planning.release.created')!;
      expect((created_.data as { createdBy: string }).createdBy).toBe(p.subject);
      const moved = events.find((e) => e.type === 'flightdeck.planning.release.status_changed')!;
      expect((moved.data as { by: string }).by).toBe(p.subject);
      const scoped = events.find((e) => e.type === 'flightdeck.planning.release.scope_changed')!;
      expect((scoped.data as { by: string }).by).toBe(p.subject);
    }
  });
});

describe('release lists', () => {
  it('load the scope history of a listed release when asked for it', async () => {
    const { id } = (await create('6.0.0')).data!.createRelease;
    await addFeature(id, {
      title: 'Audit log',
      priority: 'MUST',
      businessValue: 3,
      timeCriticality: 3,
      riskReduction: 3,
      effort: 2,
    });
    const list = await gql<{
      releases: {
        edges: { node: { id: string; scopeChanges: { kind: string }[]; documents: { weeklyStatus: string } } }[];
      };
    }>(
      stack.gatewayUrl,
      '{ releases(filter: { product: "checkout-api" }, first: 100) { edges { node { id scopeChanges { kind } documents { weeklyStatus } } } } }',
    );
    const node = list.data!.releases.edges.find((e) => e.node.id === id)!.node;
    expect(node.scopeChanges).toEqual([{ kind: 'ADDED' }]);
    expect(node.documents.weeklyStatus).toContain('- scope added: Audit log');
  });

  it("read only the release documents' own fields for a summary, and the scope when it is selected", async () => {
    const summary = await gql<{ releases: { edges: { node: { version: string; status: string } }[] } }>(
      stack.gatewayUrl,
      '{ releases(filter: { product: "checkout-api" }, first: 100) { edges { node { version status } } } }',
    );
    expect(summary.data!.releases.edges.map((e) => e.node.version)).toContain('6.0.0');
    const withScope = await gql<{
      releases: { edges: { node: { version: string; features: { title: string }[]; transitions: unknown[] } }[] };
    }>(
      stack.gatewayUrl,
      '{ releases(filter: { product: "checkout-api" }, first: 100) { edges { node { version features { title } transitions { to } } } } }',
    );
    const six = withScope.data!.releases.edges.find((e) => e.node.version === '6.0.0')!.node;
    expect(six.features).toEqual([{ title: 'Audit log' }]);
    const four = withScope.data!.releases.edges.find((e) => e.node.version === '4.0.0')!.node;
    expect(four.transitions.length).toBeGreaterThan(5);
  });
});
