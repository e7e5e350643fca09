import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '@flightdeck/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { behaviourAnnotations, Behaviours, startWorkloadSim, type WorkloadSim } from '../src/index.js';
import { eventually } from '@flightdeck/testing';

function pod(name: string, image: string, labels: Record<string, string> = { app: name }): V1Pod {
  return { metadata: { name, labels }, spec: { containers: [{ name: 'app', image }] } };
}

const sample = (text: string, name: string, labels: Record<string, string>) =>
  text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));

// kube-sim's own pods are simulated by this component too; here a second one watches the same server from outside,
// as it watches kube-local's, and serves its metrics on a port of its own.
describe('the workload simulator watching an API server', () => {
  let sim: KubeSim;
  let workloads: WorkloadSim;
  let core: CoreV1Api;
  const behaviours = new Behaviours(
    {
      'shop/web:2.0.0': { rps: 1000, errorRatio: 0.25 },
      'shop/crash:*': { crash: true },
      'shop/slow:*': { startSeconds: 30 },
    },
    2,
  );

  beforeAll(async () => {
    sim = await startKubeSim({ timeScale: 50 });
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    workloads = await startWorkloadSim({
      kubeconfig: sim.kubeconfig,
      behaviours,
      annotatePods: true,
      port: 0,
      clock: sim.clock,
    });
  });
  afterAll(async () => {
    await workloads?.stop();
    await sim?.stop();
  });

  it("writes each pod's behaviour into its annotations, for a node simulator to play", async () => {
    await core.createNamespacedPod({ namespace: 'default', body: pod('crashy', 'shop/crash:1') });
    await core.createNamespacedPod({ namespace: 'default', body: pod('slow', 'shop/slow:1') });
    const crashy = await eventually('the crashing pod annotated', async () => {
      const p = await core.readNamespacedPod({ name: 'crashy', namespace: 'default' });
      return p.metadata?.annotations?.[behaviourAnnotations.crash] ? p : undefined;
    });
    expect(crashy.metadata!.annotations).toMatchObject({
      [behaviourAnnotations.crash]: 'true',
      [behaviourAnnotations.startDelay]: '2s',
      [behaviourAnnotations.images]: 'shop/crash:1',
    });
    const slow = await eventually('the slow pod annotated', async () => {
      const p = await core.readNamespacedPod({ name: 'slow', namespace: 'default' });
      return p.metadata?.annotations?.[behaviourAnnotations.startDelay] ? p : undefined;
    });
    expect(slow.metadata!.annotations).toMatchObject({
      [behaviourAnnotations.crash]: 'false',
      [behaviourAnnotations.startDelay]: '30s',
    });
  });

  it("counts the requests of a Ready pod at its behaviour, and drops the pod's series when it is gone", async () => {
    await core.createNamespacedPod({ namespace: 'default', body: pod('web', 'shop/web:2.0.0') });
    const labels = { namespace: 'default', deployment: 'web', pod: 'web', version: '2.0.0' };
    const served = await eventually('requests counted for the Ready pod', async () => {
      const text = await (await fetch(workloads.metricsUrl!)).text();
      const ok = sample(text, 'http_requests_total', { ...labels, code: '200' });
      const errors = sample(text, 'http_requests_total', { ...labels, code: '500' });
      const n = (l?: string) => Number(l?.split(' ').pop());
      return ok && errors && n(ok) + n(errors) > 1000 ? { ok: n(ok), errors: n(errors) } : undefined;
    });
    expect(served.errors / (served.ok + served.errors)).toBeCloseTo(0.25, 2);

    await core.deleteNamespacedPod({ name: 'web', namespace: 'default' });
    await eventually("the pod's series gone", async () => {
      const text = await (await fetch(workloads.metricsUrl!)).text();
      return sample(text, 'http_requests_total', labels) ? undefined : true;
    });
  });

  it('serves nothing but /metrics', async () => {
    const res = await fetch(workloads.metricsUrl!.replace('/metrics', '/other'));
    expect(res.status).toBe(404);
  });
});
