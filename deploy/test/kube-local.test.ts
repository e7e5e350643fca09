import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { V1Deployment } from '@kubernetes/client-node';
import { startKubeLocal, type KubeLocal } from '@flightdeck/kube-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, ofKind, readmeSecretCommands, render } from './manifests.js';

const run = promisify(execFile);

// A real API server (tools/kube-local: kube-apiserver with RBAC and Pod Security admission, its controllers, kwok's
// fake nodes playing the pods' status; its binaries from npm run kube-local:build, which nx runs first).
describe('the rendered base on a real API server (kube-local), applied with server-side apply', () => {
  const { yaml, objects } = render('deploy/manifests');
  let local: KubeLocal;
  let dir: string;
  const env = () => ({ ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), KUBECACHEDIR: join(dir, 'cache') });
  const k = async (args: string[], input?: string) => {
    const child = run(kubectl, args, { env: env(), timeout: 60_000 });
    if (input !== undefined) child.child.stdin!.end(input);
    return (await child).stdout;
  };
  /** `kind/name` and resourceVersion of every object of the base, as the server has them. */
  const versions = async () => {
    const live = JSON.parse(await k(['get', '-f', '-', '-o', 'json'], yaml)) as {
      items: { kind: string; metadata: { name: string; resourceVersion: string } }[];
    };
    return Object.fromEntries(live.items.map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.resourceVersion]));
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-manifests-local-'));
    local = await startKubeLocal({ kubeconfigPath: join(dir, 'kubeconfig'), podStartSeconds: 1 });
  }, 240_000);
  afterAll(async () => {
    await local?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("creates the namespace and the Secret with the README's commands, run as written", async () => {
    const { stdout } = await run('sh', ['-ec', await readmeSecretCommands()], { env: env(), timeout: 60_000 });
    expect(stdout).toContain('namespace/flightdeck created');
    expect(stdout).toContain('secret/flightdeck-secrets created');
    // The pods must pass the Pod Security Standard "restricted", which the API server then enforces.
    await k([
      'label',
      'namespace',
      'flightdeck',
      'pod-security.kubernetes.io/enforce=restricted',
      'pod-security.kubernetes.io/enforce-version=latest',
    ]);
  });

  it('kubectl apply --server-side: the API server accepts every object', async () => {
    const out = await k(['apply', '--server-side', '--field-manager=flightdeck-install', '-f', '-'], yaml);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(objects.length);
    for (const line of lines) expect(line).toMatch(/ serverside-applied$/);
    expect(out).toContain('rolebinding.rbac.authorization.k8s.io/flightdeck-rollouts serverside-applied');
  });

  it('every Deployment rolls out, its pods Ready under Pod Security restricted', async () => {
    const deployments = ofKind<V1Deployment>(objects, 'Deployment');
    expect(deployments).toHaveLength(5);
    for (const d of deployments) {
      expect(
        await k(['-n', 'flightdeck', 'rollout', 'status', `deployment/${d.metadata.name}`, '--timeout=90s']),
      ).toContain('successfully rolled out');
    }
  }, 600_000);

  it('the deployment service account may do what the base grants it, and nothing in other namespaces', async () => {
    const as = ['--as', 'system:serviceaccount:flightdeck:flightdeck-deployment'];
    expect((await k(['auth', 'can-i', 'patch', 'deployments.apps', '-n', 'flightdeck', ...as])).trim()).toBe('yes');
    const other = await run(kubectl, ['auth', 'can-i', 'patch', 'deployments.apps', '-n', 'kube-system', ...as], {
      env: env(),
    }).catch((e: { stdout: string }) => e);
    expect(other.stdout.trim()).toBe('no');
  });

  it('applying the same render again changes no object', async () => {
    const before = await versions();
    expect(Object.keys(before)).toHaveLength(objects.length);
    await k(['apply', '--server-side', '--field-manager=flightdeck-install', '-f', '-'], yaml);
    expect(await versions()).toEqual(before);
  });
});
