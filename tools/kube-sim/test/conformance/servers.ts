import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoordinationV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { expect, inject } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { startKubeSim, type KubeSim, type KubeSimOptions } from '../../src/index.js';
import { BEHAVIOURS, POD_START_SECONDS } from './behaviours.js';
import { eventually } from '@flightdeck/testing';

/**
 * The differential conformance harness: every step runs against kube-sim and against a real API server
 * (tools/kube-local, started once by global-setup.ts), and the two answers are compared after normalising what
 * legitimately differs (normalise below).
 */

export type ServerName = 'kube-sim' | 'kube-local';

export interface Server {
  name: ServerName;
  url: string;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  coordination: CoordinationV1Api;
  rbac: RbacAuthorizationV1Api;
  /** kubectl against this server, its context in the test's namespace; never throws (tests look at the exit code). */
  kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** One HTTP request as the administrator (or, with `bearer`, with that token and no client certificate): the status and the body, parsed when JSON. */
  request(
    method: string,
    path: string,
    body?: string,
    contentType?: string,
    bearer?: string,
  ): Promise<{ status: number; body: unknown }>;
}

export interface Servers {
  sim: Server;
  local: Server;
  simulator: KubeSim;
  namespace: string;
  stop(): Promise<void>;
}

function clients(kc: KubeConfig) {
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
  };
}

function inNamespace(kubeconfig: string, namespace: string): string {
  const doc = parseYaml(kubeconfig) as { contexts: { context: { namespace?: string } }[] };
  for (const c of doc.contexts) c.context.namespace = namespace;
  return stringify(doc);
}

function server(name: ServerName, url: string, kubeconfig: string, dir: string, namespace: string): Server {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const file = join(dir, `${name}.kubeconfig`);
  const ready = writeFile(file, inNamespace(kubeconfig, namespace), { mode: 0o600 });
  return {
    name,
    url,
    kc,
    ...clients(kc),
    async kubectl(args, input) {
      await ready;
      return new Promise((resolve) => {
        const child = execFile(
          'kubectl',
          ['--kubeconfig', file, '--cache-dir', join(dir, `${name}-cache`), ...args],
          { timeout: 60_000 },
          (err, stdout, stderr) =>
            resolve({
              code: err ? ((err as { code?: number }).code ?? 1) : 0,
              stdout,
              stderr: stderr.replace(/^Warning: version difference between client .*\n/m, ''),
            }),
        );
        if (input !== undefined) child.stdin!.end(input);
      });
    },
    async request(method, path, body, contentType = 'application/json', bearer) {
      const target = new URL(path, url);
      const opts: RequestOptions = {
        method,
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: body !== undefined ? { 'Content-Type': contentType } : {},
      };
      if (bearer === undefined) await kc.applyToHTTPSOptions(opts);
      else {
        // Only the cluster's CA and the token: a client certificate would sign the request in whatever the token says.
        const ca = kc.getCurrentCluster()?.caData;
        if (ca) opts.ca = Buffer.from(ca, 'base64');
        opts.headers = { ...opts.headers, Authorization: `Bearer ${bearer}` };
      }
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      return new Promise((resolve, reject) => {
        const req = send(opts, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: kept as text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        });
        req.on('error', (e) => reject(new Error(`${name}: ${method} ${path}: ${e.message}`, { cause: e })));
        req.end(body);
      });
    },
  };
}

