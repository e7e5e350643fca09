import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { V1Deployment } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '@flightdeck/kube-sim';
import { requireBinary } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, ofKind, readmeSecretCommands, render } from './manifests.js';

const run = promisify(execFile);
requireBinary('openssl');

describe('the rendered base on the simulated cluster, with the real kubectl', () => {
  const { yaml, objects } = render('deploy/manifests');
  let sim: KubeSim;
  let dir: string;
  const env = () => ({ ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), KUBECACHEDIR: join(dir, 'cache') });
  const k = async (args: string[], input?: string) => {
    const child = run(kubectl, args, { env: env(), timeout: 60_000 });
    if (input !== undefined) child.child.stdin!.end(input);
    return (await child).stdout;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-manifests-'));
    sim = await startKubeSim({ timeScale: 50, podStartSeconds: 2, kubeconfigPath: join(dir, 'kubeconfig') });
  });
  afterAll(async () => {
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the namespace and the Secret with the README's commands", async () => {
    // Typed `kubectl create <kind>` sends protobuf, which the simulator does not decode: the README's block runs as
    // written, with kubectl building each object on the client (JSON), and `kubectl create -f -` sending them all.
    const asObjects = 'kubectl() { command kubectl "$@" --dry-run=client -o yaml; echo ---; }\n';
    const { stdout: built } = await run('sh', ['-ec', asObjects + (await readmeSecretCommands())], {
      env: env(),
      timeout: 60_000,
    });
    const created = await k(['create', '-f', '-'], built);
    expect(created).toContain('namespace/flightdeck created');
    expect(created).toContain('secret/flightdeck-secrets created');
    const secret = JSON.parse(await k(['-n', 'flightdeck', 'get', 'secret', 'flightdeck-secrets', '-o', 'json'])) as {
      data: Record<string, string>;
    };
    const value = (key: string) => Buffer.from(secret.data[key] ?? '', 'base64').toString();
    expect(value('AUTH_JWT_SECRET')).toMatch(/^[0-9a-f]{64}$/);
    expect(value('ALERTMANAGER_WEBHOOK_TOKEN')).toMatch(/^[0-9a-f]{64}$/);
    expect(value('GITHUB_WEBHOOK_SECRET')).toMatch(/^[0-9a-f]{64}$/);
    expect(value('GITLAB_WEBHOOK_TOKEN')).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(secret.data).sort()).toEqual([
      'AI_API_KEY',
      'ALERTMANAGER_WEBHOOK_TOKEN',
      'AUTH_JWT_SECRET',
      'GITHUB_WEBHOOK_SECRET',
      'GITLAB_WEBHOOK_TOKEN',
      'NOTIFY_SMTP_URL',
    ]);
  });

  it('kubectl apply -f - creates every rendered object', async () => {
    const out = await k(['apply', '-f', '-'], yaml);
    const created = out.trim().split('\n');
    expect(created).toHaveLength(objects.length);
    for (const line of created) expect(line).toMatch(/ created$/);
    expect(out).toContain('deployment.apps/flightdeck-gateway created');
    expect(out).toContain('rolebinding.rbac.authorization.k8s.io/flightdeck-rollouts created');
    expect(out).toMatch(/configmap\/flightdeck-config-\w+ created/);
  });

  it('every Deployment rolls out, its pods Ready', async () => {
    const deployments = ofKind<V1Deployment>(objects, 'Deployment');
    expect(deployments).toHaveLength(5);
    for (const d of deployments) {
      expect(
        await k(['-n', 'flightdeck', 'rollout', 'status', `deployment/${d.metadata.name}`, '--timeout=60s']),
      ).toContain('successfully rolled out');
    }
    const pods = JSON.parse(
      await k(['-n', 'flightdeck', 'get', 'pods', '-l', 'app.kubernetes.io/part-of=flightdeck', '-o', 'json']),
    ) as {
      items: { status: { conditions?: { type: string; status: string }[] } }[];
    };
    const ready = pods.items.filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    expect(ready).toHaveLength(deployments.reduce((n, d) => n + (d.spec?.replicas ?? 1), 0));
  });

  it('applying the same render again changes nothing', async () => {
    const out = await k(['apply', '-f', '-'], yaml);
    expect(
      out
        .trim()
        .split('\n')
        .filter((l) => !l.endsWith(' unchanged')),
    ).toEqual([]);
  });
});
