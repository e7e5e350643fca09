import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifests, type Manifest } from '@flightdeck/deploy/test/objects';

// The real helm CLI built by .ci/build-helm.sh, and the chart it tests. Written to be reused by install tests
// against a real API server: every call takes extra arguments and environment (KUBECONFIG, a namespace).

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const chartDir = join(repoRoot, 'helm/flightdeck');
export const ciValuesDir = join(chartDir, 'ci');

/** tools/helm/bin/helm, or an error saying how to build it. */
export function helmBinary(): string {
  const path = join(repoRoot, 'tools/helm/bin/helm');
  if (!existsSync(path))
    throw new Error(
      `${path} is missing: build it with \`bash .ci/build-helm.sh\` (or \`npx nx run @flightdeck/helm-cli:build\`; both need Go)`,
    );
  return path;
}

// helm's own config, cache and data (repositories, plugins) in a directory of this run, never the user's.
const helmHome = mkdtempSync(join(tmpdir(), 'flightdeck-helm-'));
process.on('exit', () => rmSync(helmHome, { recursive: true, force: true }));

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface HelmOptions {
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

function helmEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_DATA_HOME: join(helmHome, 'data'),
    ...env,
  };
}

/** Runs helm with the arguments as given; never throws on a non-zero exit (tests look at it). */
export function helm(args: string[], opts: HelmOptions = {}): HelmResult {
  const run = spawnSync(helmBinary(), args, {
    cwd: repoRoot,
    encoding: 'utf8',
    input: opts.input,
    timeout: opts.timeoutMs ?? 60_000,
    env: helmEnv(opts.env),
  });
  if (run.error) throw run.error;
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/**
 * helm without blocking the event loop, for tests that drive several releases at once; never throws on a non-zero
 * exit. The default time limit (5 min) leaves room for helm's own --timeout to expire and say what it waited for.
 */
export function helmAsync(args: string[], opts: Omit<HelmOptions, 'input'> = {}): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    execFile(
      helmBinary(),
      args,
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: opts.timeoutMs ?? 300_000,
        maxBuffer: 64 << 20,
        env: helmEnv(opts.env),
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** helm, throwing with its output when it fails. */
export function helmOk(args: string[], opts: HelmOptions = {}): string {
  const result = helm(args, opts);
  if (result.status !== 0)
    throw new Error(`helm ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** The values files of the chart's test matrix (helm/flightdeck/ci/*-values.yaml), by name. */
export function ciValuesFiles(): string[] {
  return readdirSync(ciValuesDir)
    .filter((f) => f.endsWith('-values.yaml'))
    .sort();
}

export interface ChartOptions {
  release?: string;
  namespace?: string;
  /** Values files, relative to helm/flightdeck/ci or absolute. */
  valuesFiles?: string[];
  /** --set name=value pairs (typed as YAML: true, 3; quote nothing) */
  set?: Record<string, string>;
}

/** The arguments naming the release, namespace, chart and values, shared by template, install and upgrade. */
export function chartArgs({
  release = 'flightdeck',
  namespace = 'flightdeck',
  valuesFiles = [],
  set = {},
}: ChartOptions): string[] {
  return [
    release,
    chartDir,
    '--namespace',
    namespace,
    ...valuesFiles.flatMap((f) => ['--values', f.startsWith('/') ? f : join(ciValuesDir, f)]),
    ...Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
  ];
}

/** `helm template`: its YAML and objects. */
export function template(opts: ChartOptions = {}): { yaml: string; objects: Manifest[] } {
  const yaml = helmOk(['template', ...chartArgs(opts)]);
  return { yaml, objects: parseManifests(yaml, 'helm template') };
}

/** The NOTES.txt helm prints for an install with these values (client-side dry run: no cluster needed). */
export function notes(opts: ChartOptions = {}): string {
  const out = helmOk(['install', ...chartArgs(opts), '--dry-run=client', '--hide-notes=false']);
  const at = out.indexOf('NOTES:\n');
  if (at < 0) throw new Error(`helm install --dry-run printed no NOTES:\n${out}`);
  return out.slice(at + 'NOTES:\n'.length);
}
