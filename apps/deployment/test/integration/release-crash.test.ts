import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gateEvaluationCompleted, JetStreamBus } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { eventually, freePort, gql, type RunningProcess, startProcess } from '@flightdeck/testing';
import { workloadInput } from './release-rollout-helpers.js';
import { collectEvents, createWorkload, dbFor, SECRET, startCluster, token, type Cluster } from './stack.js';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const NAMES = ['kill-backend', 'kill-api', 'kill-web'];

interface StoredRelease {
  phase: string;
  wavesStarted: number;
  decisions: { action: string; message: string }[];
}
interface StoredChild {
  phase: string;
  decisions: { action: string }[];
}

// Needs the real prometheus binary (Debian package prometheus, installed by .ci/run).
describe('the service killed mid-release (SIGKILL) and started again', () => {
  let c: Cluster;
  let dir: string;
  let bus: JetStreamBus;
  let mongo: MongoConnection;
  const procs: RunningProcess[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    c = await startCluster();
    dir = await mkdtemp(join(tmpdir(), 'deployment-release-crash-'));
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    await writeFile(kubeconfig, c.serviceKubeconfig);
    const db = dbFor('release-crash');
    mongo = await connectMongo({ uri: db, retries: 2 });
    bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: 'deployment-release-crash-test' });
    env = {
      ...process.env,
      MONGODB_URI: db,
      NATS_URL: inject('natsUrl'),
      AUTH_JWT_SECRET: SECRET,
      PROMETHEUS_URL: c.prom.url,
      KUBECONFIG: kubeconfig,
      LEASE_NAME: `release-crash-${randomUUID().slice(0, 8)}`,
      LEASE_SECONDS: '2',
      CONTROLLER_TICK_MS: '100',
      DEPLOYMENT_CONSUMER: `release-crash-${randomUUID().slice(0, 8)}`,
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

  async function launch(): Promise<{ url: string; proc: RunningProcess }> {
    const port = await freePort();
    const proc = await startProcess(process.execPath, ['--import', 'tsx', main], {
      env: { ...env, PORT: String(port) },
      name: 'deployment',
      timeoutMs: 40_000,
      isReady: (out) => out.includes('deployment serving GraphQL'),
    });
    procs.push(proc);
    return { url: `http://127.0.0.1:${port}/graphql`, proc };
  }

  it('finishes the release without repeating a step, a child rollout or an event, and leaves no workload behind', async () => {
    const first = await launch();
    const collected = await collectEvents(bus);
    for (const n of NAMES) await createWorkload(c, n);
    await bus.publish(
      gateEvaluationCompleted.create({
        source: 'flightdeck/gates',
        data: {
          releaseId: 'kill@2.0.0',
          evaluationId: 'ev-1',
          gate: 'PRODUCTION',
          outcome: 'PASS',
          evaluatedAt: new Date().toISOString(),
        },
      }),
    );
    await eventually('the gate projected', async () =>
      (await mongo.connection.collection('release_gates').findOne({ _id: 'kill@2.0.0' as never })) ? true : undefined,
    );
    const started = await gql<{ startReleaseRollout: { id: string } }>(
      first.url,
      `mutation($input: StartReleaseRolloutInput!) { startReleaseRollout(input: $input) { id } }`,
      {
        input: {
          releaseId: 'kill@2.0.0',
          mode: 'WAVES',
          workloads: [
            workloadInput('kill-backend', 'shop/web:2.0.0'),
            workloadInput('kill-api', 'shop/web:2.0.0', ['kill-backend']),
            workloadInput('kill-web', 'shop/web:2.0.0', ['kill-api']),
          ],
        },
      },
      await token(['SRE']),
    );
    expect(started.errors).toBeUndefined();
    const id = started.data!.startReleaseRollout.id;
    const release = async () =>
      (await mongo.connection.collection('release_rollouts').findOne({ _id: id as never }))?.state as
        StoredRelease | undefined;
    const child = async (name: string) =>
      (await mongo.connection.collection('rollouts').findOne({ _id: `${id}.${name}.1` as never }))?.state as
        StoredChild | undefined;

    // Killed in the middle: the second wave started, its rollout under way, the third still to start.
    await eventually('the second wave started', async () =>
      ((await release())?.wavesStarted ?? 0) >= 2 ? true : undefined,
    );
    first.proc.child.kill('SIGKILL');
    await new Promise((r) => first.proc.child.once('exit', r));
    const killed = await release();
    expect(killed?.phase).toBe('PROGRESSING');
    expect(await child('kill-web')).toBeUndefined();

    await launch();
    const done = await eventually(
      'the release finished by the restarted service',
      async () => {
        const r = await release();
        return r && ['PROMOTED', 'ROLLED_BACK', 'FAILED'].includes(r.phase) ? r : undefined;
      },
      90_000,
    );
    expect(done.phase, done.decisions.at(-1)?.message).toBe('PROMOTED');
    expect(done.decisions.filter((d) => d.action === 'START_WAVE')).toHaveLength(3);
    expect(done.decisions.filter((d) => d.action === 'START_PROMOTION')).toHaveLength(1);
    // one child rollout per workload, each step applied once, all on the new version
    expect(await mongo.connection.collection('rollouts').countDocuments({ releaseId: 'kill@2.0.0' })).toBe(3);
    for (const n of NAMES) {
      const s = (await child(n))!;
      expect(s.phase).toBe('PROMOTED');
      expect(s.decisions.filter((d) => d.action === 'START')).toHaveLength(1);
      expect(s.decisions.filter((d) => d.action === 'APPLY_STEP')).toHaveLength(1);
      expect(s.decisions.filter((d) => d.action === 'COMPLETE_STEP')).toHaveLength(3);
      expect(
        (await c.apps.readNamespacedDeployment({ name: n, namespace: 'default' })).spec?.template?.spec?.containers?.[0]
          ?.image,
      ).toBe('shop/web:2.0.0');
    }
    await eventually('the promoted event', async () =>
      collected.events.some(
        (e) =>
          e.type === 'flightdeck.deployment.release_rollout.promoted' &&
          (e.data as { releaseRolloutId: string }).releaseRolloutId === id,
      )
        ? true
        : undefined,
    );
    const waves = collected.events
      .filter(
        (e) => e.type.endsWith('.wave_started') && (e.data as { releaseRolloutId: string }).releaseRolloutId === id,
      )
      .map((e) => (e.data as { wave: number }).wave);
    expect(waves).toEqual([0, 1, 2]);
    const childStarts = collected.events.filter(
      (e) =>
        e.type === 'flightdeck.deployment.rollout.started' &&
        (e.data as { releaseId: string }).releaseId === 'kill@2.0.0',
    );
    expect(childStarts).toHaveLength(3);
    await collected.sub.stop();
  }, 180_000);
});
