import { eventually, gql } from '@flightdeck/testing';
import type { TestGateway } from '@flightdeck/testing/stack';
import type { CloudEvent, Subscription } from '@flightdeck/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELEASE_ROLLOUT, workloadInput, type ReleaseRolloutView } from './release-rollout-helpers.js';
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

const START = `mutation($input: StartReleaseRolloutInput!) { startReleaseRollout(input: $input) { ...RR } } ${RELEASE_ROLLOUT}`;
const GET = `query($id: ID!) { releaseRollout(id: $id) { ...RR } } ${RELEASE_ROLLOUT}`;

// Needs the real prometheus binary (Debian package prometheus, installed by .ci/run).
describe('release-wide rollouts against the simulated cluster and a real Prometheus, through the gateway', () => {
  let c: Cluster;
  let s: Service;
  let gw: TestGateway;
  let sre: string;
  let collected: { events: CloudEvent[]; sub: Subscription };

  beforeAll(async () => {
    c = await startCluster();
    s = await startService(c, dbFor('release-rollouts'));
    gw = await startGateway(s.url);
    sre = await token(['SRE']);
    collected = await collectEvents(s.bus);
  }, 60_000);
  afterAll(async () => {
    await collected?.sub.stop();
    await gw?.stop();
    await s?.stop();
    await c?.stop();
  });

  const get = async (id: string) =>
    (await gql<{ releaseRollout: ReleaseRolloutView }>(gw.url, GET, { id }, sre)).data!.releaseRollout;
  const until = (id: string, phases: string[], timeoutMs = 60_000) =>
    eventually(
      `release rollout ${id} in ${phases.join(' or ')}`,
      async () => {
        const r = await get(id);
        return phases.includes(r.phase) ? r : undefined;
      },
      timeoutMs,
    );
  const start = async (releaseId: string, input: Record<string, unknown>) => {
    await clearRelease(s, releaseId);
    const res = await gql<{ startReleaseRollout: ReleaseRolloutView }>(
      gw.url,
      START,
      { input: { releaseId, ...input } },
      sre,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.startReleaseRollout;
  };
  const image = async (name: string) =>
    (await c.apps.readNamespacedDeployment({ name, namespace: 'default' })).spec?.template?.spec?.containers?.[0]
      ?.image;
  const replicas = async (name: string) =>
    (await c.apps.readNamespacedDeployment({ name, namespace: 'default' })).spec?.replicas;
  const eventsOf = (id: string) =>
    collected.events.filter((e) => (e.data as { releaseRolloutId?: string }).releaseRolloutId === id);

  it('refuses a dependency cycle, an unknown dependency and a caller without a fitting role, starting nothing', async () => {
    await createWorkload(c, 'cyc-a');
    await createWorkload(c, 'cyc-b');
    await clearRelease(s, 'cyc@1.0.0');
    const cycle = await gql(
      gw.url,
      START,
      {
        input: {
          releaseId: 'cyc@1.0.0',
          workloads: [
            workloadInput('cyc-a', 'shop/web:2.0.0', ['cyc-b']),
            workloadInput('cyc-b', 'shop/web:2.0.0', ['cyc-a']),
          ],
        },
      },
      sre,
    );
    expect(cycle.errors?.[0]).toMatchObject({
      message:
        'workloads.dependsOn: the dependencies form a cycle: cyc-a → cyc-b → cyc-a; a release must have an order to start in',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const unknown = await gql(
      gw.url,
      START,
      { input: { releaseId: 'cyc@1.0.0', workloads: [workloadInput('cyc-a', 'shop/web:2.0.0', ['cyc-c'])] } },
      sre,
    );
    expect(unknown.errors?.[0]?.message).toBe(
      'workloads[0].dependsOn: "cyc-c" is no workload of this release; the workloads are cyc-a',
    );
    const dev = await gql(
      gw.url,
      START,
      { input: { releaseId: 'cyc@1.0.0', workloads: [workloadInput('cyc-a', 'shop/web:2.0.0')] } },
      await token(['DEVELOPER']),
    );
    expect(dev.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await s.mongo.connection.collection('rollouts').countDocuments({ releaseId: 'cyc@1.0.0' })).toBe(0);
    expect(await image('cyc-a')).toBe('shop/web:1.0.0');
  });

  it('rolls back every workload that moved, in reverse dependency order, when the middle one goes bad', async () => {
    for (const n of ['bad-backend', 'bad-api', 'bad-web']) await createWorkload(c, n);
    const started = await start('shop@3.0.0', {
      mode: 'TOGETHER',
      workloads: [
        workloadInput('bad-web', 'shop/web:2.0.0', ['bad-api']),
        workloadInput('bad-api', 'shop/web:3.0.0-bad', ['bad-backend']),
        workloadInput('bad-backend', 'shop/web:2.0.0'),
      ],
    });
    expect(started.waves).toEqual([['bad-backend'], ['bad-api'], ['bad-web']]);
    const r = await until(started.id, ['ROLLED_BACK', 'PROMOTED', 'FAILED']);
    expect(r.phase, r.message).toBe('ROLLED_BACK');
    // which workload and which measurement decided it
    expect(r.failure).toMatchObject({
      workload: 'bad-api',
      rolloutId: `${r.id}.bad-api.1`,
      cause: 'ANALYSIS',
      rollbackOrder: ['bad-web', 'bad-api', 'bad-backend'],
    });
    const measured = r.failure!.measurements.find((m) => m.metric === 'success-rate')!;
    expect(measured.value!).toBeLessThan(0.95);
    expect(measured.phase).toBe('FAILED');
    const decided = r.decisions.find((d) => d.action === 'START_ROLLBACK')!;
    expect(decided.message).toMatch(
      /^bad-api \(rollout .*\.bad-api\.1\) failed its analysis: .*; measurements: success-rate = 0\.\d+ \(failed: .*\); rolling back the 3 workloads that moved, in reverse dependency order: bad-web, then bad-api, then bad-backend$/,
    );
    // every workload rolled back, in reverse order: web aborted first, backend only after web and api were back
    const byName = Object.fromEntries(r.workloads.map((w) => [w.name, w.rollout!]));
    for (const w of Object.values(byName)) expect(w.phase).toBe('ROLLED_BACK');
    expect(
      r.decisions.filter((d) => d.action === 'ABORT_CHILD').map((d) => d.message.match(/rolling back (\S+)/)![1]),
    ).toEqual(['bad-web', 'bad-backend']);
    expect(byName['bad-api']!.rollback!.cause).toBe('ANALYSIS');
    expect(byName['bad-web']!.rollback!.cause).toBe('ABORT');
    const backendDecided = Date.parse(byName['bad-backend']!.rollback!.decidedAt);
    expect(backendDecided).toBeGreaterThanOrEqual(Date.parse(byName['bad-web']!.completedAt!));
    expect(backendDecided).toBeGreaterThanOrEqual(Date.parse(byName['bad-api']!.completedAt!));
    // nothing left half on each version
    for (const n of ['bad-backend', 'bad-api', 'bad-web']) {
      expect(await image(n)).toBe('shop/web:1.0.0');
      expect(await replicas(n)).toBe(4);
      expect(await replicas(`${n}-canary`)).toBe(0);
    }
    await eventually('the rolled_back event', async () =>
      eventsOf(r.id).some((e) => e.type === 'flightdeck.deployment.release_rollout.rolled_back') ? true : undefined,
    );
    const event = eventsOf(r.id).find((e) => e.type.endsWith('.rolled_back'))!.data as {
      workload: string;
      order: string[];
      measurements: { metric: string }[];
    };
    expect(event).toMatchObject({ workload: 'bad-api', order: ['bad-web', 'bad-api', 'bad-backend'] });
    expect(event.measurements.map((m) => m.metric)).toContain('success-rate');
  }, 120_000);

  it('rolls a good release out wave by wave in dependency order and promotes every workload together', async () => {
    for (const n of ['good-backend', 'good-api', 'good-web']) await createWorkload(c, n);
    const started = await start('shop@2.0.0', {
      mode: 'WAVES',
      workloads: [
        workloadInput('good-web', 'shop/web:2.0.0', ['good-api']),
        workloadInput('good-api', 'shop/web:2.0.0', ['good-backend']),
        workloadInput('good-backend', 'shop/web:2.0.0'),
      ],
    });
    const r = await until(started.id, ['PROMOTED', 'ROLLED_BACK', 'FAILED'], 90_000);
    expect(r.phase, r.message).toBe('PROMOTED');
    expect(r.progress).toBe(1);
    const ws = ['good-backend', 'good-api', 'good-web'].map((n) => r.workloads.find((w) => w.name === n)!.rollout!);
    // wave by wave: each child started after the one it depends on was ready to promote (held at the release's hold)
    const heldAt = (w: (typeof ws)[number]) => Date.parse(w.decisions.find((d) => d.action === 'AWAIT_APPROVAL')!.at);
    expect(Date.parse(ws[1]!.startedAt)).toBeGreaterThanOrEqual(heldAt(ws[0]!));
    expect(Date.parse(ws[2]!.startedAt)).toBeGreaterThanOrEqual(heldAt(ws[1]!));
    // promoted together: no workload was promoted before every workload was ready
    const lastHeld = Math.max(...ws.map(heldAt));
    for (const w of ws) {
      expect(w.phase).toBe('PROMOTED');
      const approve = w.decisions.find((d) => d.action === 'APPROVE')!;
      expect(Date.parse(approve.at)).toBeGreaterThanOrEqual(lastHeld);
      expect(approve.message).toBe(`release rollout ${r.id} approved step 3`);
      expect(w.steps.map((x) => x.kind)).toEqual(['SET_WEIGHT', 'ANALYSIS', 'PAUSE']);
    }
    for (const n of ['good-backend', 'good-api', 'good-web']) expect(await image(n)).toBe('shop/web:2.0.0');
    expect(r.decisions.filter((d) => d.action === 'START_WAVE').map((d) => d.message.split(':')[0])).toEqual([
      'wave 1 of 3 started',
      'wave 2 of 3 started',
      'wave 3 of 3 started',
    ]);
    await eventually('the promoted event', async () =>
      eventsOf(r.id).some((e) => e.type === 'flightdeck.deployment.release_rollout.promoted') ? true : undefined,
    );
    expect(eventsOf(r.id).map((e) => e.type.replace('flightdeck.deployment.release_rollout.', ''))).toEqual([
      'started',
      'wave_started',
      'wave_started',
      'wave_started',
      'promoted',
    ]);
    // the read side on Release, as the gateway resolves it from this subgraph
    const entity = await gql<{ _entities: { releaseRollout: { id: string; phase: string } }[] }>(
      s.url,
      `{ _entities(representations: [{ __typename: "Release", id: "shop@2.0.0" }]) { ... on Release { releaseRollout { id phase } } } }`,
      {},
      sre,
    );
    expect(entity.data?._entities[0]?.releaseRollout).toEqual({ id: r.id, phase: 'PROMOTED' });
    // metrics per release and per workload
    const metrics = await (await fetch(s.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain(
      `flightdeck_deployment_release_rollout_phase{release_rollout="${r.id}",release="shop@2.0.0",environment="production",phase="PROMOTED",service="deployment"} 1`,
    );
    expect(metrics).toContain(
      `flightdeck_deployment_release_rollout_progress_ratio{release_rollout="${r.id}",release="shop@2.0.0",environment="production",service="deployment"} 1`,
    );
    expect(metrics).toMatch(
      new RegExp(
        `flightdeck_deployment_release_rollout_workload_phase\\{release_rollout="${r.id}",release="shop@2.0.0",environment="production",workload="good-api",namespace="default",deployment="good-api",wave="1",phase="PROMOTED",service="deployment"\\} 1`,
      ),
    );
  }, 150_000);
  it('promote-all, pause-all, abort-all and retry, each one action, authorised like the per-rollout actions', async () => {
    for (const n of ['act-api', 'act-web']) await createWorkload(c, n);
    const workloads = [
      workloadInput('act-api', 'shop/web:2.0.0'),
      workloadInput('act-web', 'shop/web:2.0.0', ['act-api']),
    ];
    const act = (mutation: string, id: string, who: string, extra = '') =>
      gql<Record<string, { phase: string; message: string }>>(
        gw.url,
        `mutation($id: ID!) { ${mutation}(id: $id${extra}) { phase message } }`,
        { id },
        who,
      );
    // Manual promotion: every workload ready, then it waits for promote-all.
    const manual = await start('act@2.0.0', { mode: 'TOGETHER', autoPromote: false, workloads });
    const ready = await until(manual.id, ['PAUSED', 'ROLLED_BACK', 'FAILED']);
    expect(ready.message).toBe(
      'all 2 workloads ready to promote (act-api, act-web); waiting for a person to promote all (promoteReleaseRollout) or abort all',
    );
    expect(ready.progress).toBe(1);
    expect(
      (await act('promoteReleaseRollout', manual.id, await token(['DEVELOPER']))).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await act('promoteReleaseRollout', manual.id, await token(['TECHNICAL_LEAD'], 'tina'))).errors,
    ).toBeUndefined();
    const promoted = await until(manual.id, ['PROMOTED', 'ROLLED_BACK', 'FAILED']);
    expect(promoted.phase).toBe('PROMOTED');
    expect(promoted.workloads.map((w) => w.rollout!.decisions.find((d) => d.action === 'APPROVE')!.message)).toEqual([
      'tina approved step 3',
      'tina approved step 3',
    ]);

    // Pause-all holds the second wave; abort-all rolls back what moved; retry starts again with new child rollouts.
    for (const n of ['act2-api', 'act2-web']) await createWorkload(c, n);
    const waves = await start('act@3.0.0', {
      mode: 'WAVES',
      workloads: [
        workloadInput('act2-api', 'shop/web:2.0.0'),
        workloadInput('act2-web', 'shop/web:2.0.0', ['act2-api']),
      ],
    });
    const paused = await act('pauseReleaseRollout', waves.id, sre, ', reason: "checking dashboards"');
    expect(paused.errors).toBeUndefined();
    expect(paused.data!.pauseReleaseRollout.phase).toBe('PAUSED');
    await eventually('act2-api ready to promote', async () =>
      (await get(waves.id)).workloads.find((w) => w.name === 'act2-api')?.rollout?.phase === 'PAUSED'
        ? true
        : undefined,
    );
    await new Promise((r) => setTimeout(r, 1000)); // a second of ticks: the paused release must not start wave 2
    expect((await get(waves.id)).workloads.find((w) => w.name === 'act2-web')!.rollout).toBeNull();
    expect(
      (await act('abortReleaseRollout', waves.id, await token(['TECHNICAL_LEAD']), ', reason: "x"')).errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await act('abortReleaseRollout', waves.id, sre, ', reason: "dashboards look wrong"')).errors,
    ).toBeUndefined();
    const aborted = await until(waves.id, ['ROLLED_BACK', 'FAILED', 'PROMOTED']);
    expect(aborted.phase).toBe('ROLLED_BACK');
    expect(aborted.failure).toMatchObject({
      workload: null,
      cause: 'ABORT',
      reason: 'sam aborted the release rollout: dashboards look wrong',
      rollbackOrder: ['act2-api'],
    });
    expect(await image('act2-api')).toBe('shop/web:1.0.0');
    expect(await replicas('act2-api-canary')).toBe(0);
    expect((await act('retryReleaseRollout', waves.id, sre)).errors).toBeUndefined();
    const retried = await until(waves.id, ['PROMOTED', 'ROLLED_BACK', 'FAILED'], 90_000);
    expect(retried.phase, retried.message).toBe('PROMOTED');
    expect(retried.attempt).toBe(2);
    expect(retried.workloads.map((w) => w.rollout!.id)).toEqual([`${waves.id}.act2-api.2`, `${waves.id}.act2-web.2`]);
    expect(await image('act2-web')).toBe('shop/web:2.0.0');
  }, 180_000);
});
