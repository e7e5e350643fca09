import { ApiError, graphql, type ApiOptions } from './api.js';
import { readDocumentFile } from './document-file.js';
import { EXIT } from './exit-codes.js';

export interface RolloutStartOptions {
  release: string;
  workload: string[];
  file?: string;
  mode?: string;
  environment?: string;
  manualPromotion: boolean;
  json: boolean;
}

const MUTATION = `mutation Start($input: StartReleaseRolloutInput!) {
  startReleaseRollout(input: $input) { id phase message waves workloads { name wave target { namespace deployment } image } }
}`;

/** The keys of `--workload key=value,...`; `dependsOn` lists names joined by '+'. */
const KEYS = [
  'name',
  'cluster',
  'namespace',
  'deployment',
  'container',
  'image',
  'strategy',
  'dependsOn',
  'analysisIntervalSeconds',
  'analysisCount',
  'progressDeadlineSeconds',
  'rollbackWindowSeconds',
] as const;
const REQUIRED = ['deployment', 'container', 'image'] as const;
const NUMBERS = new Set([
  'analysisIntervalSeconds',
  'analysisCount',
  'progressDeadlineSeconds',
  'rollbackWindowSeconds',
]);

/** `--workload deployment=api,container=app,image=shop/api:2.0.0,dependsOn=db` as the API's ReleaseWorkloadInput. */
export function parseWorkload(spec: string): Record<string, unknown> {
  const fields: Record<string, string> = {};
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ApiError(`--workload "${spec}": "${part}" is not key=value; keys: ${KEYS.join(', ')}`);
    const key = part.slice(0, eq).trim();
    if (!(KEYS as readonly string[]).includes(key))
      throw new ApiError(`--workload "${spec}": unknown key "${key}"; keys: ${KEYS.join(', ')}`);
    fields[key] = part.slice(eq + 1).trim();
  }
  const missing = REQUIRED.filter((k) => !fields[k]);
  if (missing.length)
    throw new ApiError(
      `--workload "${spec}": give ${missing.join(', ')} (e.g. deployment=api,container=app,image=registry/api:2.0.0)`,
    );
  const out: Record<string, unknown> = {
    target: {
      namespace: fields.namespace || 'default',
      deployment: fields.deployment,
      container: fields.container,
      ...(fields.cluster ? { cluster: fields.cluster } : {}),
    },
    image: fields.image,
  };
  if (fields.name) out.name = fields.name;
  if (fields.strategy) out.strategy = fields.strategy.toUpperCase();
  if (fields.dependsOn)
    out.dependsOn = fields.dependsOn
      .split('+')
      .map((d) => d.trim())
      .filter(Boolean);
  for (const k of NUMBERS) {
    if (fields[k] === undefined) continue;
    const n = Number(fields[k]);
    if (!Number.isFinite(n)) throw new ApiError(`--workload "${spec}": ${k}=${fields[k]} is not a number`);
    out[k] = n;
  }
  return out;
}

/** A release file (YAML or JSON): `{ mode?, autoPromote?, environment?, workloads: [ReleaseWorkloadInput, ...] }`. */
function readReleaseFile(file: string): Record<string, unknown> {
  const doc = readDocumentFile(file);
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { workloads?: unknown }).workloads)) {
    throw new ApiError(
      `--file ${file}: expected { workloads: [{ target: { namespace, deployment, container }, image, dependsOn?, ... }], mode?, autoPromote?, environment? }`,
    );
  }
  return doc as Record<string, unknown>;
}

interface Started {
  id: string;
  phase: string;
  message: string;
  waves: string[][];
}

/** Starts a release-wide rollout; prints its id (or the whole answer with --json) on stdout. */
export async function startReleaseRollout(
  api: ApiOptions,
  opts: RolloutStartOptions,
  log: (line: string) => void,
  out: (line: string) => void,
): Promise<number> {
  if (!opts.file && !opts.workload.length)
    throw new ApiError('give the workloads: --workload key=value,... (repeatable) or --file release.yaml');
  if (opts.file && opts.workload.length)
    throw new ApiError('give the workloads either with --workload or in --file, not both');
  const fromFile = opts.file ? readReleaseFile(opts.file) : {};
  const input: Record<string, unknown> = {
    ...fromFile,
    releaseId: opts.release,
    ...(opts.workload.length ? { workloads: opts.workload.map(parseWorkload) } : {}),
    ...(opts.mode ? { mode: opts.mode.toUpperCase() } : {}),
    ...(opts.environment ? { environment: opts.environment } : {}),
    ...(opts.manualPromotion ? { autoPromote: false } : {}),
  };
  const started = (await graphql<{ startReleaseRollout: Started }>(api, MUTATION, { input })).startReleaseRollout;
  log(`release rollout ${started.id}: ${started.message}`);
  out(opts.json ? JSON.stringify(started, null, 2) : started.id);
  return EXIT.PASS;
}
