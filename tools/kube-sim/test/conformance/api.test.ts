import { PatchStrategy, setHeaderOptions, V1MicroTime, Watch, type V1Lease } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim } from '../../src/index.js';
import {
  both,
  eventually,
  expectSame,
  outcome,
  refusalOf,
  startServers,
  type Server,
  type Servers,
} from './servers.js';

const ns = 'conf-api';
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

interface Seen {
  type: string;
  name?: string;
  code?: number;
  reason?: string;
  initialEventsEnd?: string;
}

/** A watch's events, reduced to what both servers must agree on. */
function collect(x: Server, path: string, params: Record<string, string | number | boolean | undefined>) {
  const events: Seen[] = [];
  const started = new Watch(x.kc).watch(
    path,
    params,
    (
      type,
      obj: { metadata?: { name?: string; annotations?: Record<string, string> }; code?: number; reason?: string },
    ) =>
      events.push({
        type,
        name: obj.metadata?.name,
        code: obj.code,
        reason: obj.reason,
        initialEventsEnd: obj.metadata?.annotations?.['k8s.io/initial-events-end'],
      }),
    () => {},
  );
  return { events, stop: async () => (await started).abort() };
}

describe('API semantics on kube-sim and on kube-local', () => {
  let s: Servers;
  beforeAll(async () => {
    s = await startServers(ns);
  });
  afterAll(() => s?.stop());

  it('lists with label and field selectors and pages with limit and continue', async () => {
    await both(s, async (x) => {
      for (let i = 0; i < 7; i++)
        await x.core.createNamespacedConfigMap({
          namespace: ns,
          body: {
            metadata: { name: `cfg-${i}`, labels: { group: i % 2 === 0 ? 'even' : 'odd' } },
            data: { n: String(i) },
          },
        });
    });
    const names = (l: { items: { metadata?: { name?: string } }[] }) => l.items.map((c) => c.metadata!.name);
    expect(
      expectSame(
        await both(s, async (x) =>
          names(await x.core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'group=even' })),
        ),
        'group=even',
      ),
    ).toEqual(['cfg-0', 'cfg-2', 'cfg-4', 'cfg-6']);
    expectSame(
      await both(s, async (x) =>
        names(await x.core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'group in (odd),group!=even' })),
      ),
      'a set-based selector',
    );
    expectSame(
      await both(s, async (x) =>
        names(await x.core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'metadata.name=cfg-3' })),
      ),
      'a field selector',
    );
    const pages = await both(s, async (x) => {
      const out: unknown[] = [];
      let token: string | undefined;
      do {
        const page = await x.core.listNamespacedConfigMap({
          namespace: ns,
          labelSelector: 'group',
          limit: 3,
          _continue: token,
        });
        out.push({
          names: names(page),
          remaining: page.metadata?.remainingItemCount,
          more: page.metadata?._continue !== undefined,
        });
        token = page.metadata?._continue;
      } while (token && out.length < 10);
      return out;
    });
    expect(expectSame(pages, 'pages of 3')).toHaveLength(3);
    const refused = expectSame(
      await both(s, (x) => outcome(() => x.core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'data.n=1' }))),
      'a field selector on an unsupported field',
    );
    expect(refused).toMatchObject({ error: { code: 400 } });
  });

  it('streams watch events from a resourceVersion, turning selector transitions into ADDED and DELETED', async () => {
    const seen = await both(s, async (x) => {
      const list = await x.core.listNamespacedConfigMap({ namespace: ns });
      const w = collect(x, `/api/v1/namespaces/${ns}/configmaps`, {
        labelSelector: 'group=odd',
        resourceVersion: list.metadata!.resourceVersion,
      });
      await new Promise((r) => setTimeout(r, 300));
      await x.core.patchNamespacedConfigMap({ name: 'cfg-1', namespace: ns, body: { data: { n: 'one' } } }, merge);
      await x.core.patchNamespacedConfigMap(
        { name: 'cfg-2', namespace: ns, body: { metadata: { labels: { group: 'odd' } } } },
        merge,
      );
      await x.core.patchNamespacedConfigMap(
        { name: 'cfg-3', namespace: ns, body: { metadata: { labels: { group: 'even' } } } },
        merge,
      );
      await x.core.deleteNamespacedConfigMap({ name: 'cfg-5', namespace: ns });
      await eventually(`${x.name}: four events`, async () => w.events.filter((e) => e.type !== 'BOOKMARK').length >= 4);
      await w.stop();
      return w.events.filter((e) => e.type !== 'BOOKMARK');
    });
    expect(expectSame(seen, 'the watch events').map((e) => `${e.type} ${e.name}`)).toEqual([
      'MODIFIED cfg-1',
      'ADDED cfg-2',
      'DELETED cfg-3',
      'DELETED cfg-5',
    ]);
  });

  it('sends the current objects then a bookmark marking their end, when asked to (sendInitialEvents)', async () => {
    const seen = await both(s, async (x) => {
      const w = collect(x, `/api/v1/namespaces/${ns}/configmaps`, {
        labelSelector: 'group=odd',
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
      });
      await eventually(`${x.name}: the end of the initial events`, async () =>
        w.events.some((e) => e.initialEventsEnd === 'true'),
      );
      await w.stop();
      const end = w.events.findIndex((e) => e.initialEventsEnd === 'true');
      return w.events.slice(0, end + 1).sort((a, b) => `${a.type}${a.name}`.localeCompare(`${b.type}${b.name}`));
    });
    expectSame(seen, 'the initial events');
  });

  it('takes and renews a Lease, refusing a competitor that writes from a stale read', async () => {
    const now = () => new V1MicroTime(Date.now());
    const taken = await both(s, async (x) => {
      const lease = await x.coordination.createNamespacedLease({
        namespace: ns,
        body: {
          metadata: { name: 'leader' },
          spec: {
            holderIdentity: 'replica-a',
            leaseDurationSeconds: 15,
            acquireTime: now(),
            renewTime: now(),
            leaseTransitions: 0,
          },
        },
      });
      const competitorView = await x.coordination.readNamespacedLease({ name: 'leader', namespace: ns });
      const renewed = await x.coordination.replaceNamespacedLease({
        name: 'leader',
        namespace: ns,
        body: { ...lease, spec: { ...lease.spec, renewTime: now() } },
      });
      const takeover: V1Lease = {
        ...competitorView,
        spec: { ...competitorView.spec, holderIdentity: 'replica-b', leaseTransitions: 1 },
      };
      const refused = await outcome(() =>
        x.coordination.replaceNamespacedLease({ name: 'leader', namespace: ns, body: takeover }),
      );
      return {
        lease,
        renewed,
        refused,
        held: await x.coordination.readNamespacedLease({ name: 'leader', namespace: ns }),
      };
    });
    const local = expectSame(taken, 'a Lease taken, renewed and defended');
    // A MicroTime needs its six digits of fractions: a JavaScript Date's three are refused.
    const millis = await both(s, (x) =>
      outcome(() =>
        x.coordination.createNamespacedLease({
          namespace: ns,
          body: {
            metadata: { name: 'millis' },
            spec: { holderIdentity: 'a', renewTime: new Date('2026-01-01T00:00:00.123Z') },
          },
        }),
      ),
    );
    expectSame(millis, 'a Lease with a time in milliseconds');
    expect(local.refused).toMatchObject({ error: { code: 409, reason: 'Conflict' } });
    expect(local.held.spec?.holderIdentity).toBe('replica-a');
  });

  it('creates Services and Pods with the fields the server sets, schedules the pod and says so in an Event', async () => {
    const svc = await both(s, (x) =>
      x.core.createNamespacedService({
        namespace: ns,
        body: {
          metadata: { name: 'web' },
          spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
        },
      }),
    );
    expect(expectSame(svc, 'the created Service').spec?.clusterIP).toMatch(/^10\.96\./);
    const pod = await both(s, (x) =>
      x.core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { generateName: 'lonely-' },
          spec: { containers: [{ name: 'c', image: 'shop/lonely:1.0.0' }] },
        },
      }),
    );
    expect(expectSame(pod, 'the created Pod').metadata?.name).toMatch(/^lonely-[a-z0-9]{5}$/);
    const ready = await both(s, (x) =>
      eventually(`${x.name}: the pod Ready`, async () => {
        const pods = await x.core.listNamespacedPod({ namespace: ns, labelSelector: '' });
        const p = pods.items.find((i) => i.metadata?.name?.startsWith('lonely-'));
        return p?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
      }),
    );
    // The status is each server's node simulator's (kube-sim's kubelet, kube-local's kwok): what both must say.
    const essentials = (p: typeof ready.local) => ({
      ...p,
      status: {
        phase: p.status?.phase,
        ready: p.status?.containerStatuses?.map((c) => ({
          name: c.name,
          ready: c.ready,
          running: c.state?.running !== undefined,
        })),
      },
    });
    expectSame({ sim: essentials(ready.sim), local: essentials(ready.local) }, 'the Ready pod');
    const scheduled = await both(s, async (x) => {
      const name = ready[x.name === 'kube-sim' ? 'sim' : 'local'].metadata!.name!;
      const events = await x.core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name}` });
      return events.items.find((e) => e.reason === 'Scheduled');
    });
    expectSame(scheduled, 'the Scheduled event');
  });

  it('honours dryRun=All, and a finalizer holds a deleted object until it is removed', async () => {
    const dry = await both(s, async (x) => {
      const r = await x.request(
        'POST',
        `/api/v1/namespaces/${ns}/configmaps?dryRun=All`,
        JSON.stringify({ metadata: { name: 'dry' } }),
      );
      return { status: r.status, kept: (await x.request('GET', `/api/v1/namespaces/${ns}/configmaps/dry`)).status };
    });
    expect(expectSame(dry, 'a dry-run create')).toEqual({ status: 201, kept: 404 });
    const held = await both(s, async (x) => {
      await x.core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } },
      });
      const deleted = await x.core.deleteNamespacedConfigMap({ name: 'held', namespace: ns });
      const terminating = await x.core.readNamespacedConfigMap({ name: 'held', namespace: ns });
      const released = await x.core.patchNamespacedConfigMap(
        { name: 'held', namespace: ns, body: { metadata: { finalizers: null } } },
        merge,
      );
      return {
        deleted,
        terminating,
        released,
        after: await outcome(() => x.core.readNamespacedConfigMap({ name: 'held', namespace: ns })),
      };
    });
    const local = expectSame(held, 'a held delete');
    expect(local.terminating.metadata?.deletionTimestamp).toBeDefined();
    expect(local.after).toMatchObject({ error: { code: 404 } });
  });

  it('refuses a wrong bearer token with 401', async () => {
    // kube-sim checks a token only when started with one.
    const guarded = await startKubeSim({ token: 's3cret' });
    try {
      const res = await fetch(`${guarded.url}/api/v1/namespaces`, { headers: { Authorization: 'Bearer wrong' } });
      const local = await s.local.request('GET', '/api/v1/namespaces', undefined, undefined, 'wrong');
      const refused = { sim: refusalOf(res.status, await res.text()), local: refusalOf(local.status, local.body) };
      expect(expectSame(refused, 'a wrong token')).toMatchObject({ code: 401, reason: 'Unauthorized' });
    } finally {
      await guarded.stop();
    }
  });
});
