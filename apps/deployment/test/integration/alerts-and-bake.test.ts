import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent, Subscription } from '@flightdeck/events';
import { type AlertmanagerHandle, eventually, gql, startAlertmanager } from '@flightdeck/testing';
import { BUILT_IN_TEMPLATES } from '../../src/domain/index.js';
import {
  clearRelease,
  collectEvents,
  createWorkload,
  dbFor,
  startCluster,
  startService,
  token,
  type Cluster,
  type Service,
} from './stack.js';
import { ALERTMANAGER_WEBHOOK_PATH } from '@flightdeck/subgraph';

// Needs the real prometheus and prometheus-alertmanager binaries (Debian packages, installed by .ci/run).

const WEBHOOK_TOKEN = 'deployment-alert-webhook-token-0123';
const ROLLOUT = `
  fragment R on Rollout {
    id phase message revision image stableImage warmUntil
    analysisRuns { id stepIndex phase message }
    decisions(last: 300) { action message }
    rollback { cause reason fast appliedAt measurements { metric value phase } }
    alert { alertname severity labels { name value } startsAt }
    bake { status templates runs reason endedAt }
    abortOnAlerts { matchers minSeverity }
  }`;
const START = `mutation($input: StartRolloutInput!) { startRollout(input: $input) { ...R } } ${ROLLOUT}`;
const GET = `query($id: ID!) { rollout(id: $id) { ...R } } ${ROLLOUT}`;

interface View {
  id: string;
  phase: string;
  message: string;
  revision: number;
  warmUntil: string | null;
  analysisRuns: { id: string; stepIndex: number; phase: string; message: string | null }[];
  decisions: { action: string; message: string }[];
  rollback: {
    cause: string;
    reason: string;
    fast: boolean;
    appliedAt: string | null;
    measurements: { metric: string; value: number | null; phase: string }[];
  } | null;
  alert: { alertname: string; severity: string; labels: { name: string; value: string }[]; startsAt: string } | null;
  bake: { status: string; templates: string[]; runs: number; reason: string | null; endedAt: string | null } | null;
  abortOnAlerts: { matchers: string[]; minSeverity: string } | null;
}

// One measurement a second; the canary steps analyse success-rate, which the good image passes.
const metrics = [
  ...Object.values(BUILT_IN_TEMPLATES).map((t) => ({ ...t, intervalSeconds: 1, count: 3, inconclusiveLimit: 6 })),
  // Stricter than success-rate: the good image's 0.2% errors fail it. Used only by the bake, so promotion passes and the bake fails.
  {
    name: 'no-errors',
    query:
      '(sum(rate(http_requests_total{ {{canarySelector}},code=~"5.." }[{{interval}}])) or vector(0)) / sum(rate(http_requests_total{ {{canarySelector}} }[{{interval}}]))',
    failureCondition: 'result > 0.0005',
    intervalSeconds: 1,
    count: 3,
    failureLimit: 0,
    inconclusiveLimit: 6,
    weight: 1,
  },
];
const steps = (pause: boolean) => [
  { kind: 'SET_WEIGHT', weight: 25 },
  pause ? { kind: 'PAUSE' } : { kind: 'ANALYSIS', templates: ['success-rate'], initialDelaySeconds: 2 },
];
const abortOnAlerts = { matchers: ['alertname="CheckoutErrors"'], minSeverity: 'CRITICAL' };

