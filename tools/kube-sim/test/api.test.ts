import { KubeConfig, CoreV1Api, PatchStrategy, setHeaderOptions, Watch, type V1Lease } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, waitFor, type Cluster } from './helpers.js';

const ns = 'default';

function collectWatch(c: Cluster, path: string, params: Record<string, string | number | boolean | undefined>) {
  const events: { type: string; obj: { metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> }; code?: number; reason?: string } }[] = [];
  const started = new Watch(c.kc).watch(path, params, (type, obj) => events.push({ type, obj }), () => {});
  return { events, stop: async () => (await started).abort() };
}

describe('API semantics', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ watchHistory: 50, bookmarkIntervalMs: 50 });
  });
  afterAll(() => c.sim.stop());

  it('lists with label and field selectors and pages with limit/continue', async () => {
    for (let i = 0; i < 7; i++)
      await c.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `cfg-${i}`, labels: { group: i % 2 === 0 ? 'even' : 'odd' } }, data: { n: String(i) } } });
    const even = await c.core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'group=even' });
    expect(even.items.map((x) => x.metadata!.name)).toEqual(['cfg-0', 'cfg-2', 'cfg-4', 'cfg-6']);
    const setBased = await c.core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'group in (odd),group!=even' });
    expect(setBased.items).toHaveLength(3);
    const byName = await c.core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'metadata.name=cfg-3' });
    expect(byName.items.map((x) => x.metadata!.name)).toEqual(['cfg-3']);

    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await c.core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'group', limit: 3, _continue: token });
      names.push(...page.items.map((x) => x.metadata!.name!));
      token = page.metadata?._continue;
      if (token) expect(page.metadata?.remainingItemCount).toBeGreaterThan(0);
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(names).toEqual(['cfg-0', 'cfg-1', 'cfg-2', 'cfg-3', 'cfg-4', 'cfg-5', 'cfg-6']);
    const err = await c.core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'data.n=1' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 400 });
  });

  it('streams watch events from a resourceVersion, with bookmarks, and selector transitions as ADDED/DELETED', async () => {
    const list = await c.core.listNamespacedConfigMap({ namespace: ns });
    const w = collectWatch(c, `/api/v1/namespaces/${ns}/configmaps`, { labelSelector: 'group=odd', resourceVersion: list.metadata!.resourceVersion, allowWatchBookmarks: true });
    await new Promise((r) => setTimeout(r, 100));
    await c.core.patchNamespacedConfigMap({ name: 'cfg-1', namespace: ns, body: { data: { n: 'one' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await c.core.patchNamespacedConfigMap({ name: 'cfg-2', namespace: ns, body: { metadata: { labels: { group: 'odd' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await c.core.patchNamespacedConfigMap({ name: 'cfg-3', namespace: ns, body: { metadata: { labels: { group: 'even' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await c.core.deleteNamespacedConfigMap({ name: 'cfg-5', namespace: ns });
    // A bookmark may also come before the changes (still at the list's version): wait for one after all four.
    const bookmarkAfterChanges = () => {
      const changeIndexes = w.events.flatMap((e, i) => (e.type === 'BOOKMARK' ? [] : [i]));
      return changeIndexes.length >= 4 && w.events.some((e, i) => e.type === 'BOOKMARK' && i > changeIndexes[3]!);
    };
    await waitFor('four watch events and a bookmark after them', bookmarkAfterChanges);
    await w.stop();
    const changes = w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.obj.metadata!.name}`);
    expect(changes).toEqual(['MODIFIED cfg-1', 'ADDED cfg-2', 'DELETED cfg-3', 'DELETED cfg-5']);
    const bookmark = w.events.filter((e) => e.type === 'BOOKMARK').at(-1)!;
    expect(Number(bookmark.obj.metadata!.resourceVersion)).toBeGreaterThan(Number(list.metadata!.resourceVersion));
  });

  it('answers a watch from a resourceVersion older than the bounded history with 410 Gone', async () => {
    const old = (await c.core.listNamespacedConfigMap({ namespace: ns })).metadata!.resourceVersion!;
    for (let i = 0; i < 60; i++) await c.core.patchNamespacedConfigMap({ name: 'cfg-0', namespace: ns, body: { data: { n: `v${i}` } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const w = collectWatch(c, `/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: old });
    await waitFor('the ERROR event', () => w.events.length > 0);
    await w.stop();
    expect(w.events[0]).toMatchObject({ type: 'ERROR', obj: { code: 410, reason: 'Expired' } });
    const fresh = (await c.core.listNamespacedConfigMap({ namespace: ns })).metadata!.resourceVersion!;
    const ok = collectWatch(c, `/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: fresh });
    await c.core.deleteNamespacedConfigMap({ name: 'cfg-0', namespace: ns });
    await waitFor('the DELETED event', () => ok.events.length > 0);
    await ok.stop();
    expect(ok.events[0]).toMatchObject({ type: 'DELETED', obj: { metadata: { name: 'cfg-0' } } });
  });

  it('takes and renews a Lease, refusing a competitor that writes from a stale read', async () => {
    const now = () => new Date();
    const lease = await c.coordination.createNamespacedLease({
      namespace: ns,
      body: { metadata: { name: 'flightdeck-leader' }, spec: { holderIdentity: 'replica-a', leaseDurationSeconds: 15, acquireTime: now(), renewTime: now(), leaseTransitions: 0 } },
    });
    expect(lease.spec?.holderIdentity).toBe('replica-a');
    const competitorView = await c.coordination.readNamespacedLease({ name: 'flightdeck-leader', namespace: ns });
    const renewed = await c.coordination.replaceNamespacedLease({ name: 'flightdeck-leader', namespace: ns, body: { ...lease, spec: { ...lease.spec, renewTime: now() } } });
    expect(Number(renewed.metadata!.resourceVersion)).toBeGreaterThan(Number(lease.metadata!.resourceVersion));
    expect(Date.parse(String(renewed.spec!.renewTime))).toBeGreaterThanOrEqual(Date.parse(String(lease.spec!.renewTime)));
    const takeover: V1Lease = { ...competitorView, spec: { ...competitorView.spec, holderIdentity: 'replica-b', leaseTransitions: 1 } };
    const err = await c.coordination.replaceNamespacedLease({ name: 'flightdeck-leader', namespace: ns, body: takeover }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 409 });
    const held = await c.coordination.readNamespacedLease({ name: 'flightdeck-leader', namespace: ns });
    expect(held.spec!.holderIdentity).toBe('replica-a');
  });

  it('creates services, pods and events with server-set fields', async () => {
    const svc = await c.core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\./);
    expect(svc.spec?.ports?.[0]?.protocol).toBe('TCP');
    const pod = await c.core.createNamespacedPod({ namespace: ns, body: { metadata: { generateName: 'lonely-' }, spec: { containers: [{ name: 'c', image: 'shop/lonely:1.0.0' }] } } });
    expect(pod.metadata?.name).toMatch(/^lonely-[a-z0-9]{5}$/);
    const ready = await waitFor('the pod to become Ready', async () => {
      const p = await c.core.readNamespacedPod({ name: pod.metadata!.name!, namespace: ns });
      return p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ? p : undefined;
    });
    expect(ready.spec?.nodeName).toBe('kube-sim-node');
    const events = await c.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${pod.metadata!.name}` });
    expect(events.items.map((e) => e.reason)).toContain('Scheduled');
  });

  it('honours dryRun=All and finalizers on delete', async () => {
    const url = `${c.sim.url}/api/v1/namespaces/${ns}/configmaps`;
    const dry = await fetch(`${url}?dryRun=All`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'dry' } }) });
    expect(dry.status).toBe(200);
    expect((await fetch(`${url}/dry`)).status).toBe(404);
    await c.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } } });
    await c.core.deleteNamespacedConfigMap({ name: 'held', namespace: ns });
    const terminating = await c.core.readNamespacedConfigMap({ name: 'held', namespace: ns });
    expect(terminating.metadata?.deletionTimestamp).toBeDefined();
    await c.core.patchNamespacedConfigMap({ name: 'held', namespace: ns, body: { metadata: { finalizers: null } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(await c.core.readNamespacedConfigMap({ name: 'held', namespace: ns }).catch((e: unknown) => e)).toMatchObject({ code: 404 });
  });

  it('refuses a wrong bearer token with 401 and accepts the right one', async () => {
    const guarded = await startCluster({ token: 's3cret' });
    try {
      const ok = await guarded.core.listNamespace();
      expect(ok.items.map((n) => n.metadata!.name)).toContain('default');
      const wrong = new KubeConfig();
      wrong.loadFromString(guarded.sim.kubeconfig.replace('s3cret', 'wrong'));
      const err = await wrong.makeApiClient(CoreV1Api).listNamespace().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 401 });
      const raw = await fetch(`${guarded.sim.url}/api/v1/namespaces`, { headers: { Authorization: 'Bearer wrong' } });
      expect(raw.status).toBe(401);
      expect(await raw.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    } finally {
      await guarded.sim.stop();
    }
  });
});
