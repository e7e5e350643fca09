import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoordinationV1Api, KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gateEvaluationCompleted, JetStreamBus } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { eventually, freePort, gql, type RunningProcess, startProcess } from '@flightdeck/testing';
import { BUILT_IN_TEMPLATES } from '../../src/domain/index.js';
import { NAMESPACE } from './cluster.js';
import { collectEvents, createWorkload, dbFor, SECRET, startCluster, token, type Cluster } from './stack.js';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const LEASE_SECONDS = 2;
/** How often a replica renews or tries the Lease: a third of its duration (LeaseLeadership's default). */
const LEASE_TRY_MS = (LEASE_SECONDS * 1000) / 3;

// Needs the real prometheus binary (Debian package prometheus, installed by .ci/run).
describe('two replicas (processes) sharing a coordination.k8s.io Lease, the leader killed mid-rollout (SIGKILL)', () => {
  let c: Cluster;
  let dir: string;
  let bus: JetStreamBus;
  let mongo: MongoConnection;
  const procs: RunningProcess[] = [];
  let env: NodeJS.ProcessEnv;
  let leases: CoordinationV1Api;

  beforeAll(async () => {
    // On kube-local the service acts as the ServiceAccount of the kustomize base, bound to its Roles only.
    c = await startCluster({ rbac: 'kustomize' });
    dir = await mkdtemp(join(tmpdir(), 'deployment-crash-'));
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    await writeFile(kubeconfig, c.serviceKubeconfig);
    const db = dbFor('crash');
    mongo = await connectMongo({ uri: db, retries: 2 });
    bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: 'deployment-crash-test' });
    const admin = new KubeConfig();
    admin.loadFromString(c.adminKubeconfig);
    leases = admin.makeApiClient(CoordinationV1Api);
    env = {
      ...process.env,
      MONGODB_URI: db,
      NATS_URL: inject('natsUrl'),
      AUTH_JWT_SECRET: SECRET,
      PROMETHEUS_URL: c.prom.url,
      KUBECONFIG: kubeconfig,
      LEASE_NAME: `crash-${randomUUID().slice(0, 8)}`,
      LEASE_SECONDS: String(LEASE_SECONDS),
      CONTROLLER_TICK_MS: '100',
      DEPLOYMENT_CONSUMER: `crash-${randomUUID().slice(0, 8)}`,
      LOG_LEVEL: 'info',
    };
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) await p.stop('SIGKILL').catch(() => {});
    await bus?.close();
    await mongo?.close();
    await c?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function launch(replica: string): Promise<{ replica: string; url: string; proc: RunningProcess }> {
    const port = await freePort();
    const proc = await startProcess(process.execPath, ['--import', 'tsx', main], {
      env: { ...env, PORT: String(port), POD_NAME: replica },
      name: `deployment ${replica}`,
      timeoutMs: 40_000,
      isReady: (out) => out.includes('deployment serving GraphQL'),
    });
    procs.push(proc);
    return { replica, url: `http://127.0.0.1:${port}/graphql`, proc };
  }
  const lease = (): Promise<V1Lease> => leases.readNamespacedLease({ name: env.LEASE_NAME!, namespace: NAMESPACE });

  it('the other replica takes the Lease over once it has run out and finishes the rollout without repeating a step or an event', async () => {
    const replicas = await Promise.all([launch('replica-a'), launch('replica-b')]);
    const held = await eventually(
      'a replica holding the Lease',
      async () => (await lease().catch(() => undefined))?.spec?.holderIdentity,
    );
    const leader = replicas.find((r) => r.replica === held)!;
    const survivor = replicas.find((r) => r !== leader)!;
    const collected = await collectEvents(bus);
    await createWorkload(c, 'crashed');
    await bus.publish(
      gateEvaluationCompleted.create({
        source: 'flightdeck/gates',
        data: {
          releaseId: 'rel-crash',
          evaluationId: 'ev-1',
          gate: 'PRODUCTION',
          outcome: 'PASS',
          evaluatedAt: new Date().toISOString(),
        },
      }),
    );
    await eventually('the gate projected', async () =>
      (await mongo.connection.collection('release_gates').findOne({ _id: 'rel-crash' as never })) ? true : undefined,
    );
    const sre = await token(['SRE']);
    const started = await gql<{ startRollout: { id: string } }>(
      survivor.url,
      `mutation($input: StartRolloutInput!) { startRollout(input: $input) { id } }`,
      {
        input: {
          releaseId: 'rel-crash',
          target: { namespace: 'default', deployment: 'crashed', container: 'app' },
          image: 'shop/web:2.0.0',
          steps: [
            { kind: 'SET_WEIGHT', weight: 25 },
            { kind: 'PAUSE', pauseSeconds: 3 },
            { kind: 'SET_WEIGHT', weight: 50 },
            { kind: 'ANALYSIS', templates: ['success-rate'], initialDelaySeconds: 2 },
          ],
          metrics: [{ ...BUILT_IN_TEMPLATES['success-rate']!, intervalSeconds: 1, count: 2, inconclusiveLimit: 6 }],
          progressDeadlineSeconds: 30,
        },
      },
      sre,
    );
    expect(started.errors).toBeUndefined();
    const id = started.data!.startRollout.id;
    const stateOf = async () =>
      (await mongo.connection.collection('rollouts').findOne({ _id: id as never }))?.state as
        { stepIndex: number; phase: string; decisions: { action: string }[] } | undefined;
    await eventually('the first step done', async () => (((await stateOf())?.stepIndex ?? 0) >= 1 ? true : undefined));
    const before = await lease();
    expect(before.spec).toMatchObject({ holderIdentity: leader.replica, leaseDurationSeconds: LEASE_SECONDS });
    const killedAt = Date.now();
    leader.proc.child.kill('SIGKILL');
    await new Promise((r) => leader.proc.child.once('exit', r));
    const paused = await stateOf();
    expect(paused?.phase).toBe('PROGRESSING');

    // The dead leader renewed last at or before the kill: the Lease runs out within its duration of the kill, and
    // the survivor takes it at its next try (every third of the duration), its write one API call later.
    const after = await eventually(
      'the survivor holding the Lease',
      async () => {
        const l = await lease();
        return l.spec?.holderIdentity === survivor.replica ? l : undefined;
      },
      10_000,
    );
    const tookOver = new Date(after.spec!.acquireTime!).getTime() - killedAt;
    expect(tookOver, 'ms from the kill to the survivor acquiring the Lease').toBeLessThanOrEqual(
      LEASE_SECONDS * 1000 + LEASE_TRY_MS + 1000,
    );
    expect(after.spec?.leaseTransitions).toBe((before.spec?.leaseTransitions ?? 0) + 1);
    const done = await eventually(
      'the rollout finished by the survivor',
      async () => {
        const s = await stateOf();
        return s && s.phase !== 'PROGRESSING' && s.phase !== 'PROMOTING' ? s : undefined;
      },
      45_000,
    );
    expect(done.phase).toBe('PROMOTED');
    expect(done.decisions.filter((d) => d.action === 'APPLY_STEP')).toHaveLength(2);
    expect(done.decisions.filter((d) => d.action === 'COMPLETE_STEP')).toHaveLength(4);
    await eventually('the events', async () =>
      collected.events.some((e) => e.type.endsWith('.succeeded') && (e.data as { rolloutId: string }).rolloutId === id)
        ? true
        : undefined,
    );
    const steps = collected.events
      .filter((e) => e.type.endsWith('.step_completed') && (e.data as { rolloutId: string }).rolloutId === id)
      .map((e) => (e.data as { stepIndex: number }).stepIndex);
    expect(steps).toEqual([0, 1, 2, 3]);
    await collected.sub.stop();
  }, 120_000);
});
