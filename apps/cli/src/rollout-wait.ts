import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';

export interface RolloutWaitOptions {
  id?: string;
  release?: string;
  environment: string;
  timeoutMs: number;
  intervalMs: number;
  json: boolean;
}

const FIELDS = `id phase message progress waves
  workloads { name wave phase image rollout { id phase message } }
  failure { workload rolloutId cause reason rollbackOrder measurements { metric value phase detail } }`;
const BY_ID = `query($id: ID!) { releaseRollout(id: $id) { ${FIELDS} } }`;
const BY_RELEASE = `query($releaseId: ID!, $environment: String!) { latestReleaseRollout(releaseId: $releaseId, environment: $environment) { ${FIELDS} } }`;

export interface ReleaseRolloutReport {
  id: string;
  phase: string;
  message: string;
  progress: number;
  waves: string[][];
  workloads: {
    name: string;
    wave: number;
    phase: string | null;
    image: string;
    rollout: { id: string; phase: string; message: string } | null;
  }[];
  failure: {
    workload: string | null;
    rolloutId: string | null;
    cause: string;
    reason: string;
    rollbackOrder: string[];
    measurements: { metric: string; value: number | null; phase: string; detail: string }[];
  } | null;
}

const FINAL = ['PROMOTED', 'ROLLED_BACK', 'FAILED'];

/** The workloads' table and, after a rollback, what decided it. */
export function formatReleaseRollout(r: ReleaseRolloutReport): string {
  const rows = r.workloads.map((w) => [w.name, String(w.wave + 1), w.rollout?.phase ?? 'NOT_STARTED', w.image]);
  const head = ['WORKLOAD', 'WAVE', 'PHASE', 'IMAGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = [`release rollout ${r.id}: ${r.phase}`, r.message, '', line(head), ...rows.map(line)];
  if (r.failure) {
    lines.push(
      '',
      `decided by: ${r.failure.workload ?? 'a person (abort-all)'}${r.failure.rolloutId ? ` (rollout ${r.failure.rolloutId})` : ''}: ${r.failure.reason}`,
    );
    for (const m of r.failure.measurements)
      lines.push(`  ${m.metric} = ${m.value ?? 'no value'} (${m.phase.toLowerCase()}: ${m.detail})`);
    lines.push(`rolled back in this order: ${r.failure.rollbackOrder.join(', ') || 'nothing had moved'}`);
  }
  return lines.join('\n');
}

/** Waits until the release-wide rollout is final: exit 0 PROMOTED, 1 ROLLED_BACK or FAILED, 2 timed out, 3 error. */
export async function waitForReleaseRollout(
  api: ApiOptions,
  opts: RolloutWaitOptions,
  log: (line: string) => void,
  out: (line: string) => void,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  if (!opts.id === !opts.release)
    throw new ApiError('give the release rollout: --id <id> or --release <product@version> (not both)');
  const deadline = Date.now() + opts.timeoutMs;
  const what = opts.id ? `release rollout ${opts.id}` : `${opts.release} (${opts.environment})`;
  let last: ReleaseRolloutReport | undefined;
  let shown = '';
  for (;;) {
    try {
      last = opts.id
        ? ((await graphql<{ releaseRollout: ReleaseRolloutReport | null }>(api, BY_ID, { id: opts.id }))
            .releaseRollout ?? undefined)
        : ((
            await graphql<{ latestReleaseRollout: ReleaseRolloutReport | null }>(api, BY_RELEASE, {
              releaseId: opts.release,
              environment: opts.environment,
            })
          ).latestReleaseRollout ?? undefined);
      if (!last) {
        log(`flightdeck: ${what} does not exist`);
        return EXIT.ERROR;
      }
    } catch (err) {
      // A refusal (bad token, bad id) will not go away by waiting.
      if (err instanceof ApiError && err.code) {
        log(`flightdeck: ${err.message}`);
        return EXIT.ERROR;
      }
      log(`flightdeck: ${(err as Error).message}; retrying`);
    }
    if (last && FINAL.includes(last.phase)) break;
    const now = last ? `${last.phase}: ${last.message}` : 'no answer yet';
    if (now !== shown) log(`${what}: ${now}`);
    shown = now;
    if (Date.now() + opts.intervalMs > deadline) {
      if (opts.json) out(JSON.stringify({ timedOut: true, releaseRollout: last ?? null }, null, 2));
      else
        out(
          `${last ? formatReleaseRollout(last) : `${what}: no answer`}\ntimed out after ${Math.round(opts.timeoutMs / 1000)} s`,
        );
      return EXIT.CONDITIONAL;
    }
    await sleep(opts.intervalMs);
  }
  if (opts.json) out(JSON.stringify({ timedOut: false, releaseRollout: last }, null, 2));
  else out(formatReleaseRollout(last));
  return last.phase === 'PROMOTED' ? EXIT.PASS : EXIT.FAIL;
}