describe('alerts that roll a rollout back, and the bake after promotion (kube-sim, real Prometheus and Alertmanager)', () => {
  let c: Cluster;
  let s: Service;
  let am: AlertmanagerHandle;
  let base: string;
  let sre: string;
  let collected: { events: CloudEvent[]; sub: Subscription };

  beforeAll(async () => {
    c = await startCluster();
    s = await startService(c, dbFor('alerts-and-bake'), { webhookToken: WEBHOOK_TOKEN });
    base = s.url.replace(/\/graphql$/, '');
    am = await startAlertmanager({
      webhookUrls: [`${base}${ALERTMANAGER_WEBHOOK_PATH}`],
      token: WEBHOOK_TOKEN,
      groupBy: ['alertname', 'deployment'],
    });
    sre = await token(['SRE']);
    collected = await collectEvents(s.bus);
  }, 60_000);
  afterAll(async () => {
    await collected?.sub.stop();
    await am?.stop();
    await s?.stop();
    await c?.stop();
  });

  const get = async (id: string) => (await gql<{ rollout: View }>(s.url, GET, { id }, sre)).data!.rollout;
  const until = (id: string, what: string, probe: (r: View) => boolean, timeoutMs = 40_000) =>
    eventually(
      `rollout ${id}: ${what}`,
      async () => {
        const r = await get(id);
        return probe(r) ? r : undefined;
      },
      timeoutMs,
    );
  const start = async (name: string, over: Record<string, unknown>) => {
    await createWorkload(c, name);
    await clearRelease(s, `rel-${name}`);
    const input = {
      releaseId: `rel-${name}`,
      environment: 'production',
      target: { namespace: 'default', deployment: name, container: 'app' },
      image: 'shop/web:2.0.0',
      strategy: 'CANARY',
      metrics,
      progressDeadlineSeconds: 20,
      ...over,
    };
    const res = await gql<{ startRollout: View }>(s.url, START, { input }, sre);
    expect(res.errors).toBeUndefined();
    return res.data!.startRollout;
  };
  const replicas = async (name: string) =>
    (await c.apps.readNamespacedDeployment({ name, namespace: 'default' })).spec?.replicas;
  const image = async (name: string) =>
    (await c.apps.readNamespacedDeployment({ name, namespace: 'default' })).spec?.template?.spec?.containers?.[0]
      ?.image;
  const post = async (alerts: unknown[], auth = WEBHOOK_TOKEN) => {
    const res = await fetch(`${base}${ALERTMANAGER_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
      body: JSON.stringify({ version: '4', status: 'firing', alerts }),
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        matched: { rolloutId: string }[];
        ignored: { rolloutId: string; reason: string }[];
        error?: string;
      },
    };
  };
  const eventsOf = (id: string) =>
    collected.events
      .filter((e) => (e.data as { rolloutId?: string }).rolloutId === id)
      .map((e) => e.type.replace('flightdeck.deployment.rollout.', ''));
  /** The value of one series on the service's /metrics (its labels start with `labels`; the registry adds service="deployment"). */
  const metric = async (name: string, labels: string) => {
    const line = (await (await fetch(`${base}/metrics`)).text())
      .split('\n')
      .find((l) => l.startsWith(`${name}{${labels}`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('rolls back at once when a matching alert comes through a real Alertmanager, with the alert and its labels as the cause', async () => {
    // Analysis every 60 s: only the alert can roll it back within the test.
    const slow = metrics.map((m) => ({ ...m, intervalSeconds: 60 }));
    const started = await start('alerted', { steps: steps(false), metrics: slow, abortOnAlerts });
    await until(started.id, 'analysing at 25%', (r) => r.analysisRuns.length === 1);
    expect(await replicas('alerted-canary')).toBe(1);
    await am.postAlerts([
      {
        labels: { alertname: 'CheckoutErrors', severity: 'critical', namespace: 'default', deployment: 'alerted' },
        annotations: { summary: 'checkout errors' },
        startsAt: new Date().toISOString(),
      },
    ]);
    const r = await until(started.id, 'rolled back', (x) => x.phase === 'ROLLED_BACK');
    expect(r.rollback).toMatchObject({
      cause: 'ALERT',
      reason:
        'alert CheckoutErrors (critical) fired: {alertname="CheckoutErrors", deployment="alerted", namespace="default", severity="critical"}',
    });
    expect(r.alert).toMatchObject({ alertname: 'CheckoutErrors', severity: 'CRITICAL' });
    expect(r.decisions.map((d) => d.action)).toEqual(
      expect.arrayContaining(['ALERT', 'START_ROLLBACK', 'APPLY_ROLLBACK', 'FINISH_ROLLBACK']),
    );
    // No measurement was taken after the first: the alert decided, not the analysis.
    expect(r.decisions.filter((d) => d.action === 'MEASURE').length).toBeLessThanOrEqual(1);
    expect(await replicas('alerted-canary')).toBe(0);
    expect(await replicas('alerted')).toBe(4);
    await eventually('the rolled_back event', async () =>
      eventsOf(started.id).includes('rolled_back') ? true : undefined,
    );
    expect(await metric('flightdeck_rollout_rollbacks_total', 'cause="ALERT"')).toBe(1);
  });

  it('changes nothing for unrelated, milder, resolved, duplicate and late alerts', async () => {
    const started = await start('ignoring', { steps: steps(true), abortOnAlerts });
    const paused = await until(started.id, 'paused for approval', (r) => r.phase === 'PAUSED');
    const now = new Date().toISOString();
    const alert = (labels: Record<string, string>, over: Record<string, unknown> = {}) => ({
      status: 'firing',
      labels: {
        alertname: 'CheckoutErrors',
        severity: 'critical',
        namespace: 'default',
        deployment: 'ignoring',
        ...labels,
      },
      startsAt: now,
      fingerprint: JSON.stringify(labels),
      ...over,
    });
    expect((await post([alert({})], 'wrong-token-0123456789')).status).toBe(401);
    const ignored = await post([
      alert({ alertname: 'DiskFull' }),
      alert({ severity: 'warning' }),
      alert({ deployment: 'cart' }),
      alert({}, { status: 'resolved' }),
      alert({}, { startsAt: '2020-01-01T00:00:00Z' }),
    ]);
    expect(ignored.status).toBe(200);
    expect(ignored.body.matched).toEqual([]);
    expect(ignored.body.ignored.filter((i) => i.rolloutId === started.id).map((i) => i.reason)).toEqual([
      'its labels do not match alertname="CheckoutErrors"',
      'its severity WARNING is below CRITICAL',
      'it is about default/cart, not default/ignoring',
      expect.stringMatching(/^it has been firing since 2020-01-01T00:00:00.000Z, before the rollout started/),
    ]);
    const after = await get(started.id);
    expect(after.revision).toBe(paused.revision);
    expect(after.phase).toBe('PAUSED');
    expect(await replicas('ignoring-canary')).toBe(1);

    // The same alert twice at once: one rollback, one ALERT decision.
    const [a, b] = await Promise.all([post([alert({})]), post([alert({})])]);
    expect([...a.body.matched, ...b.body.matched].filter((m) => m.rolloutId === started.id)).toHaveLength(1);
    const back = await until(started.id, 'rolled back', (r) => r.phase === 'ROLLED_BACK');
    expect(back.decisions.filter((d) => d.action === 'ALERT')).toHaveLength(1);
    expect(back.decisions.filter((d) => d.action === 'START_ROLLBACK')).toHaveLength(1);
    // Again once it is over (late), and a new occurrence: nothing changes.
    const late = await post([alert({}), alert({}, { startsAt: new Date().toISOString(), fingerprint: 'later' })]);
    expect(late.body.matched).toEqual([]);
    expect((await get(started.id)).revision).toBe(back.revision);
    expect(await replicas('ignoring-canary')).toBe(0);
  });

  it('rolls back to the warm previous version when the bake fails after promotion, recorded as a bake failure', async () => {
    const started = await start('baked', {
      steps: steps(false),
      bakeTemplates: ['no-errors'],
      rollbackWindowSeconds: 600,
    });
    // The bake can fail at its first measurement, faster than a poll sees PROMOTED: its decision log tells the story.
    const r = await until(started.id, 'rolled back by the bake', (x) => x.phase === 'ROLLED_BACK', 60_000);
    const actions = r.decisions.map((d) => d.action);
    expect(actions).toEqual(expect.arrayContaining(['FINISH_PROMOTION', 'START_BAKE', 'START_ROLLBACK']));
    expect(actions.indexOf('FINISH_PROMOTION')).toBeLessThan(actions.indexOf('START_BAKE'));
    expect(actions.indexOf('START_BAKE')).toBeLessThan(actions.indexOf('START_ROLLBACK'));
    expect(r.warmUntil).not.toBeNull();
    expect(r.rollback).toMatchObject({ cause: 'BAKE', fast: true });
    expect(r.rollback!.reason).toMatch(/^bake failure after promotion: /);
    expect(r.rollback!.measurements[0]).toMatchObject({ metric: 'no-errors', phase: 'FAILED' });
    expect(r.bake).toMatchObject({ status: 'FAILED', templates: ['no-errors'] });
    expect(await image('baked')).toBe('shop/web:1.0.0');
    expect(await replicas('baked')).toBe(4);
    expect(await replicas('baked-canary')).toBe(0);
    await eventually('the promoted and rolled_back events', async () =>
      eventsOf(started.id).includes('rolled_back') ? true : undefined,
    );
    expect(eventsOf(started.id)).toEqual(expect.arrayContaining(['promoted', 'rolled_back']));
    expect(await metric('flightdeck_rollout_bake_failures_total', 'outcome="rolled_back"')).toBe(1);
    expect(await metric('flightdeck_rollout_rollbacks_total', 'cause="BAKE"')).toBe(1);
  });

  it('never rolls back a roll-forward-only rollout in its bake: it alerts (event, metric, log) and stops, saying why', async () => {
    const started = await start('migrated', {
      steps: steps(false),
      bakeTemplates: ['no-errors'],
      rollbackWindowSeconds: 600,
      rollForwardOnly: true,
    });
    const r = await until(started.id, 'bake halted', (x) => x.bake?.status === 'HALTED');
    expect(r.phase).toBe('PROMOTED');
    expect(r.rollback).toBeNull();
    expect(r.message).toMatch(
      /^bake failure after promotion: .*; the rollout is roll-forward-only \(e\.g\. an irreversible migration\), so the bake does not roll it back: it stops here/,
    );
    // Advice on the failed bake run may be logged after the halt; it is advice, not a controller decision.
    const controllerDecisions = (x: View) => x.decisions.filter((d) => d.action !== 'ADVICE');
    expect(controllerDecisions(r).at(-1)).toMatchObject({ action: 'HALT_BAKE' });
    expect(await image('migrated')).toBe('shop/web:2.0.0');
    expect(await replicas('migrated')).toBe(4);
    await eventually('the failed event', async () => (eventsOf(started.id).includes('failed') ? true : undefined));
    expect(await metric('flightdeck_rollout_bake_failures_total', 'outcome="held"')).toBe(1);
    // Nothing more happens: the bake stopped.
    const before = controllerDecisions(await get(started.id));
    await new Promise((done) => setTimeout(done, 1500));
    expect(controllerDecisions(await get(started.id))).toEqual(before);
  });

  it('passes the bake when the window closes with nothing wrong, and scales the warm version away', async () => {
    const started = await start('settled', { steps: steps(false), rollbackWindowSeconds: 4 });
    const r = await until(started.id, 'bake passed', (x) => x.bake?.status === 'PASSED');
    expect(r.phase).toBe('PROMOTED');
    expect(r.bake!.templates).toEqual(['success-rate']);
    expect(r.decisions.at(-1)!.message).toMatch(
      /^bake passed: .* shop\/web:1\.0\.0 in settled-canary is scaled away \(0 replicas\)$/,
    );
    expect(await replicas('settled-canary')).toBe(0);
    expect(await image('settled')).toBe('shop/web:2.0.0');
  });
});
