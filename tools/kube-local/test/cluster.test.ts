import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { startPrometheus, type PrometheusHandle } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudit, serviceAccountKubeconfig, startKubeLocal, type KubeLocal } from '../src/index.js';
import { clients, deployment, eventually, rolloutComplete, run } from './helpers.js';

// Needs the built binaries (npm run kube-local:build; nx builds them before this project's tests), kubectl and
// prometheus (Debian packages kubernetes-client and prometheus, installed by .ci/run).
describe('kube-local: a real control plane with kwok nodes', () => {
  let cluster: KubeLocal;
  let dir: string;
  let kubeconfigFile: string;
  let c: ReturnType<typeof clients>;
  const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfigFile, ...args]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-local-test-'));
    kubeconfigFile = join(dir, 'kubeconfig');
    cluster = await startKubeLocal({
      kubeconfigPath: kubeconfigFile,
      auditLog: true,
      behaviours: {
        'shop/web:1.0.0': { rps: 50, errorRatio: 0.01, p99Seconds: 0.2 },
        'shop/web:2.0.0': { rps: 50, errorRatio: 0.3, p99Seconds: 1.5 },
        'shop/crash:*': { crash: true },
        'shop/slow:*': { startSeconds: 6 },
      },
    });
    c = clients(cluster.kubeconfig);
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the Kubernetes version pinned in go.mod to kubectl', async () => {
    const goMod = await readFile(new URL('../go.mod', import.meta.url), 'utf8');
    const pinned = /^\s*k8s\.io\/kubernetes (v1\.(\d+)\.\d+)\b/m.exec(goMod)!;
    const { stdout } = await kubectl('version', '-o', 'json');
    const server = (JSON.parse(stdout) as { serverVersion: { gitVersion: string; major: string; minor: string } })
      .serverVersion;
    expect(server).toMatchObject({ gitVersion: pinned[1], major: '1', minor: pinned[2] });
  });

  it('answers kubectl auth can-i from real RBAC, and accepts a token minted through TokenRequest', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'team' } } });
    await c.core.createNamespacedServiceAccount({ namespace: 'team', body: { metadata: { name: 'deployer' } } });
    const rbac = c.kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: 'team',
      body: {
        metadata: { name: 'deploy' },
        rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: 'team',
      body: {
        metadata: { name: 'deploy' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deploy' },
        subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'team' }],
      },
    });
    // kubectl auth can-i exits 1 when the answer is no.
    const canI = (verb: string, resource: string, namespace = 'team') =>
      kubectl('auth', 'can-i', verb, resource, '-n', namespace, '--as', 'system:serviceaccount:team:deployer').then(
        (r) => r.stdout.trim(),
        (e: { stdout: string }) => e.stdout.trim(),
      );
    expect(await canI('patch', 'deployments')).toBe('yes');
    expect(await canI('delete', 'deployments')).toBe('no');
    expect(await canI('list', 'secrets')).toBe('no');
    expect(await canI('patch', 'deployments', 'default')).toBe('no');

    const minted = await c.core.createNamespacedServiceAccountToken({
      name: 'deployer',
      namespace: 'team',
      body: { spec: { expirationSeconds: 600, audiences: [] } },
    });
    const token = minted.status!.token;
    expect(token.split('.')).toHaveLength(3);
    const appsWithToken = (t: string) => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'kube-local', server: cluster.url, caData: Buffer.from(cluster.caCert).toString('base64') }],
        users: [{ name: 'deployer', token: t }],
        contexts: [{ name: 'deployer', cluster: 'kube-local', user: 'deployer' }],
        currentContext: 'deployer',
      });
      return kc.makeApiClient(AppsV1Api);
    };
    await expect(appsWithToken(token).listNamespacedDeployment({ namespace: 'team' })).resolves.toMatchObject({
      items: [],
    });
    await expect(appsWithToken(token).listNamespacedDeployment({ namespace: 'default' })).rejects.toMatchObject({
      code: 403,
    });
    // A token whose signature does not check out is refused.
    await expect(
      appsWithToken(`${token.slice(0, -6)}AAAAAA`).listNamespacedDeployment({ namespace: 'team' }),
    ).rejects.toMatchObject({ code: 401 });
  });

  it('acts as a service account through serviceAccountKubeconfig, and audits what it does and is refused', async () => {
    const asDeployer = clients(await serviceAccountKubeconfig(cluster, { namespace: 'team', name: 'deployer' }, 600));
    await expect(asDeployer.apps.listNamespacedDeployment({ namespace: 'team' })).resolves.toMatchObject({ items: [] });
    await expect(asDeployer.core.listNamespacedSecret({ namespace: 'team' })).rejects.toMatchObject({ code: 403 });
    const events = (await readAudit(cluster.auditLogPath!)).filter(
      (e) => e.user.username === 'system:serviceaccount:team:deployer',
    );
    const seen = events.map(
      (e) => `${e.verb} ${e.objectRef?.apiGroup ?? ''}/${e.objectRef?.resource} ${e.responseStatus?.code}`,
    );
    expect(seen).toContain('list apps/deployments 200');
    expect(seen).toContain('list /secrets 403');
    // Only service accounts outside kube-system are audited: not the admin, not the controllers.
    expect(
      (await readAudit(cluster.auditLogPath!)).every(
        (e) =>
          e.user.username.startsWith('system:serviceaccount:') &&
          !e.user.username.startsWith('system:serviceaccount:kube-system:'),
      ),
    ).toBe(true);
  });

  it('runs a Deployment: the real controllers make a ReplicaSet and pods, the scheduler binds them, kwok makes them Ready', async () => {
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web', 'shop/web:1.0.0', 3) });
    const d = await eventually('the rollout to complete', async () => {
      const d = await c.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
      return rolloutComplete(d) ? d : undefined;
    });
    expect(d.status).toMatchObject({ readyReplicas: 3, availableReplicas: 3 });
    const sets = await c.apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' });
    expect(sets.items).toHaveLength(1);
    expect(sets.items[0]!.metadata!.ownerReferences![0]).toMatchObject({ kind: 'Deployment', name: 'web' });
    const pods = await c.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(3);
    for (const p of pods.items) {
      expect(p.spec!.nodeName).toBe(cluster.nodeNames[0]);
      expect(p.status).toMatchObject({ phase: 'Running' });
      expect(p.status!.podIP).toMatch(/^10\.0\./);
    }
    const { stdout } = await kubectl('rollout', 'status', 'deployment/web', '--timeout=10s');
    expect(stdout).toMatch(/successfully rolled out/);
  });

  it('keeps a crashing image in CrashLoopBackOff, never Ready, restarting', async () => {
    await c.apps.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('crashy', 'shop/crash:1.0.0', 1),
    });
    const pod = await eventually('the pod to crash', async () => {
      const pods = await c.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=crashy' });
      const p = pods.items[0];
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
    });
    const status = pod.status!.containerStatuses![0]!;
    expect(status.ready).toBe(false);
    expect(status.restartCount).toBeGreaterThanOrEqual(1);
    expect(status.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(pod.status!.conditions!.find((x) => x.type === 'Ready')!.status).toBe('False');
    // The back-off ends in another crash: restartCount goes up. The back-off doubles from 10 s, so a pod first seen
    // after its second crash waits 20 s: the cluster deadline (60 s) covers it, 30 s on a busy machine did not.
    await eventually('another crash', async () => {
      const p = await c.core.readNamespacedPod({ name: pod.metadata!.name!, namespace: 'default' });
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > status.restartCount ? true : undefined;
    });
    const d = await c.apps.readNamespacedDeployment({ name: 'crashy', namespace: 'default' });
    expect(d.status?.availableReplicas ?? 0).toBe(0);
  });

  it('makes a slow image Ready only after its start delay', async () => {
    await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('slow', 'shop/slow:1', 1) });
    const pod = await eventually('the slow pod to get Ready', async () => {
      const pods = await c.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=slow' });
      const p = pods.items[0];
      return p?.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ? p : undefined;
    });
    const scheduled = pod.status!.conditions!.find((x) => x.type === 'PodScheduled')!.lastTransitionTime!;
    const ready = pod.status!.conditions!.find((x) => x.type === 'Ready')!.lastTransitionTime!;
    // Timestamps have whole seconds: 6 s of delay shows as at least 5.
    expect((new Date(ready).getTime() - new Date(scheduled).getTime()) / 1000).toBeGreaterThanOrEqual(5);
  });

  describe('with a real Prometheus scraping the workloads', () => {
    let prom: PrometheusHandle;
    beforeAll(async () => {
      prom = await startPrometheus({ scrapeTargets: [cluster.metricsUrl], scrapeIntervalSeconds: 1 });
    });
    afterAll(() => prom?.stop());

    it("shows a bad image's error ratio and latency above its good predecessor's after an image change", async () => {
      await c.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('shop', 'shop/web:1.0.0', 2) });
      await eventually('shop 1.0.0 rolled out', async () =>
        rolloutComplete(await c.apps.readNamespacedDeployment({ name: 'shop', namespace: 'default' })),
      );
      await c.apps.patchNamespacedDeployment({
        name: 'shop',
        namespace: 'default',
        body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop/web:2.0.0' }],
      });
      await eventually('shop 2.0.0 rolled out', async () => {
        const d = await c.apps.readNamespacedDeployment({ name: 'shop', namespace: 'default' });
        return d.metadata?.generation === 2 && rolloutComplete(d);
      });
      const query =
        'sum by (version) (increase(http_requests_total{deployment="shop",code="500"}[1m])) / sum by (version) (increase(http_requests_total{deployment="shop"}[1m]))';
      const ratios = await eventually('both versions in Prometheus', async () => {
        const by = Object.fromEntries((await prom.query(query)).map((s) => [s.metric.version, Number(s.value[1])]));
        return Number.isFinite(by['1.0.0']) && Number.isFinite(by['2.0.0']) ? by : undefined;
      });
      expect(ratios['2.0.0']).toBeGreaterThan(0.2);
      expect(ratios['1.0.0']).toBeLessThan(0.05);
      const p99 = await prom.query(
        'histogram_quantile(0.99, sum by (le, version) (rate(http_request_duration_seconds_bucket{deployment="shop"}[1m])))',
      );
      const byVersion = Object.fromEntries(p99.map((x) => [x.metric.version, Number(x.value[1])]));
      expect(byVersion['2.0.0']).toBeGreaterThan(1);
      expect(byVersion['1.0.0']).toBeLessThan(0.5);
    });
  });

  it('writes the kubeconfig it was asked for', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfigFile, 'get', 'nodes', '-o', 'name']);
    expect(stdout.trim()).toBe(`node/${cluster.nodeNames[0]}`);
  });
});