/** A kube-sim for this file and the shared kube-local, each with `namespace` created. */
export async function startServers(namespace: string, simOptions: KubeSimOptions = {}): Promise<Servers> {
  const dir = await mkdtemp(join(tmpdir(), `kube-conformance-${namespace}-`));
  const simulator = await startKubeSim({
    timeScale: 10,
    podStartSeconds: POD_START_SECONDS,
    behaviours: BEHAVIOURS,
    ...simOptions,
  });
  const shared = inject('kubeLocal');
  const sim = server('kube-sim', simulator.url, simulator.kubeconfig, dir, namespace);
  const local = server('kube-local', shared.url, shared.kubeconfig, dir, namespace);
  await Promise.all([sim, local].map((s) => s.core.createNamespace({ body: { metadata: { name: namespace } } })));
  // Pods are refused in a namespace until its default service account exists (the real controller makes it).
  await eventually(
    'the default service account of the namespace',
    async () =>
      (await local.core.readNamespacedServiceAccount({ name: 'default', namespace }).then(
        () => true,
        () => false,
      )) || undefined,
  );
  return {
    sim,
    local,
    simulator,
    namespace,
    async stop() {
      await local.core.deleteNamespace({ name: namespace }).catch(() => {});
      await simulator.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The same step on both servers, at the same time. */
export async function both<T>(
  s: Pick<Servers, 'sim' | 'local'>,
  step: (server: Server) => Promise<T>,
): Promise<{ sim: T; local: T }> {
  const [sim, local] = await Promise.all([step(s.sim), step(s.local)]);
  return { sim, local };
}

/**
 * A refusal as compared between the servers: the HTTP code, the Status reason and the field causes (reason and
 * field). Messages are not compared: kube-sim words many refusals to say what would be right, where the API server
 * says less (README, "Differences from a real API server").
 */
export interface Refusal {
  code?: number;
  reason?: string;
  causes?: { reason?: string; field?: string }[];
  /** One server's wording, for assertions; not enumerable, so comparisons leave it out. */
  readonly message?: string;
}

export function refusalOf(code: number | undefined, body: unknown): Refusal {
  let status = body;
  if (typeof status === 'string') {
    try {
      status = JSON.parse(status);
    } catch {
      return refusalOf(code, { message: status });
    }
  }
  const st = (status ?? {}) as {
    reason?: string;
    message?: string;
    details?: { causes?: { reason?: string; field?: string }[] };
  };
  const causes = st.details?.causes?.map((c) => ({ reason: c.reason, field: c.field }));
  const refusal: Refusal = { code, reason: st.reason, ...(causes ? { causes } : {}) };
  // Not enumerable: comparisons (normalise, toEqual) leave the wording out; a test can still read it.
  Object.defineProperty(refusal, 'message', { value: st.message, enumerable: false });
  return refusal;
}

/** An API call's answer, or the refusal it met, as data: `{ ok: value }` or `{ error: Refusal }`. */
export async function outcome<T>(call: () => Promise<T>): Promise<{ ok: T } | { error: Refusal }> {
  try {
    return { ok: await call() };
  } catch (e) {
    const err = e as { code?: number; body?: unknown };
    return { error: refusalOf(err.code, err.body) };
  }
}

const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** Kubernetes' safe alphabet: a pod-template-hash (up to 10 characters) and the random 5 after a generated name. */
const safe = '[bcdfghjklmnpqrstvwxz2456789]';
const templateHash = new RegExp(`-${safe}{6,10}(?=-${safe}{5}\\b|\\b)`, 'g');
const randomSuffix = new RegExp(`-${safe}{5}\\b`, 'g');
/** An Event's name: its object's name, a dot, hexadecimal digits made from the time. */
const eventName = /\.[0-9a-f]{16}$/;
const dropped = new Set(['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'selfLink']);
const addresses = new Set(['podIP', 'hostIP', 'clusterIP']);
const addressLists = new Set(['podIPs', 'hostIPs', 'clusterIPs']);
/** kube-local's node simulator (kwok) acts on these; kube-sim's kubelet reads the behaviour file itself. */
const harnessAnnotation = /^workload-sim\.flightdeck\.dev\//;

/**
 * An answer with what legitimately differs between two servers replaced: identities and versions (uid,
 * resourceVersion), times, field ownership (managedFields, compared on their own in ssa.test.ts), addresses and
 * node names, the pod-template-hash (kube-sim hashes the template's JSON, Kubernetes its Go struct), the random
 * suffix of generated names and Events' names, and the annotations kube-local's node simulator works from.
 */
export function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v));
  if (value instanceof Date) return '<time>';
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || dropped.has(k) || (key === 'annotations' && harnessAnnotation.test(k))) continue;
      if (addresses.has(k)) out[k] = '<ip>';
      else if (addressLists.has(k)) out[k] = (v as unknown[]).map(() => ({ ip: '<ip>' }));
      else if (k === 'nodeName') out[k] = '<node>';
      else if (k === 'pod-template-hash') out[k] = '<hash>';
      else if (k === 'ca.crt') out[k] = '<the cluster CA, which kube-sim has not>';
      else if (k === 'continue' || k === '_continue') out[k] = '<continue>';
      else out[k] = normalise(v, k);
    }
    if (
      key !== 'annotations' &&
      out.annotations &&
      typeof out.annotations === 'object' &&
      Object.keys(out.annotations).length === 0
    )
      delete out.annotations;
    return out;
  }
  if (typeof value === 'string') {
    if (timestamp.test(value)) return '<time>';
    return value
      .replace(eventName, '.<event>')
      .replace(templateHash, '-<hash>')
      .replace(randomSuffix, '-<random>')
      .replace(/\bkube-(sim-node|local-node-\d+)\b/g, '<node>');
  }
  return value;
}

/** Both answers, normalised, are the same; returns kube-local's (the reference) for further checks. */
export function expectSame<T>(r: { sim: T; local: T }, what: string): T {
  expect(normalise(r.sim), `${what}: kube-sim (received) against kube-local (expected)`).toEqual(normalise(r.local));
  return r.local;
}

/** Objects without their status: what a write answers, compared while the controllers may still be changing the status. */
export function withoutStatus<T extends { status?: unknown }>(r: { sim: T; local: T }): { sim: T; local: T } {
  return { sim: { ...r.sim, status: undefined }, local: { ...r.local, status: undefined } };
}

/**
 * A difference that stays (listed in the README with why): kube-sim answers `sim`, the API server `local`. Checked
 * both ways, so a change on either side is noticed.
 */
export function expectKnownDifference<T>(r: { sim: T; local: T }, expected: { sim: T; local: T }, why: string): void {
  expect(normalise(r.sim), `kube-sim: ${why}`).toEqual(normalise(expected.sim));
  expect(normalise(r.local), `kube-local: ${why}`).toEqual(normalise(expected.local));
}

export { eventually };
