import { PatchStrategy, setHeaderOptions, type V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  both,
  eventually,
  expectSame,
  outcome,
  startServers,
  withoutStatus,
  type Server,
  type Servers,
} from './servers.js';
import { deployment, rolloutComplete } from '../helpers.js';
import { podCounts, watchDeploymentUntil } from './workloads.js';

const ns = 'conf-rollout';
const revision = 'deployment.kubernetes.io/revision';
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

describe('Deployments through @kubernetes/client-node, on kube-sim and on kube-local', () => {
  let s: Servers;
  beforeAll(async () => {
    s = await startServers(ns);
  });
  afterAll(() => s?.stop());

  const replicaSets = (x: Server, app: string) =>
    x.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: `app=${app}` }).then((l) => l.items);
  const byRevision = (sets: V1ReplicaSet[]) =>
    Object.fromEntries(sets.map((rs) => [rs.metadata!.annotations![revision], rs]));
  /** The Deployment and its ReplicaSets (by revision) and pods, once `done`, compared between the servers. */
  async function settled(app: string, done: (d: Parameters<typeof rolloutComplete>[0]) => boolean, what: string) {
    await both(s, (x) => watchDeploymentUntil(x, ns, app, done));
    // The controllers' last status writes land a moment after the condition the watch saw.
    await both(s, (x) =>
      eventually(`${x.name}: ${app} steady`, async () => {
        const d = await x.apps.readNamespacedDeployment({ name: app, namespace: ns });
        return done(d) && d.status?.replicas === (d.spec?.replicas ?? 1) && (d.status?.terminatingReplicas ?? 0) === 0
          ? true
          : undefined;
      }),
    );
    const d = expectSame(
      await both(s, (x) => x.apps.readNamespacedDeployment({ name: app, namespace: ns })),
      `${what}: the Deployment`,
    );
    // A ReplicaSet's generation counts the steps the controller scaled it in, which depend on when pods got ready.
    const steps = (rs: V1ReplicaSet): V1ReplicaSet => ({
      ...rs,
      metadata: { ...rs.metadata, generation: undefined },
      status: { ...rs.status!, observedGeneration: undefined },
    });
    const sets = await both(s, (x) => replicaSets(x, app).then((l) => byRevision(l.map(steps))));
    expectSame(sets, `${what}: its ReplicaSets by revision`);
    return { d, sets: sets.local };
  }

  it('creates a Deployment as the API server does, rolls a new image out as a new ReplicaSet (revision 2) and scales the old one to zero', async () => {
    const created = expectSame(
      await both(s, (x) =>
        x.apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', 'shop/web:1.0.0') }),
      ),
      'the created Deployment',
    );
    expect(created.metadata?.generation).toBe(1);
    await settled('web', rolloutComplete, 'revision 1');
    expectSame(
      withoutStatus(
        await both(s, (x) =>
          x.apps.patchNamespacedDeployment(
            {
              name: 'web',
              namespace: ns,
              body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/web:2.0.0' }] } } } },
            },
            strategic,
          ),
        ),
      ),
      'the patched Deployment',
    );
    const { d, sets } = await settled(
      'web',
      (x) => rolloutComplete(x) && x.metadata?.annotations?.[revision] === '2',
      'revision 2',
    );
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    expect(sets['1']!.spec!.replicas).toBe(0);
    expect(sets['2']!.spec!.replicas).toBe(3);
    const pods = await both(s, async (x) =>
      (await x.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' })).items.filter(
        (p) => p.status?.phase === 'Running',
      ),
    );
    expectSame({ sim: pods.sim.length, local: pods.local.length }, 'running pods');
    expectSame(
      {
        sim: pods.sim.map((p) => p.metadata?.ownerReferences),
        local: pods.local.map((p) => p.metadata?.ownerReferences),
      },
      'the pods’ owners',
    );
  });

  it('never exceeds maxSurge nor drops below the ready pods maxUnavailable allows during a rolling update', async () => {
    const body = deployment('careful', 'shop/careful:1.0.0', {
      replicas: 4,
      spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
    });
    await both(s, (x) => x.apps.createNamespacedDeployment({ namespace: ns, body }));
    await both(s, (x) => watchDeploymentUntil(x, ns, 'careful', rolloutComplete));
    const seen = await both(s, (x) =>
      podCounts(x, ns, 'app=careful', async () => {
        await x.apps.patchNamespacedDeployment(
          {
            name: 'careful',
            namespace: ns,
            body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop/careful:2.0.0' }],
          },
          jsonPatch,
        );
        await watchDeploymentUntil(x, ns, 'careful', (d) => rolloutComplete(d) && d.metadata?.generation === 2);
      }),
    );
    const bounds = (counts: { total: number; ready: number }[]) => ({
      most: Math.max(...counts.map((c) => c.total)),
      fewestReady: Math.min(...counts.map((c) => c.ready)),
    });
    expect(expectSame({ sim: bounds(seen.sim), local: bounds(seen.local) }, 'pods during the update')).toEqual({
      most: 5,
      fewestReady: 4,
    });
  });

  it('undoes a rollout by restoring the earlier ReplicaSet’s template, which becomes revision 3 and remembers revision 1', async () => {
    await both(s, async (x) => {
      const first = byRevision(await replicaSets(x, 'web'))['1']!;
      const template = structuredClone(first.spec!.template!);
      delete template.metadata!.labels!['pod-template-hash'];
      await x.apps.patchNamespacedDeployment(
        { name: 'web', namespace: ns, body: [{ op: 'replace', path: '/spec/template', value: template }] },
        jsonPatch,
      );
    });
    const { d, sets } = await settled(
      'web',
      (x) => rolloutComplete(x) && x.metadata?.annotations?.[revision] === '3',
      'after the undo',
    );
    expect(d.spec!.template!.spec!.containers[0]!.image).toBe('shop/web:1.0.0');
    expect(Object.keys(sets).sort()).toEqual(['2', '3']);
    expect(sets['3']!.metadata!.annotations!['deployment.kubernetes.io/revision-history']).toBe('1');
  });

  /**
   * Waits until both servers' deployment controllers have seen the last template change. They then write the
   * revision annotation, so a write answered before that would differ between the servers by timing alone.
   */
  const controllersCaughtUp = () =>
    both(s, (x) =>
      watchDeploymentUntil(x, ns, 'web', (d) => (d.metadata?.generation ?? 0) <= (d.status?.observedGeneration ?? 0)),
    );

  it('applies JSON merge patch, strategic merge patch and JSON patch alike', async () => {
    expectSame(
      withoutStatus(
        await both(s, (x) =>
          x.apps.patchNamespacedDeployment(
            { name: 'web', namespace: ns, body: { metadata: { labels: { tier: 'front' } }, spec: { replicas: 2 } } },
            merge,
          ),
        ),
      ),
      'after a JSON merge patch',
    );
    const containers = [
      { name: 'app', env: [{ name: 'MODE', value: 'fast' }], ports: [{ containerPort: 9090, name: 'admin' }] },
      { name: 'sidecar', image: 'shop/proxy:1.0.0' },
    ];
    const added = expectSame(
      withoutStatus(
        await both(s, (x) =>
          x.apps.patchNamespacedDeployment(
            { name: 'web', namespace: ns, body: { spec: { template: { spec: { containers } } } } },
            strategic,
          ),
        ),
      ),
      'after a strategic merge patch',
    );
    await controllersCaughtUp();
    // The new port lands before the original one, as Kubernetes merges keyed lists.
    expect(added.spec!.template!.spec!.containers[0]!.ports!.map((p) => p.containerPort)).toEqual([9090, 8080]);
    expectSame(
      withoutStatus(
        await both(s, (x) =>
          x.apps.patchNamespacedDeployment(
            {
              name: 'web',
              namespace: ns,
              body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } },
            },
            strategic,
          ),
        ),
      ),
      'after $patch: delete',
    );
    await controllersCaughtUp();
    const ops = [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'add', path: '/metadata/annotations/owner', value: 'team-a' },
    ];
    expectSame(
      withoutStatus(
        await both(s, (x) => x.apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: ops }, jsonPatch)),
      ),
      'after a JSON patch',
    );
    const failed = expectSame(
      await both(s, (x) =>
        outcome(() =>
          x.apps.patchNamespacedDeployment(
            { name: 'web', namespace: ns, body: [{ op: 'test', path: '/spec/replicas', value: 7 }] },
            jsonPatch,
          ),
        ),
      ),
      'a JSON patch whose test fails',
    );
    expect(failed).toMatchObject({ error: { code: 422 } });
  });

  it('refuses an update with a stale resourceVersion (409 Conflict)', async () => {
    const stale = await both(s, (x) => x.apps.readNamespacedDeployment({ name: 'web', namespace: ns }));
    await both(s, (x) =>
      x.apps.patchNamespacedDeployment(
        { name: 'web', namespace: ns, body: { metadata: { annotations: { touched: 'yes' } } } },
        merge,
      ),
    );
    const refused = await both(s, (x) =>
      outcome(() =>
        x.apps.replaceNamespacedDeployment({
          name: 'web',
          namespace: ns,
          body: { ...(x.name === 'kube-sim' ? stale.sim : stale.local), spec: { ...stale.local.spec!, replicas: 1 } },
        }),
      ),
    );
    expect(expectSame(refused, 'a stale update')).toMatchObject({ error: { code: 409, reason: 'Conflict' } });
  });

  it('scales through the scale subresource', async () => {
    await settled('web', (d) => rolloutComplete(d) && d.spec?.replicas === 2, 'at 2 replicas');
    expectSame(await both(s, (x) => x.apps.readNamespacedDeploymentScale({ name: 'web', namespace: ns })), 'the Scale');
    expectSame(
      await both(s, (x) =>
        x.apps.patchNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { spec: { replicas: 1 } } }, merge),
      ),
      'the patched Scale',
    );
    await settled('web', (d) => rolloutComplete(d) && d.spec?.replicas === 1, 'scaled to 1');
  });

  it('gets stuck on a crashing image: CrashLoopBackOff, never Ready, and the progress deadline exceeded', async () => {
    // The deadline is real seconds on kube-local: a short one keeps the test short.
    await both(s, (x) =>
      x.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment('stuck', 'shop/web:1.0.0', { replicas: 2, spec: { progressDeadlineSeconds: 10 } }),
      }),
    );
    await both(s, (x) => watchDeploymentUntil(x, ns, 'stuck', rolloutComplete));
    await both(s, (x) =>
      x.apps.patchNamespacedDeployment(
        {
          name: 'stuck',
          namespace: ns,
          body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/crash:1.0.0' }] } } } },
        },
        strategic,
      ),
    );
    const failed = await both(s, (x) =>
      watchDeploymentUntil(
        x,
        ns,
        'stuck',
        (d) =>
          d.status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded') ??
          false,
      ),
    );
    const progressing = expectSame(
      {
        sim: failed.sim.status?.conditions?.find((c) => c.type === 'Progressing'),
        local: failed.local.status?.conditions?.find((c) => c.type === 'Progressing'),
      },
      'the Progressing condition',
    );
    expect(progressing).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    const crashing = await both(s, (x) =>
      eventually(`${x.name}: a crash`, async () => {
        const pods = (await x.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=stuck' })).items.filter(
          (p) => p.spec!.containers[0]!.image === 'shop/crash:1.0.0',
        );
        const status = pods[0]?.status?.containerStatuses?.[0];
        return status && (status.restartCount ?? 0) >= 1 && status.state?.waiting ? status : undefined;
      }),
    );
    expect(
      expectSame(
        {
          sim: { ready: crashing.sim.ready, waiting: crashing.sim.state?.waiting?.reason },
          local: { ready: crashing.local.ready, waiting: crashing.local.state?.waiting?.reason },
        },
        'the crashing container',
      ),
    ).toEqual({ ready: false, waiting: 'CrashLoopBackOff' });
  });

  it('Recreate removes every old pod before the first new one is created', async () => {
    await both(s, (x) =>
      x.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment('batch', 'shop/batch:1.0.0', { replicas: 2, spec: { strategy: { type: 'Recreate' } } }),
      }),
    );
    await both(s, (x) => watchDeploymentUntil(x, ns, 'batch', rolloutComplete));
    const seen = await both(s, (x) =>
      podCounts(x, ns, 'app=batch', async () => {
        await x.apps.patchNamespacedDeployment(
          {
            name: 'batch',
            namespace: ns,
            body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/batch:2.0.0' }] } } } },
          },
          strategic,
        );
        await watchDeploymentUntil(x, ns, 'batch', (d) => rolloutComplete(d) && d.metadata?.generation === 2);
      }),
    );
    const sawNone = (counts: { total: number }[]) => counts.some((c) => c.total === 0);
    expect(expectSame({ sim: sawNone(seen.sim), local: sawNone(seen.local) }, 'a moment without pods')).toBe(true);
  });

  it('a paused Deployment makes no new ReplicaSet until it is resumed; revisionHistoryLimit prunes old ones', async () => {
    await both(s, (x) =>
      x.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment('paused', 'shop/p:1', { replicas: 1, spec: { revisionHistoryLimit: 1 } }),
      }),
    );
    await settled('paused', rolloutComplete, 'paused, revision 1');
    await both(s, (x) =>
      x.apps.patchNamespacedDeployment({ name: 'paused', namespace: ns, body: { spec: { paused: true } } }, merge),
    );
    await both(s, (x) =>
      x.apps.patchNamespacedDeployment(
        {
          name: 'paused',
          namespace: ns,
          body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop/p:2' }],
        },
        jsonPatch,
      ),
    );
    const paused = await settled(
      'paused',
      (d) =>
        d.status?.observedGeneration === d.metadata?.generation &&
        d.status?.conditions?.some((c) => c.reason === 'DeploymentPaused') === true,
      'paused with a new template',
    );
    expect(Object.keys(paused.sets)).toEqual(['1']);
    await both(s, (x) =>
      x.apps.patchNamespacedDeployment({ name: 'paused', namespace: ns, body: { spec: { paused: false } } }, merge),
    );
    await settled('paused', (d) => rolloutComplete(d) && d.metadata?.annotations?.[revision] === '2', 'resumed');
    await both(s, (x) =>
      x.apps.patchNamespacedDeployment(
        {
          name: 'paused',
          namespace: ns,
          body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop/p:3' }],
        },
        jsonPatch,
      ),
    );
    await both(s, (x) =>
      eventually(`${x.name}: history pruned to the limit`, async () =>
        (await replicaSets(x, 'paused')).length === 2 ? true : undefined,
      ),
    );
    const { sets } = await settled(
      'paused',
      (d) => rolloutComplete(d) && d.metadata?.annotations?.[revision] === '3',
      'revision 3, pruned',
    );
    expect(Object.keys(sets).sort()).toEqual(['2', '3']);
  });

  it('deletes ReplicaSets and pods with their Deployment, or orphans them when asked', async () => {
    await both(s, (x) => x.apps.deleteNamespacedDeployment({ name: 'careful', namespace: ns }));
    await both(s, (x) =>
      eventually(
        `${x.name}: careful's ReplicaSets and pods collected`,
        async () =>
          (await replicaSets(x, 'careful')).length === 0 &&
          (await x.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=careful' })).items.length === 0,
      ),
    );
    const before = await both(s, async (x) => (await replicaSets(x, 'batch')).length);
    expectSame(before, 'batch ReplicaSets before');
    await both(s, (x) =>
      x.apps.deleteNamespacedDeployment({ name: 'batch', namespace: ns, body: { propagationPolicy: 'Orphan' } }),
    );
    const orphans = await both(s, (x) =>
      eventually(`${x.name}: batch gone, its ReplicaSets orphaned`, async () => {
        const gone = await x.apps.readNamespacedDeployment({ name: 'batch', namespace: ns }).then(
          () => false,
          (e: { code?: number }) => e.code === 404,
        );
        const sets = await replicaSets(x, 'batch');
        return gone && sets.every((rs) => (rs.metadata!.ownerReferences ?? []).length === 0) ? sets : undefined;
      }),
    );
    expectSame(
      {
        sim: orphans.sim.map((rs) => rs.metadata?.ownerReferences ?? []),
        local: orphans.local.map((rs) => rs.metadata?.ownerReferences ?? []),
      },
      'the orphans’ owners',
    );
    expect(orphans.local.length).toBe(before.local);
  });
});
