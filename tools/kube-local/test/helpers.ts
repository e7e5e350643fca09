import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { DEADLINES, eventually as eventuallyWithin } from '@flightdeck/testing';

export const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const run = promisify(execFile);

export function clients(kubeconfig: string) {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  return { kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

export function deployment(name: string, image: string, replicas = 2): V1Deployment {
  const labels = { app: name };
  return {
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

/** kubectl's definition of a finished rollout. */
export function rolloutComplete(d: V1Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (
    (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) &&
    s.updatedReplicas === want &&
    s.replicas === want &&
    s.availableReplicas === want
  );
}

export interface Launched {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs `node --import tsx src/main.ts ARGS`, or with `viaNpm` the way a person does, `npm run kube-local -- ARGS`, and collects its output. */
export function launch(args: string[], viaNpm = false): Launched {
  const child = viaNpm
    ? spawn('npm', ['run', '--silent', 'kube-local', '--', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: repoRoot,
      })
    : spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the launcher to print its ready line, or to exit (then it fails with what it said). */
export async function readyLine(p: Launched, timeoutMs = 240_000): Promise<{ url: string; metricsUrl: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = /^ready (https:\/\/127\.0\.0\.1:\d+) metrics (http:\/\/127\.0\.0\.1:\d+\/metrics)$/m.exec(p.stdout());
    if (m) return { url: m[1]!, metricsUrl: m[2]! };
    if (p.child.exitCode !== null)
      throw new Error(`kube-local exited with code ${p.child.exitCode} before it was ready:\n${p.stderr()}`);
    if (Date.now() > deadline) throw new Error(`kube-local was not ready within ${timeoutMs / 1000} s:\n${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `eventually` with the control plane's deadline: kube-local's controllers and kwok catch up slower than one bus hop on a busy machine. */
export const eventually = <T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number = DEADLINES.cluster,
) => eventuallyWithin(what, probe, timeoutMs);
