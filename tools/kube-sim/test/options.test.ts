import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@flightdeck/testing';
import { startCluster, type Cluster } from './helpers.js';

// What kube-sim's own options do. The API's behaviour itself is held to a real API server in conformance/.
const ns = 'default';
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function collectWatch(c: Cluster, path: string, params: Record<string, string | number | boolean | undefined>) {
  const events: {
    type: string;
    obj: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string };
  }[] = [];
  const started = new Watch(c.kc).watch(
    path,
    params,
    (type, obj) => events.push({ type, obj }),
    () => {},
  );
  return { events, stop: async () => (await started).abort() };
}

describe('kube-sim options: watch history, bookmark interval, token', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ watchHistory: 50, bookmarkIntervalMs: 50 });
    await c.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'cfg' }, data: { n: '0' } } });
  });
  afterAll(() => c.sim.stop());

  it('sends a bookmark every bookmarkIntervalMs, at the newest resourceVersion', async () => {
    const list = await c.core.listNamespacedConfigMap({ namespace: ns });
    const w = collectWatch(c, `/api/v1/namespaces/${ns}/configmaps`, {
      resourceVersion: list.metadata!.resourceVersion,
      allowWatchBookmarks: true,
    });
    await new Promise((r) => setTimeout(r, 100));
    await c.core.patchNamespacedConfigMap({ name: 'cfg', namespace: ns, body: { data: { n: '1' } } }, merge);
    const types = () => w.events.map((e) => e.type);
    await eventually(
      'a bookmark after the change',
      () => types().includes('MODIFIED') && types().lastIndexOf('BOOKMARK') > types().indexOf('MODIFIED'),
    );
    await w.stop();
    const bookmark = w.events.filter((e) => e.type === 'BOOKMARK').at(-1)!;
    expect(Number(bookmark.obj.metadata!.resourceVersion)).toBeGreaterThan(Number(list.metadata!.resourceVersion));
  });

  // A real API server keeps a window of at least 75 s in its watch cache; a test cannot cheaply outrun it (README).
  it('answers a watch from a resourceVersion older than watchHistory changes with 410 Gone', async () => {
    const old = (await c.core.listNamespacedConfigMap({ namespace: ns })).metadata!.resourceVersion!;
    for (let i = 0; i < 60; i++)
      await c.core.patchNamespacedConfigMap({ name: 'cfg', namespace: ns, body: { data: { n: `v${i}` } } }, merge);
    const w = collectWatch(c, `/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: old });
    await eventually('the ERROR event', () => w.events.length > 0);
    await w.stop();
    expect(w.events[0]).toMatchObject({ type: 'ERROR', obj: { code: 410, reason: 'Expired' } });
  });

  it('with a token, refuses a wrong one with 401 and accepts the right one', async () => {
    const guarded = await startCluster({ token: 's3cret' });
    try {
      const ok = await guarded.core.listNamespace();
      expect(ok.items.map((n) => n.metadata!.name)).toContain('default');
      const wrong = new KubeConfig();
      wrong.loadFromString(guarded.sim.kubeconfig.replace('s3cret', 'wrong'));
      expect(
        await wrong
          .makeApiClient(CoreV1Api)
          .listNamespace()
          .catch((e: unknown) => e),
      ).toMatchObject({ code: 401 });
    } finally {
      await guarded.sim.stop();
    }
  });
});
