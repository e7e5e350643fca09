import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { inject } from 'vitest';
import { encodeEvent, type CloudEvent, type Subscription } from '@flightdeck/events';
import { eventually, gql } from '@flightdeck/testing';
import { doraMetrics } from '../../src/domain/index.js';
import { historyOf, Story } from '../domain/history-builder.js';
import { startStack, WEBHOOK_TOKEN, type Stack } from './stack.js';
import { ALERTMANAGER_WEBHOOK_PATH } from '@flightdeck/subgraph';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;
const NOW = new Date('2026-03-31T00:00:00Z');
const MARCH = 'from: "2026-03-01T00:00:00Z", to: "2026-03-31T00:00:00Z"';

let stack: Stack;
let nc: NatsConnection;
let sre: string;
let dev: string;
let viewer: string;
let ci: string;
const seen: CloudEvent[] = [];
let watcher: Subscription;

/** The month of a product: rollbacks, an incident within 48 h, a hotfix, forecasts and readiness advice. */
function history(): Story {
  return new Story()
    .release('r1', '2026-03-01T00:00:00Z', { version: '1.1.0', target: '2026-03-07T00:00:00Z' })
    .scope('r1', 'f1', 'ADDED', '2026-03-01T01:00:00Z')
    .scope('r1', 'f2', 'ADDED', '2026-03-01T01:00:00Z')
    .feature('r1', 'f1', 'IN_PROGRESS', '2026-03-01T02:00:00Z')
    .feature('r1', 'f1', 'DONE', '2026-03-01T10:00:00Z')
    .status('r1', 'CODE_FREEZE', '2026-03-02T00:00:00Z')
    .readiness('r1', 'GO', 'ai', '2026-03-02T05:00:00Z')
    .gate('r1', 'PRODUCTION', 'PASS', '2026-03-02T06:00:00Z')
    .rollout('r1', 'ro1', '2026-03-02T10:00:00Z', { succeededAt: '2026-03-02T11:00:00Z' }, { deployment: 'web' })
    .status('r1', 'RELEASED', '2026-03-02T11:00:00Z')
    .rollout('r1', 'ro2', '2026-03-05T10:00:00Z', { rolledBackAt: '2026-03-05T10:30:00Z' })
    .rollout('r1', 'ro3', '2026-03-06T10:00:00Z', { succeededAt: '2026-03-06T11:00:00Z' })
    .incident('i1', '2026-03-06T16:00:00Z', { resolvedAt: '2026-03-06T18:00:00Z' })
    .release('r2', '2026-03-09T00:00:00Z', { version: '1.2.0' })
    .rollout('r2', 'ro4', '2026-03-10T10:00:00Z', { succeededAt: '2026-03-10T11:00:00Z' }, { deployment: 'cart' })
    .release('hf', '2026-03-12T13:00:00Z', { version: '1.2.1-hotfix.1', type: 'HOTFIX', baseVersion: '1.2.0' })
    .status('hf', 'RELEASED', '2026-03-12T20:00:00Z', { type: 'HOTFIX' });
}

beforeAll(async () => {
  stack = await startStack('gateway', { now: () => NOW });
  [sre, dev, viewer, ci] = await Promise.all([
    stack.token(['SRE'], 'sam'),
    stack.token(['DEVELOPER'], 'dora', { name: 'Dora Developer' }),
    stack.token(['VIEWER'], 'val'),
    stack.token(['CI'], 'pipeline', { machine: true }),
  ]);
  nc = await connect({ servers: inject('natsUrl') });
  watcher = await stack.bus.subscribe({
    durable: `analytics-watch-${Date.now()}`,
    filter: 'flightdeck.analytics.>',
    handler: (e) => void seen.push(e),
  });
  // Published in reverse, and the first five again as fresh NATS messages (as after a lost ack): order and duplicates must not matter.
  const events = history().events;
  for (const e of [...events].reverse()) await stack.bus.publish(e);
  for (const e of events.slice(0, 5)) nc.publish(e.type, encodeEvent(e));
});

afterAll(async () => {
  await watcher?.stop();
  await nc?.close();
  await stack?.stop();
});

