import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hasBinary } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../src/index.js';

const run = promisify(execFile);
const haveKubectl = hasBinary('kubectl');

const manifest = (replicas: number, image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels: {app: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 8080}]
        env: [{name: MODE, value: normal}]
`;

// kubectl is a separate binary (Debian package kubernetes-client, installed by .ci/run); without it these tests cannot run.
describe.skipIf(!haveKubectl)('kubectl against the simulator (skipped when kubectl is not on PATH: apt-get install -y kubernetes-client)', () => {
  let sim: KubeSim;
  let dir: string;
  const kubectl = async (...args: string[]) => {
    const { stdout } = await run('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args], { timeout: 20_000 });
    return stdout;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-kubectl-'));
    sim = await startKubeSim({ timeScale: 50, podStartSeconds: 2, kubeconfigPath: join(dir, 'kubeconfig') });
    await writeFile(join(dir, 'shop.yaml'), manifest(3, 'shop/web:1.0.0'));
  });
  afterAll(async () => {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('apply -f creates, rollout status waits, get lists deploy,rs,pods by label', async () => {
    expect(await kubectl('apply', '-f', join(dir, 'shop.yaml'))).toContain('deployment.apps/shop created');
    expect(await kubectl('rollout', 'status', 'deployment/shop', '--timeout=20s')).toContain('successfully rolled out');
    const table = await kubectl('get', 'deploy,rs,pods', '-l', 'app=shop');
    expect(table).toMatch(/deployment\.apps\/shop\s+3\/3\s+3\s+3/);
    expect(table).toMatch(/replicaset\.apps\/shop-\w+\s+3\s+3\s+3/);
    expect(table.match(/pod\/shop-\w+-\w+\s+1\/1\s+Running/g)).toHaveLength(3);
  });

  it('apply -f again sends a strategic merge patch with the last-applied configuration', async () => {
    await writeFile(join(dir, 'shop.yaml'), manifest(2, 'shop/web:1.0.0').replace('value: normal', 'value: quiet'));
    expect(await kubectl('apply', '-f', join(dir, 'shop.yaml'))).toContain('deployment.apps/shop configured');
    const d = JSON.parse(await kubectl('get', 'deployment', 'shop', '-o', 'json'));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'quiet' }]);
    expect(JSON.parse(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.replicas).toBe(2);
    expect(await kubectl('rollout', 'status', 'deployment/shop', '--timeout=20s')).toContain('successfully rolled out');
  });

  it('set image, rollout history, rollout undo', async () => {
    expect(await kubectl('set', 'image', 'deployment/shop', 'web=shop/web:2.0.0')).toContain('image updated');
    expect(await kubectl('rollout', 'status', 'deployment/shop', '--timeout=20s')).toContain('successfully rolled out');
    const history = await kubectl('rollout', 'history', 'deployment/shop');
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(history).toMatch(/^2\s/m);
    expect(history).toMatch(/^3\s/m);
    expect(await kubectl('rollout', 'history', 'deployment/shop', '--revision=3')).toContain('shop/web:2.0.0');
    expect(await kubectl('rollout', 'undo', 'deployment/shop')).toContain('rolled back');
    expect(await kubectl('rollout', 'status', 'deployment/shop', '--timeout=20s')).toContain('successfully rolled out');
    const image = await kubectl('get', 'deployment', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    expect(image).toBe('shop/web:1.0.0');
    expect(await kubectl('rollout', 'history', 'deployment/shop')).toMatch(/^4\s/m);
  });

  it('scale and delete (which cascades to ReplicaSets and pods)', async () => {
    expect(await kubectl('scale', 'deployment/shop', '--replicas=4')).toContain('scaled');
    expect(await kubectl('rollout', 'status', 'deployment/shop', '--timeout=20s')).toContain('successfully rolled out');
    expect(await kubectl('get', 'deployment', 'shop', '-o', 'jsonpath={.status.readyReplicas}')).toBe('4');
    expect(await kubectl('delete', 'deployment', 'shop')).toContain('deleted');
    for (let i = 0; i < 100; i++) {
      const left = await kubectl('get', 'rs,pods', '-l', 'app=shop', '-o', 'name');
      if (left.trim() === '') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await kubectl('get', 'deploy,rs,pods', '-l', 'app=shop', '-o', 'name')).trim()).toBe('');
  });
});
