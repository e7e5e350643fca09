import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { grantedPermissions } from '@flightdeck/deploy/test/objects';
import { eventually, startPrometheus } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRollout } from '../../src/application/ports.js';
import { BUILT_IN_TEMPLATES } from '../../src/domain/index.js';
import { callsOf, clusterKind, NAMESPACE } from './cluster.js';
import {
  clearRelease,
  createWorkload,
  dbFor,
  startCluster,
  startService,
  type Cluster,
  type Service,
} from './stack.js';

const steps = [
  { kind: 'SET_WEIGHT' as const, weight: 25 },
  { kind: 'PAUSE' as const, seconds: 2 },
  { kind: 'SET_WEIGHT' as const, weight: 50 },
  { kind: 'ANALYSIS' as const, templates: ['success-rate'], initialDelaySeconds: 3 },
];
// The built-in success rate, patient with the first scrapes of new pods on a busy machine.
const patient = [{ ...BUILT_IN_TEMPLATES['success-rate']!, intervalSeconds: 1, count: 2, inconclusiveLimit: 6 }];
const target = (deployment: string) => ({ cluster: '', namespace: 'default', deployment, container: 'app' });

// Needs the real prometheus binary (Debian package prometheus, installed by .ci/run).
describe('running safely: restarts, two replicas, Prometheus down', () => {
  let c: Cluster;
  const services: Service[] = [];
  beforeAll(async () => {
    c = await startCluster();
    const admin = new KubeConfig();
    admin.loadFromString(c.adminKubeconfig);
    coordination = admin.makeApiClient(CoordinationV1Api);
  }, 60_000);
  afterAll(async () => {
    for (const s of services) await s.stop().catch(() => {});
    await c?.stop();
  });
  const track = (s: Service) => (services.push(s), s);
  let coordination: CoordinationV1Api;

  it('two replicas sharing a Lease: one drives; when it dies mid-rollout the other takes over and finishes without repeating a step', async () => {
    const db = dbFor('replicas');
    const lease = (identity: string) => ({
      lease: { namespace: 'default', name: 'deployment-test', identity, leaseSeconds: 2, renewMs: 200 },
    });
    const a = track(await startService(c, db, lease('replica-a')));
    const b = track(await startService(c, db, lease('replica-b')));
    const leaders = () => [a, b].filter((s) => s.service.leadership.isLeader());
    await eventually('one leader', async () => (leaders().length === 1 ? true : undefined));
    const leader = leaders()[0]!;
    const other = leader === a ? b : a;

    await createWorkload(c, 'replicated');
    await clearRelease(leader, 'rel-replicas');
    const started = await leader.service.commands.start(
      {
        releaseId: 'rel-replicas',
        environment: 'production',
        target: target('replicated'),
        image: 'shop/web:2.0.0',
        strategy: 'CANARY',
        steps,
        metrics: patient,
        progressDeadlineSeconds: 20,
      },
      { by: 'sam' },
    );
    const samples: number[] = [];
    let tookOverAt: number | undefined;
    const sampler = setInterval(() => {
      samples.push(leaders().length);
      if (tookOverAt === undefined && other.service.leadership.isLeader()) tookOverAt = Date.now();
    }, 50);
    try {
      // Past the first weight, inside the pause: the leader dies without giving up its lease.
      await eventually('the first step done', async () =>
        (await other.service.commands.get(started.rollout.id)).rollout.stepIndex >= 1 ? true : undefined,
      );
      const before = await coordination.readNamespacedLease({ name: 'deployment-test', namespace: NAMESPACE });
      expect(before.spec).toMatchObject({
        holderIdentity: leader === a ? 'replica-a' : 'replica-b',
        leaseDurationSeconds: 2,
      });
      const diedAt = Date.now();
      await leader.stop({ releaseLease: false });
      // The other replica takes the Lease once it has run out: within the lease duration (2 s), its next try
      // (every 200 ms) and the time one API call takes on a busy machine.
      await eventually('the other replica to take the Lease', async () =>
        tookOverAt !== undefined ? true : undefined,
      );
      expect(tookOverAt! - diedAt).toBeLessThanOrEqual(2000 + 200 + 300);
      const after = await coordination.readNamespacedLease({ name: 'deployment-test', namespace: NAMESPACE });
      expect(after.spec).toMatchObject({
        holderIdentity: other === a ? 'replica-a' : 'replica-b',
        leaseTransitions: (before.spec?.leaseTransitions ?? 0) + 1,
      });
      const done = await eventually(
        'the rollout finished by the other replica',
        async () => {
          const s: StoredRollout = await other.service.commands.get(started.rollout.id);
          return s.rollout.phase === 'PROMOTED' || s.rollout.phase === 'ROLLED_BACK' || s.rollout.phase === 'PAUSED'
            ? s
            : undefined;
        },
        40_000,
      );
      expect(done.rollout.phase, done.rollout.message).toBe('PROMOTED');
      expect(other.service.leadership.isLeader()).toBe(true);
      const applied = done.rollout.decisions.filter((d) => d.action === 'APPLY_STEP').map((d) => d.message);
      expect(applied).toHaveLength(2);
      const completed = done.rollout.decisions.filter((d) => d.action === 'COMPLETE_STEP');
      expect(completed).toHaveLength(steps.length);
    } finally {
      clearInterval(sampler);
    }
    expect(samples.length).toBeGreaterThan(10);
    expect(Math.max(...samples)).toBe(1);
  });

  it('a service restarted on the same database resumes a rollout where it stood', async () => {
    const db = dbFor('restart');
    const first = track(await startService(c, db));
    await createWorkload(c, 'restarted');
    await clearRelease(first, 'rel-restart');
    const started = await first.service.commands.start(
      {
        releaseId: 'rel-restart',
        environment: 'production',
        target: target('restarted'),
        image: 'shop/web:2.0.0',
        strategy: 'CANARY',
        steps,
        metrics: patient,
        progressDeadlineSeconds: 20,
      },
      { by: 'sam' },
    );
    await eventually('the first step done', async () =>
      (await first.service.commands.get(started.rollout.id)).rollout.stepIndex >= 1 ? true : undefined,
    );
    await first.stop();
    const second = track(await startService(c, db));
    const done = await eventually(
      'the rollout finished after the restart',
      async () => {
        const s = await second.service.commands.get(started.rollout.id);
        return ['PROMOTED', 'ROLLED_BACK', 'PAUSED'].includes(s.rollout.phase) ? s : undefined;
      },
      40_000,
    );
    expect(done.rollout.phase, done.rollout.message).toBe('PROMOTED');
    expect(done.rollout.decisions.filter((d) => d.action === 'APPLY_STEP')).toHaveLength(2);
    expect(
      done.rollout.decisions.filter((d) => d.action === 'COMPLETE_STEP').map((d) => d.message.slice(0, 6)),
    ).toEqual(['step 1', 'step 2', 'step 3', 'step 4']);
  });

  it('pauses instead of promoting when Prometheus goes down during analysis, and says so', async () => {
    const prom = await startPrometheus({ scrapeTargets: [c.metricsUrl], scrapeIntervalSeconds: 1 });
    let stopped = false;
    try {
      const s = track(await startService(c, dbFor('prom-down'), { prometheusUrl: prom.url, queryTimeoutMs: 500 }));
      await createWorkload(c, 'blind');
      await clearRelease(s, 'rel-blind');
      const started = await s.service.commands.start(
        {
          releaseId: 'rel-blind',
          environment: 'production',
          target: target('blind'),
          image: 'shop/web:2.0.0',
          strategy: 'CANARY',
          steps: [
            { kind: 'SET_WEIGHT', weight: 25 },
            { kind: 'ANALYSIS', templates: ['success-rate'], initialDelaySeconds: 3 },
            { kind: 'SET_WEIGHT', weight: 100 },
          ],
          // The built-in success rate, tolerating a few measurements before the new Prometheus has data.
          metrics: [{ ...BUILT_IN_TEMPLATES['success-rate']!, intervalSeconds: 1, count: 40, inconclusiveLimit: 5 }],
        },
        { by: 'sam' },
      );
      // Prometheus answers the first measurements, then goes away mid-run.
      await eventually('a measurement with a value', async () => {
        const run = (await s.service.commands.get(started.rollout.id)).rollout.analysisRuns[0];
        if (run?.metrics[0]?.measurements.some((m) => m.value !== null)) return true;
        const now = (await s.service.commands.get(started.rollout.id)).rollout;
        throw new Error(`${now.phase}: ${now.message}; ${JSON.stringify(run?.metrics[0]?.measurements ?? [])}`);
      });
      await prom.stop();
      stopped = true;
      const paused = await eventually('the rollout to stop progressing', async () => {
        const x = await s.service.commands.get(started.rollout.id);
        return x.rollout.phase !== 'PROGRESSING' ? x : undefined;
      });
      expect(paused.rollout.phase).toBe('PAUSED');
      expect(paused.rollout.pauseReason).toBe('INCONCLUSIVE');
      expect(paused.rollout.message).toMatch(
        /inconclusive limit 5.*Prometheus at http:\/\/127\.0\.0\.1:\d+ is unreachable: ECONNREFUSED.*paused rather than promoted/,
      );
      const measurements = paused.rollout.analysisRuns[0]!.metrics[0]!.measurements;
      expect(measurements.filter((m) => m.phase === 'SUCCESSFUL').length).toBeGreaterThanOrEqual(1);
      expect(measurements.filter((m) => m.phase === 'INCONCLUSIVE')).toHaveLength(6);
      expect(measurements.at(-1)?.detail).toMatch(/is unreachable: ECONNREFUSED/);
      const stable = await c.apps.readNamespacedDeployment({ name: 'blind', namespace: 'default' });
      expect(stable.spec?.template?.spec?.containers?.[0]?.image).toBe('shop/web:1.0.0');
      expect(stable.spec?.replicas).toBe(3);
    } finally {
      if (!stopped) await prom.stop();
    }
  });

  // kube-sim authorises nothing and keeps no audit log, so this runs on kube-local only.
  it.runIf(clusterKind() === 'kube-local')(
    'used every permission the chart grants it and was refused none (kube-local’s audit log; kube-sim authorises nothing)',
    async () => {
      const account = c.rbac!.find((o) => o.kind === 'ServiceAccount')!.metadata.name;
      const granted = grantedPermissions(c.rbac!, { name: account, namespace: NAMESPACE }, NAMESPACE);
      const { made, refused } = await callsOf(c, `system:serviceaccount:${NAMESPACE}:${account}`);
      expect(refused.map((e) => `${e.verb} ${e.requestURI}: ${e.responseStatus?.message}`)).toEqual([]);
      expect([...made].sort(), 'calls the Roles do not grant').toEqual([...made].filter((m) => granted.has(m)).sort());
      expect([...granted].sort(), 'permissions granted but never used by these scenarios').toEqual(
        [...granted].filter((g) => made.has(g)).sort(),
      );
    },
  );
});