const dora = (args: string, token = viewer) =>
  gql<{ doraMetrics: Answer }>(
    stack.gatewayUrl,
    `{ doraMetrics(${args}) { product window { from to timeZone }
      deploymentFrequency { deployments days perDay deploymentDays level formula }
      leadTimeForChanges { releases medianHours codeFreezeToProductionMedianHours level }
      changeFailureRate { deployments failed rate level formula }
      failedDeploymentRecoveryTime { failures recovered medianHours level } levels asOf } }`,
    {},
    token,
  );

describe('analytics through the gateway, fed through real NATS', () => {
  it('answers doraMetrics from events delivered out of order and twice, with formulas and levels', async () => {
    const m = await eventually('four production rollouts projected', async () => {
      const r = await dora(`product: "shop", ${MARCH}`);
      return r.data?.doraMetrics.changeFailureRate.deployments === 4 ? r.data.doraMetrics : undefined;
    });
    expect(m.deploymentFrequency).toMatchObject({
      deployments: 3,
      days: 30,
      perDay: 0.1,
      deploymentDays: 3,
      level: 'MEDIUM',
    });
    expect(m.changeFailureRate).toMatchObject({ deployments: 4, failed: 2, rate: 0.5, level: 'LOW' });
    // The service's clock: when the partitions last caught up.
    expect(m.asOf).toBe(NOW.toISOString());
    expect(m.changeFailureRate.formula).toContain('within 48 h');
    expect(m.failedDeploymentRecoveryTime).toEqual({ failures: 2, recovered: 2, medianHours: 1.25, level: 'HIGH' });
    // r1: first change 1 March 02:00 → production 2 March 11:00 = 33 h; r2 has no feature: creation 9 March 00:00 → 10 March 11:00 = 35 h;
    // the hotfix, marked RELEASED without a rollout: 12 March 13:00 → 20:00 = 7 h
    expect(m.leadTimeForChanges).toMatchObject({
      releases: 3,
      medianHours: 33,
      codeFreezeToProductionMedianHours: 11,
      level: 'HIGH',
    });
    expect(m.levels).toContain('DORA 2024');

    // the same numbers as the formulas over the events as written
    const expected = doraMetrics(
      historyOf(history().events),
      { product: 'shop' },
      { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-31T00:00:00Z') },
    );
    expect(m.changeFailureRate.rate).toBe(expected.changeFailureRate.rate);

    const all = await dora(MARCH);
    expect(all.data!.doraMetrics.deploymentFrequency.deployments).toBe(3);
    const team = await dora(`team: "nobody", ${MARCH}`);
    expect(team.data!.doraMetrics.deploymentFrequency).toMatchObject({ deployments: 0, level: 'LOW' });
  });

  it('refuses bad windows and time zones, and anonymous callers', async () => {
    const backwards = await dora('from: "2026-03-31T00:00:00Z", to: "2026-03-01T00:00:00Z"');
    expect(backwards.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(backwards.errors![0]!.message).toContain('must be before to');
    const tz = await dora(`${MARCH}, timeZone: "Mars/Olympus"`);
    expect(tz.errors![0]!.message).toContain("'Mars/Olympus' is not an IANA time zone");
    const badDate = await gql(stack.gatewayUrl, '{ doraMetrics(from: "yesterday") { levels } }', {}, viewer);
    expect(badDate.errors![0]!.message).toContain(
      'DateTime must be an ISO 8601 date-time such as 2026-07-01T12:00:00Z, got "yesterday"',
    );
    expect(badDate.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const anonymous = await dora(MARCH, '');
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('doraTrend gives the four keys per week of the window, adding up to the month', async () => {
    const t = await gql<{ doraTrend: Answer }>(
      stack.gatewayUrl,
      `{ doraTrend(product: "shop", ${MARCH}, interval: WEEK) { interval window { from to }
        points { window { from to } deploymentFrequency { deployments level } changeFailureRate { deployments failed } failedDeploymentRecoveryTime { recovered } } } }`,
      {},
      viewer,
    );
    expect(t.errors).toBeUndefined();
    const points = t.data!.doraTrend.points as Answer[];
    // Sunday 1 March, then Monday-to-Monday weeks, the last clipped at 31 March
    expect(points.map((p) => p.window.from)).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
      '2026-03-16T00:00:00.000Z',
      '2026-03-23T00:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
    ]);
    expect(points.map((p) => p.deploymentFrequency.deployments)).toEqual([0, 2, 1, 0, 0, 0]);
    expect(points.reduce((n, p) => n + p.changeFailureRate.deployments, 0)).toBe(4);
    const tooMany = await gql(
      stack.gatewayUrl,
      '{ doraTrend(from: "2020-01-01T00:00:00Z", to: "2024-01-01T00:00:00Z", interval: DAY) { interval } }',
      {},
      viewer,
    );
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'interval' });
    expect(tooMany.errors![0]!.message).toContain('more than the 400 points a trend gives');
  });

  it('releaseKpis and aiEffectiveness per source', async () => {
    const k = await gql<{ releaseKpis: Answer }>(
      stack.gatewayUrl,
      `{ releaseKpis(product: "shop", ${MARCH}) { releaseFrequency { planned delivered onTime ratio }
        leadTimeCodeFreezeToProduction { releases medianDays targetDays met }
        deploymentSuccessRate { samples value target met } releaseQuality { samples value target met } } }`,
      {},
      viewer,
    );
    expect(k.errors).toBeUndefined();
    // planned for March: r1 (target 7 March); r2 and the hotfix target April. Delivered in March: all three, each by its target.
    expect(k.data!.releaseKpis.releaseFrequency).toEqual({ planned: 1, delivered: 3, onTime: 3, ratio: 3 });
    expect(k.data!.releaseKpis.deploymentSuccessRate).toEqual({ samples: 4, value: 0.75, target: 0.98, met: false });
    // the critical incident came 4 days after r1 reached production: outside its first 48 h
    expect(k.data!.releaseKpis.releaseQuality).toEqual({ samples: 3, value: 0, target: 0.5, met: true });
    expect(k.data!.releaseKpis.leadTimeCodeFreezeToProduction).toMatchObject({
      releases: 1,
      targetDays: 28,
      met: true,
    });

    const ai = await gql<{ aiEffectiveness: Answer }>(
      stack.gatewayUrl,
      `{ aiEffectiveness(product: "shop", ${MARCH}) { rows { metric kind source samples value target met } tooFewOutcomes { metric kind source samples minimum target message } minimumOutcomes formulas } }`,
      {},
      viewer,
    );
    // one outcome each is too few for a score: each says so instead of giving a number
    expect(ai.data!.aiEffectiveness.rows).toEqual([]);
    expect(ai.data!.aiEffectiveness.minimumOutcomes).toBe(5);
    expect(ai.data!.aiEffectiveness.tooFewOutcomes).toEqual(
      expect.arrayContaining([
        {
          metric: 'PLANNING_ACCURACY',
          kind: 'prioritisation',
          source: null,
          samples: 1,
          minimum: 5,
          target: 0.85,
          message: 'too few outcomes: 1 of the 5 a score needs',
        },
        {
          metric: 'QUALITY_GATE_PREDICTION',
          kind: 'readiness',
          source: 'AI',
          samples: 1,
          minimum: 5,
          target: 0.9,
          message: 'too few outcomes: 1 of the 5 a score needs',
        },
        {
          metric: 'RISK_PREDICTION',
          kind: 'deployment-health',
          source: 'AI',
          samples: 0,
          minimum: 5,
          target: 0.8,
          message: 'too few outcomes: 0 of the 5 a score needs',
        },
      ]),
    );
  });

  it('Release.metrics resolves as the entity the gateway asks for', async () => {
    const res = await gql<{ _entities: Answer[] }>(
      stack.analyticsUrl,
      '{ _entities(representations: [{ __typename: "Release", id: "r1" }, { __typename: "Release", id: "unknown" }]) { ... on Release { id metrics { productionAt leadTimeHours productionRollouts rolledBack failedDeployments failureCauses plannedFeatures deliveredFeatures planningAccuracy } } } }',
      {},
      viewer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]).toEqual({
      id: 'r1',
      metrics: {
        productionAt: '2026-03-02T11:00:00.000Z',
        leadTimeHours: 33,
        productionRollouts: 3,
        rolledBack: 1,
        failedDeployments: 2,
        failureCauses: ['ROLLED_BACK', 'INCIDENT'],
        plannedFeatures: 2,
        deliveredFeatures: 1,
        planningAccuracy: 0.5,
      },
    });
    expect(res.data!._entities[1]).toEqual({ id: 'unknown', metrics: null });
  });

  it('opens and resolves incidents through the API, linking the rollout live on the workload, with roles enforced', async () => {
    const open = (input: string, token = sre) =>
      gql<{ openIncident: Answer }>(
        stack.gatewayUrl,
        `mutation { openIncident(input: { ${input} }) { id title severity source workload rolloutId release { id } openedAt resolvedAt } }`,
        {},
        token,
      );
    const created = await open(
      'title: "cart 500s", severity: critical, workload: "shop/cart", openedAt: "2026-03-10T12:00:00Z"',
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.openIncident).toMatchObject({
      title: 'cart 500s',
      severity: 'critical',
      source: 'api',
      workload: 'shop/cart',
      rolloutId: 'ro4',
      release: { id: 'r2' },
      resolvedAt: null,
    });
    const id = created.data!.openIncident.id as string;

    expect((await open('title: "x", severity: warning', dev)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await open('title: "x", severity: warning', ci)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const badWorkload = await open('title: "x", severity: warning, workload: "cart"');
    expect(badWorkload.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'workload' });
    expect(badWorkload.errors![0]!.message).toContain('namespace/name');

    const resolve = () =>
      gql<{ resolveIncident: Answer }>(
        stack.gatewayUrl,
        `mutation { resolveIncident(id: "${id}", resolution: "rolled forward", resolvedAt: "2026-03-10T12:45:00Z") { resolvedAt resolution durationHours } }`,
        {},
        sre,
      );
    expect((await resolve()).data!.resolveIncident).toEqual({
      resolvedAt: '2026-03-10T12:45:00.000Z',
      resolution: 'rolled forward',
      durationHours: 0.75,
    });
    expect((await resolve()).errors![0]!.message).toContain('was already resolved');
    const missing = await gql(stack.gatewayUrl, 'mutation { resolveIncident(id: "nope") { id } }', {}, sre);
    expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');

    await eventually('incident.resolved published', async () =>
      seen.some(
        (e) =>
          e.type === 'flightdeck.analytics.incident.resolved' && (e.data as { incidentId: string }).incidentId === id,
      )
        ? true
        : undefined,
    );
    // this incident makes ro4 a failed deployment (within 48 h of it), restored 45 minutes later
    const m = await dora(`product: "shop", ${MARCH}`);
    expect(m.data!.doraMetrics.changeFailureRate).toMatchObject({ deployments: 4, failed: 3 });
  });

  it('records Alertmanager webhook posts as incidents, once each, and refuses bad ones', async () => {
    const post = (body: unknown, token = WEBHOOK_TOKEN) =>
      fetch(`${stack.baseUrl}${ALERTMANAGER_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const alert = (status: 'firing' | 'resolved') => ({
      version: '4',
      status,
      receiver: 'flightdeck',
      groupKey: '{}:{alertname="HighErrorRate"}',
      alerts: [
        {
          status,
          labels: {
            alertname: 'HighErrorRate',
            severity: 'critical',
            namespace: 'shop',
            deployment: 'shop-api',
            product: 'shop',
          },
          annotations: { summary: 'shop-api error rate above 5%' },
          startsAt: '2026-03-06T12:00:00Z',
          endsAt: status === 'resolved' ? '2026-03-06T12:20:00Z' : '0001-01-01T00:00:00Z',
          fingerprint: 'abc123',
        },
      ],
    });
    const first = await post(alert('firing'));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ opened: 1, resolved: 0, unchanged: 0 });
    expect(await (await post(alert('firing'))).json()).toEqual({ opened: 0, resolved: 0, unchanged: 1 });
    expect(await (await post(alert('resolved'))).json()).toEqual({ opened: 0, resolved: 1, unchanged: 0 });

    const list = await gql<{ incidents: Answer[] }>(
      stack.gatewayUrl,
      '{ incidents(product: "shop", from: "2026-03-06T11:00:00Z", to: "2026-03-06T13:00:00Z") { title severity source rolloutId openedAt resolvedAt } }',
      {},
      viewer,
    );
    expect(list.data!.incidents).toEqual([
      {
        title: 'shop-api error rate above 5%',
        severity: 'critical',
        source: 'alertmanager',
        rolloutId: 'ro3',
        openedAt: '2026-03-06T12:00:00.000Z',
        resolvedAt: '2026-03-06T12:20:00.000Z',
      },
    ]);

    const unauthorised = await post(alert('firing'), 'wrong-token-wrong-token');
    expect(unauthorised.status).toBe(401);
    const bad = await post({ version: '3', alerts: [] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('version must be "4"');
    const notJson = await fetch(`${stack.baseUrl}${ALERTMANAGER_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
  });

  it('runs a retrospective: agenda, items, action items with overdue ones visible, completion published', async () => {
    const q = (m: string, token = dev) => gql<Answer>(stack.gatewayUrl, m, {}, token);
    const R =
      'id status currentStage agenda revision overdue startedBy startedByName items { stage kind text by byName } actionItems { id title owner status overdue }';
    const started = await q(`mutation { startRetrospective(releaseId: "r1", dueAt: "2026-04-02T00:00:00Z") { ${R} } }`);
    expect(started.errors).toBeUndefined();
    // People are kept by subject (the token's `sub`), with the display name beside it for display.
    expect(started.data!.startRetrospective).toMatchObject({
      status: 'OPEN',
      currentStage: 'SET_THE_STAGE',
      revision: 0,
      startedBy: 'dora',
      startedByName: 'Dora Developer',
      agenda: ['SET_THE_STAGE', 'GATHER_DATA', 'GENERATE_INSIGHTS', 'DECIDE_ACTIONS', 'CLOSE'],
    });
    const added = await q(
      `mutation { addRetrospectiveItem(releaseId: "r1", stage: GATHER_DATA, kind: TO_IMPROVE, text: "rollback took 30 minutes") { ${R} } }`,
    );
    expect(added.data!.addRetrospectiveItem.items).toEqual([
      {
        stage: 'GATHER_DATA',
        kind: 'TO_IMPROVE',
        text: 'rollback took 30 minutes',
        by: 'dora',
        byName: 'Dora Developer',
      },
    ]);
    const decide = await q(
      'mutation { addRetrospectiveItem(releaseId: "r1", stage: DECIDE_ACTIONS, kind: NOTE, text: "x") { revision } }',
    );
    expect(decide.errors![0]!.message).toContain('use addActionItem');
    const late = await q(
      `mutation { addActionItem(releaseId: "r1", input: { title: "alert on canary errors", owner: "sam", dueDate: "2026-03-31T00:00:00Z" }) { ${R} } }`,
    );
    // the clock says 31 March 00:00; due at that instant is not yet overdue
    const item = late.data!.addActionItem.actionItems[0];
    expect(item).toMatchObject({ title: 'alert on canary errors', owner: 'sam', status: 'OPEN', overdue: false });
    const moved = await q(
      `mutation { updateActionItem(releaseId: "r1", actionItemId: "${item.id}", patch: { dueDate: "2026-03-30T00:00:00Z", status: IN_PROGRESS }) { ${R} } }`,
    );
    expect(moved.data!.updateActionItem).toMatchObject({
      currentStage: 'DECIDE_ACTIONS',
      revision: 3,
      actionItems: [{ status: 'IN_PROGRESS', overdue: true }],
    });
    const stale = await q(
      'mutation { addActionItem(releaseId: "r1", input: { title: "t", owner: "o", dueDate: "2026-04-30T00:00:00Z" }, expectedRevision: 1) { revision } }',
    );
    expect(stale.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', expectedRevision: 1, actualRevision: 3 });
    const overdue = await q('{ overdueActionItems { title releaseId overdue } }', viewer);
    expect(overdue.data!.overdueActionItems).toEqual([
      { title: 'alert on canary errors', releaseId: 'r1', overdue: true },
    ]);
    expect(
      (await q('mutation { startRetrospective(releaseId: "r1") { id } }', viewer)).errors![0]!.extensions!.code,
    ).toBe('FORBIDDEN');
    expect((await q('mutation { startRetrospective(releaseId: "nope") { id } }')).errors![0]!.extensions!.code).toBe(
      'NOT_FOUND',
    );

    const done = await q(`mutation { completeRetrospective(releaseId: "r1") { ${R} completedAt } }`);
    expect(done.data!.completeRetrospective).toMatchObject({
      status: 'COMPLETED',
      currentStage: 'CLOSE',
      completedAt: NOW.toISOString(),
    });
    expect(
      (await q('mutation { addRetrospectiveItem(releaseId: "r1", stage: CLOSE, kind: NOTE, text: "late") { id } }'))
        .errors![0]!.message,
    ).toContain('takes no more changes');
    const event = await eventually('retrospective.completed published', async () =>
      seen.find((e) => e.type === 'flightdeck.analytics.retrospective.completed'),
    );
    expect(event.data).toMatchObject({
      releaseId: 'r1',
      items: 1,
      actionItems: [{ title: 'alert on canary errors', owner: 'sam' }],
      by: 'dora',
    });
  });

  it('opens a hotfix retrospective due 48 h after its release by itself', async () => {
    const r = await eventually(
      'hotfix retrospective',
      async () =>
        (
          await gql<{ retrospective: Answer | null }>(
            stack.gatewayUrl,
            '{ retrospective(releaseId: "hf") { automatic dueAt status overdue startedBy startedByName } }',
            {},
            viewer,
          )
        ).data?.retrospective ?? undefined,
    );
    expect(r).toEqual({
      automatic: true,
      dueAt: '2026-03-14T20:00:00.000Z',
      status: 'OPEN',
      overdue: true,
      startedBy: 'flightdeck',
      startedByName: 'flightdeck',
    });
  });

  it('releaseAnalysis: objectives vs outcomes, predictions vs what happened, and a narrative recorded as advice', async () => {
    const a = await gql<{ releaseAnalysis: Answer }>(
      stack.gatewayUrl,
      '{ releaseAnalysis(releaseId: "r1") { version plannedFeatures deliveredFeatures missedFeatures onTime gates { gate outcome } predictions { what source predicted actual hit } findings narrative { text source predictionId } } }',
      {},
      viewer,
    );
    expect(a.errors).toBeUndefined();
    const r = a.data!.releaseAnalysis;
    expect(r).toMatchObject({
      version: '1.1.0',
      plannedFeatures: ['f1', 'f2'],
      deliveredFeatures: ['f1'],
      missedFeatures: ['f2'],
      onTime: true,
      gates: [{ gate: 'PRODUCTION', outcome: 'PASS' }],
    });
    expect(r.predictions).toEqual([
      { what: 'readiness', source: 'AI', predicted: 'GO', actual: 'PRODUCTION PASS', hit: true },
    ]);
    expect(r.findings).toContain('1 production rollout(s) were rolled back.');
    expect(r.narrative.source).toBe('DETERMINISTIC');
    expect(r.narrative.text).toContain('Delivered 1 of 2 planned features (50%).');
    const recorded = await stack.predictions.find({ kind: 'post-release', subject: 'r1' });
    expect(recorded.map((p) => p.id)).toContain(r.narrative.predictionId);
  });

  it('exports the four keys and the KPIs per product as Prometheus gauges', async () => {
    const text = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(text).toMatch(/flightdeck_dora_change_failure_ratio\{product="shop",service="analytics"\} 0\.75/);
    expect(text).toMatch(/flightdeck_release_deployment_success_ratio\{product="shop",service="analytics"\} 0\.75/);
    expect(text).toMatch(/flightdeck_dora_deployments_per_day\{product="shop",service="analytics"\} 0\.1/);
    // and how far behind the events the metrics are: refreshed at least once, within the last minute
    const rebuilt = Number(
      /flightdeck_analytics_partitions_rebuilt_total\{service="analytics"\} (\d+)/.exec(text)?.[1],
    );
    expect(rebuilt).toBeGreaterThanOrEqual(1);
    const age = Number(/flightdeck_analytics_metrics_age_seconds\{service="analytics"\} ([\d.e-]+)/.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
  });
});
