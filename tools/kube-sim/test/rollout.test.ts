import { PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, rolloutComplete, startCluster, waitFor, watchDeploymentUntil, type Cluster } from './helpers.js';

const ns = 'default';
const revision = 'deployment.kubernetes.io/revision';

describe('deployments through @kubernetes/client-node', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ behaviours: { 'shop/crash:1.0.0': { crash: true } } });
  });
  afterAll(() => c.sim.stop());

  const replicaSetsOf = async (app: string) => (await c.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: `app=${app}` })).items;

  it('rolls out a new image as a new ReplicaSet, revision 2, and scales the old one to zero', async () => {
    const created = await c.apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', 'shop/web:1.0.0') });
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    await watchDeploymentUntil(c, ns, 'web', rolloutComplete);

    await c.apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/web:2.0.0' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const done = await watchDeploymentUntil(c, ns, 'web', (d) => rolloutComplete(d) && d.metadata?.annotations?.[revision] === '2');
    expect(done.metadata?.generation).toBe(2);
    expect(done.status?.observedGeneration).toBe(2);
    expect(done.status?.conditions?.find((x) => x.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    expect(done.status?.conditions?.find((x) => x.type === 'Available')?.status).toBe('True');

    const sets = await replicaSetsOf('web');
    expect(sets).toHaveLength(2);
    const byRevision = Object.fromEntries(sets.map((rs) => [rs.metadata!.annotations![revision], rs]));
    expect(byRevision['1']!.spec!.replicas).toBe(0);
    expect(byRevision['1']!.spec!.template!.spec!.containers[0]!.image).toBe('shop/web:1.0.0');
    expect(byRevision['2']!.spec!.replicas).toBe(3);
    expect(byRevision['2']!.status!.readyReplicas).toBe(3);
    const hash = byRevision['2']!.metadata!.labels!['pod-template-hash'];
    expect(byRevision['2']!.metadata!.name).toBe(`web-${hash}`);
    const pods = (await c.core.listNamespacedPod({ namespace: ns, labelSelector: `app=web,pod-template-hash=${hash}` })).items;
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.status?.phase === 'Running' && p.metadata?.ownerReferences?.[0]?.name === byRevision['2']!.metadata!.name)).toBe(true);
  });

  it('never drops below the desired ready pods nor exceeds maxSurge during a rolling update', async () => {
    await c.apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment('careful', 'shop/careful:1.0.0', { replicas: 4, spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }),
    });
    await watchDeploymentUntil(c, ns, 'careful', rolloutComplete);
    const seen: { total: number; ready: number }[] = [];
    const pods = new Map<string, V1Pod>();
    const { Watch } = await import('@kubernetes/client-node');
    const list = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=careful' });
    for (const p of list.items) pods.set(p.metadata!.name!, p);
    const abort = await new Watch(c.kc).watch(
      `/api/v1/namespaces/${ns}/pods`,
      { labelSelector: 'app=careful', resourceVersion: list.metadata!.resourceVersion },
      (type, p: V1Pod) => {
        if (type === 'DELETED') pods.delete(p.metadata!.name!);
        else pods.set(p.metadata!.name!, p);
        const all = [...pods.values()];
        seen.push({ total: all.length, ready: all.filter((x) => x.status?.conditions?.some((k) => k.type === 'Ready' && k.status === 'True')).length });
      },
      () => {},
    );
    await c.apps.patchNamespacedDeployment(
      { name: 'careful', namespace: ns, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop/careful:2.0.0' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    await watchDeploymentUntil(c, ns, 'careful', (d) => rolloutComplete(d) && d.metadata?.generation === 2);
    abort.abort();
    expect(seen.length).toBeGreaterThan(8);
    expect(Math.max(...seen.map((s) => s.total))).toBe(5);
    expect(Math.min(...seen.map((s) => s.ready))).toBe(4);
  });

  it('undoes a rollout by restoring the earlier ReplicaSet template, which becomes revision 3', async () => {
    const sets = await replicaSetsOf('web');
    const first = sets.find((rs) => rs.metadata!.annotations![revision] === '1')!;
    const template = structuredClone(first.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    await c.apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: [{ op: 'replace', path: '/spec/template', value: template }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    const done = await watchDeploymentUntil(c, ns, 'web', (d) => rolloutComplete(d) && d.metadata?.annotations?.[revision] === '3');
    expect(done.spec!.template!.spec!.containers[0]!.image).toBe('shop/web:1.0.0');
    const after = await replicaSetsOf('web');
    expect(after).toHaveLength(2);
    const restored = after.find((rs) => rs.metadata!.uid === first.metadata!.uid)!;
    expect(restored.metadata!.annotations![revision]).toBe('3');
    expect(restored.metadata!.annotations!['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(restored.spec!.replicas).toBe(3);
  });

  it('applies JSON merge patch, strategic merge patch and JSON patch as Kubernetes does', async () => {
    const merged = await c.apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: { metadata: { labels: { tier: 'front' } }, spec: { replicas: 2 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(merged.spec!.replicas).toBe(2);
    expect(merged.metadata!.labels).toEqual({ app: 'web', tier: 'front' });

    // Strategic merge: the container list merges by name, env by name, ports by containerPort.
    const strategic = await c.apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: ns,
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'app', env: [{ name: 'MODE', value: 'fast' }], ports: [{ containerPort: 9090, name: 'admin' }] },
                  { name: 'sidecar', image: 'shop/proxy:1.0.0' },
                ],
              },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const containers = strategic.spec!.template!.spec!.containers;
    expect(containers.map((x) => x.name)).toEqual(['app', 'sidecar']);
    expect(containers[0]!.image).toBe('shop/web:1.0.0');
    expect(containers[0]!.env).toEqual([{ name: 'MODE', value: 'fast' }]);
    expect(containers[0]!.ports!.map((p) => p.containerPort)).toEqual([8080, 9090]);

    const removed = await c.apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(removed.spec!.template!.spec!.containers.map((x) => x.name)).toEqual(['app']);

    const jsonPatched = await c.apps.patchNamespacedDeployment(
      { name: 'web', namespace: ns, body: [{ op: 'test', path: '/spec/replicas', value: 2 }, { op: 'add', path: '/metadata/annotations/owner', value: 'team-a' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.metadata!.annotations!.owner).toBe('team-a');
    await expect(
      c.apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: [{ op: 'test', path: '/spec/replicas', value: 7 }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)),
    ).rejects.toMatchObject({ code: 422 });
  });

  it('refuses an update with a stale resourceVersion (409 Conflict)', async () => {
    // Read-modify-write until our own write lands: the controller may be writing status at the same time.
    let stale = await c.apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await c.apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      const ok = await c.apps.replaceNamespacedDeployment({ name: 'web', namespace: ns, body: { ...current, spec: { ...current.spec!, replicas: 3 } } }).then(
        () => true,
        (e: { code?: number }) => (e.code === 409 ? false : Promise.reject(e)),
      );
      if (ok) {
        stale = current;
        break;
      }
    }
    const err = await c.apps.replaceNamespacedDeployment({ name: 'web', namespace: ns, body: { ...stale, spec: { ...stale.spec!, replicas: 1 } } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 409 });
    expect(JSON.parse((err as { body: string }).body)).toMatchObject({ kind: 'Status', reason: 'Conflict' });
    const now = await c.apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    expect(now.spec!.replicas).toBe(3);
    expect(Number(now.metadata!.resourceVersion)).toBeGreaterThan(Number(stale.metadata!.resourceVersion));
  });

  it('scales through the scale subresource', async () => {
    const scale = await c.apps.readNamespacedDeploymentScale({ name: 'web', namespace: ns });
    expect(scale.status?.selector).toBe('app=web');
    await c.apps.patchNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { spec: { replicas: 1 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const d = await watchDeploymentUntil(c, ns, 'web', (x) => rolloutComplete(x) && x.spec?.replicas === 1);
    expect(d.status?.replicas).toBe(1);
  });

  it('gets stuck on a crashing image: restartCount grows and the progress deadline is exceeded', async () => {
    await c.apps.createNamespacedDeployment({ namespace: ns, body: deployment('stuck', 'shop/web:1.0.0', { replicas: 2, spec: { progressDeadlineSeconds: 60 } }) });
    await watchDeploymentUntil(c, ns, 'stuck', rolloutComplete);
    await c.apps.patchNamespacedDeployment(
      { name: 'stuck', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/crash:1.0.0' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const failed = await watchDeploymentUntil(c, ns, 'stuck', (d) => d.status?.conditions?.some((x) => x.type === 'Progressing' && x.reason === 'ProgressDeadlineExceeded') ?? false);
    const progressing = failed.status!.conditions!.find((x) => x.type === 'Progressing')!;
    expect(progressing.status).toBe('False');
    expect(progressing.message).toMatch(/has timed out progressing/);
    expect(failed.status!.availableReplicas).toBe(2);
    expect(failed.status!.updatedReplicas).toBeGreaterThanOrEqual(1);
    const crashing = await waitFor('a restart count above 1', async () => {
      const pods = (await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=stuck' })).items.filter((p) => p.spec!.containers[0]!.image === 'shop/crash:1.0.0');
      const status = pods[0]?.status?.containerStatuses?.[0];
      return status && (status.restartCount ?? 0) > 1 ? status : undefined;
    });
    expect(crashing.ready).toBe(false);
    expect(crashing.state?.waiting?.reason).toBe('CrashLoopBackOff');
  });

  it('Recreate removes every old pod before the first new one is created', async () => {
    await c.apps.createNamespacedDeployment({ namespace: ns, body: deployment('batch', 'shop/batch:1.0.0', { replicas: 2, spec: { strategy: { type: 'Recreate' } } }) });
    await watchDeploymentUntil(c, ns, 'batch', rolloutComplete);
    const images: string[][] = [];
    const { Watch } = await import('@kubernetes/client-node');
    const list = await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=batch' });
    const pods = new Map(list.items.map((p) => [p.metadata!.name!, p.spec!.containers[0]!.image!]));
    const abort = await new Watch(c.kc).watch(`/api/v1/namespaces/${ns}/pods`, { labelSelector: 'app=batch', resourceVersion: list.metadata!.resourceVersion }, (type, p: V1Pod) => {
      if (type === 'DELETED') pods.delete(p.metadata!.name!);
      else pods.set(p.metadata!.name!, p.spec!.containers[0]!.image!);
      images.push([...new Set(pods.values())]);
    }, () => {});
    await c.apps.patchNamespacedDeployment({ name: 'batch', namespace: ns, body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/batch:2.0.0' }] } } } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
    await watchDeploymentUntil(c, ns, 'batch', (d) => rolloutComplete(d) && d.metadata?.generation === 2);
    abort.abort();
    expect(images.some((set) => set.length === 0)).toBe(true);
    expect(images.every((set) => set.length <= 1)).toBe(true);
  });

  it('a paused deployment makes no new ReplicaSet until it is resumed; revisionHistoryLimit prunes old ones', async () => {
    await c.apps.createNamespacedDeployment({ namespace: ns, body: deployment('paused', 'shop/p:1', { replicas: 1, spec: { revisionHistoryLimit: 1 } }) });
    await watchDeploymentUntil(c, ns, 'paused', rolloutComplete);
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    await c.apps.patchNamespacedDeployment({ name: 'paused', namespace: ns, body: { spec: { paused: true } } }, merge);
    await c.apps.patchNamespacedDeployment({ name: 'paused', namespace: ns, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop/p:2' }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
    const pausedState = await watchDeploymentUntil(c, ns, 'paused', (d) => d.status?.observedGeneration === d.metadata?.generation && d.status?.conditions?.some((x) => x.reason === 'DeploymentPaused') === true);
    expect(pausedState.status?.updatedReplicas ?? 0).toBe(0);
    expect(await replicaSetsOf('paused')).toHaveLength(1);
    await c.apps.patchNamespacedDeployment({ name: 'paused', namespace: ns, body: { spec: { paused: false } } }, merge);
    await watchDeploymentUntil(c, ns, 'paused', (d) => rolloutComplete(d) && d.metadata?.annotations?.[revision] === '2');
    await c.apps.patchNamespacedDeployment({ name: 'paused', namespace: ns, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop/p:3' }] }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
    await watchDeploymentUntil(c, ns, 'paused', (d) => rolloutComplete(d) && d.metadata?.annotations?.[revision] === '3');
    const sets = await waitFor('old ReplicaSets pruned to the history limit', async () => {
      const list = await replicaSetsOf('paused');
      return list.length === 2 ? list : undefined;
    });
    expect(sets.map((rs) => rs.metadata!.annotations![revision]).sort()).toEqual(['2', '3']);
  });

  it('deletes ReplicaSets and pods with their Deployment, or orphans them when asked', async () => {
    await c.apps.deleteNamespacedDeployment({ name: 'careful', namespace: ns });
    await waitFor('the careful ReplicaSets and pods to be collected', async () =>
      (await replicaSetsOf('careful')).length === 0 && (await c.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=careful' })).items.length === 0,
    );
    const before = (await replicaSetsOf('batch')).map((rs) => rs.metadata!.name);
    expect(before.length).toBeGreaterThan(0);
    await c.apps.deleteNamespacedDeployment({ name: 'batch', namespace: ns, body: { propagationPolicy: 'Orphan' } });
    // Orphaning is done once the Deployment is gone and no ReplicaSet names it as owner any more.
    await waitFor('the batch Deployment deleted and its ReplicaSets orphaned', async () => {
      const gone = await c.apps.readNamespacedDeployment({ name: 'batch', namespace: ns }).then(() => false, (e: unknown) => (e as { code?: number }).code === 404);
      return gone && (await replicaSetsOf('batch')).every((rs) => (rs.metadata!.ownerReferences ?? []).length === 0);
    });
    // A later cascading delete, collected in full, shows the collector has run since: it left the orphans alone.
    await c.apps.createNamespacedDeployment({ namespace: ns, body: deployment('marker', 'shop/web:1.0.0', { replicas: 1 }) });
    await waitFor('the marker ReplicaSet', async () => (await replicaSetsOf('marker')).length > 0);
    await c.apps.deleteNamespacedDeployment({ name: 'marker', namespace: ns });
    await waitFor('the marker ReplicaSets collected', async () => (await replicaSetsOf('marker')).length === 0);
    expect((await replicaSetsOf('batch')).map((rs) => rs.metadata!.name).sort()).toEqual([...before].sort());
  });
});
