import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';
import { formatGate, type GateReport } from './table.js';

export interface WaitOptions {
  release: string;
  gate: string;
  timeoutMs: number;
  intervalMs: number;
  json: boolean;
}

const QUERY = `query Gate($release: String!, $gate: String!) {
  gate(release: $release, gate: $gate) {
    name outcome
    latestEvaluation {
      outcome approvalsPending reasons evaluatedAt
      criteria { criterionId name hard result measured threshold explanation }
      approvals { role required approvedBy satisfied }
    }
  }
}`;

/** An outcome that will not change by waiting: PASS, FAIL, or CONDITIONAL with no approval pending. */
const settled = (g: GateReport) =>
  !!g.latestEvaluation && (g.latestEvaluation.outcome !== 'CONDITIONAL' || !g.latestEvaluation.approvalsPending);

export async function waitForGate(
  api: ApiOptions,
  opts: WaitOptions,
  log: (line: string) => void,
  out: (line: string) => void,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<number> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: GateReport | undefined;
  let shown = '';
  for (;;) {
    try {
      last = (await graphql<{ gate: GateReport }>(api, QUERY, { release: opts.release, gate: opts.gate })).gate;
    } catch (err) {
      // A refusal (unknown release or gate, bad token) will not go away by waiting.
      if (err instanceof ApiError && err.code) {
        log(`flightdeck: ${err.message}`);
        return EXIT.ERROR;
      }
      log(`flightdeck: ${(err as Error).message}; retrying`);
    }
    if (last && settled(last)) break;
    const now = last?.latestEvaluation
      ? `${last.latestEvaluation.outcome}${last.latestEvaluation.approvalsPending ? ' (approvals pending)' : ''}`
      : 'not evaluated yet';
    if (now !== shown)
      log(
        `${opts.release} ${opts.gate}: ${now}; waiting up to ${Math.max(0, Math.round((deadline - Date.now()) / 1000))} s more`,
      );
    shown = now;
    if (Date.now() + opts.intervalMs > deadline) {
      if (opts.json)
        out(
          JSON.stringify(
            {
              release: opts.release,
              gate: opts.gate,
              timedOut: true,
              outcome: last?.latestEvaluation?.outcome ?? null,
              evaluation: last?.latestEvaluation ?? null,
            },
            null,
            2,
          ),
        );
      else
        out(
          `${last ? formatGate(opts.release, last) : `${opts.release} ${opts.gate}: no answer`}\ntimed out after ${Math.round(opts.timeoutMs / 1000)} s`,
        );
      return EXIT.CONDITIONAL;
    }
    await sleep(opts.intervalMs);
  }
  const outcome = last.latestEvaluation!.outcome;
  if (opts.json)
    out(
      JSON.stringify(
        { release: opts.release, gate: opts.gate, timedOut: false, outcome, evaluation: last.latestEvaluation },
        null,
        2,
      ),
    );
  else out(formatGate(opts.release, last));
  return outcome === 'PASS' ? EXIT.PASS : outcome === 'FAIL' ? EXIT.FAIL : EXIT.CONDITIONAL;
}
