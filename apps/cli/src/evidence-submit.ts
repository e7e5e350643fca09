import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';
import { expandGlob } from './glob.js';

export interface SubmitOptions {
  release: string;
  gate: string;
  junit: string[];
  coverage: string[];
  sarif: string[];
  bench: string[];
  sbom: string[];
  artifact: string[];
  changedFiles?: string;
  json: boolean;
}

type Kind = 'JUNIT' | 'LCOV' | 'COBERTURA' | 'SARIF' | 'BENCHMARK' | 'SBOM' | 'ARTIFACT';

const MUTATION = `mutation Submit($input: SubmitEvidenceInput!) {
  submitEvidence(input: $input) { name outcome latestEvaluation { outcome approvalsPending } }
}`;

/** Uploads larger than this are gzipped and sent as base64. */
const COMPRESS_ABOVE = 64 * 1024;

const size = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;

function coverageKind(file: string): Kind {
  return /\.xml$/i.test(file) ? 'COBERTURA' : 'LCOV';
}

function changedFilesOf(arg: string | undefined): string[] | undefined {
  if (!arg) return undefined;
  try {
    if (statSync(arg).isFile())
      return readFileSync(arg, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
  } catch {
    // not a file: a comma-separated list
  }
  return arg
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function submitEvidence(
  api: ApiOptions,
  opts: SubmitOptions,
  log: (line: string) => void,
  out: (line: string) => void,
): Promise<number> {
  const files: { kind: Kind; path: string }[] = [];
  const missing: string[] = [];
  const add = (patterns: string[], kind: (f: string) => Kind) => {
    for (const p of patterns) {
      const found = expandGlob(p);
      if (!found.length) missing.push(p);
      for (const f of found) files.push({ kind: kind(f), path: f });
    }
  };
  add(opts.junit, () => 'JUNIT');
  add(opts.coverage, coverageKind);
  add(opts.sarif, () => 'SARIF');
  add(opts.bench, () => 'BENCHMARK');
  add(opts.sbom, () => 'SBOM');
  add(opts.artifact, () => 'ARTIFACT');
  if (missing.length) {
    log(`flightdeck: no file matches ${missing.map((m) => JSON.stringify(m)).join(', ')}; nothing was uploaded`);
    return EXIT.ERROR;
  }
  if (!files.length) {
    log(
      'flightdeck: give at least one report: --junit GLOB, --coverage FILE, --sarif FILE, --bench FILE, --sbom FILE or --artifact FILE',
    );
    return EXIT.ERROR;
  }
  const changedFiles = changedFilesOf(opts.changedFiles);
  const results: { file: string; kind: Kind; bytes: number; ok: boolean; outcome?: string; error?: string }[] = [];
  for (const [i, f] of files.entries()) {
    const raw = readFileSync(f.path);
    const compressed = raw.length > COMPRESS_ABOVE;
    log(
      `[${i + 1}/${files.length}] uploading ${f.kind} ${f.path} (${size(raw.length)}${compressed ? `, ${size(gzipSync(raw).length)} gzipped` : ''}) …`,
    );
    const started = Date.now();
    try {
      const input = {
        release: opts.release,
        gate: opts.gate,
        kind: f.kind,
        name: f.path,
        content: compressed ? gzipSync(raw).toString('base64') : raw.toString('utf8'),
        encoding: compressed ? 'GZIP_BASE64' : 'PLAIN',
        ...(changedFiles && (f.kind === 'LCOV' || f.kind === 'COBERTURA') ? { changedFiles } : {}),
      };
      const data = await graphql<{ submitEvidence: { outcome: string | null } }>(api, MUTATION, { input });
      results.push({
        file: f.path,
        kind: f.kind,
        bytes: raw.length,
        ok: true,
        outcome: data.submitEvidence.outcome ?? undefined,
      });
      log(
        `[${i + 1}/${files.length}] ${f.path} accepted in ${((Date.now() - started) / 1000).toFixed(1)} s; ${opts.gate} is now ${data.submitEvidence.outcome}`,
      );
    } catch (err) {
      const message = err instanceof ApiError ? err.message : (err as Error).message;
      results.push({ file: f.path, kind: f.kind, bytes: raw.length, ok: false, error: message });
      log(`[${i + 1}/${files.length}] ${f.path} refused: ${message}`);
      if (
        err instanceof ApiError &&
        (err.code === 'UNAUTHENTICATED' ||
          err.code === 'FORBIDDEN' ||
          err.code === 'NOT_FOUND' ||
          err.code === undefined)
      )
        break;
    }
  }
  const ok = results.length === files.length && results.every((r) => r.ok);
  if (opts.json) out(JSON.stringify({ release: opts.release, gate: opts.gate, ok, results }, null, 2));
  else
    out(`${results.filter((r) => r.ok).length} of ${files.length} reports accepted for ${opts.release} ${opts.gate}`);
  return ok ? EXIT.PASS : EXIT.ERROR;
}
