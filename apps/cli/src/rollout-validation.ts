import { ApiError, graphql, type ApiOptions } from './api.js';
import { EXIT } from './exit-codes.js';

/** Which promoted rollouts: one by id, or every workload of a release's newest release-wide rollout. */
export interface RolloutSelection {
  rollout?: string;
  release?: string;
  environment: string;
}

export interface ValidationCheck {
  id: string;
  title: string;
  window: string;
  dueAt: string;
  status: 'PENDING' | 'PASSED' | 'FAILED';
  overdue: boolean;
  byName: string | null;
  at: string | null;
  note: string | null;
}

export interface RolloutValidation {
  id: string;
  target: { namespace: string; deployment: string };
  image: string;
  phase: string;
  validation: { items: ValidationCheck[]; complete: boolean; failed: number } | null;
}

const FIELDS = `id target { namespace deployment } image phase
  validation { complete failed items { id title window dueAt status overdue byName at note } }`;
const ROLLOUT = `query RolloutValidation($id: ID!) { rollout(id: $id) { ${FIELDS} } }`;
const RELEASE_ROLLOUTS = `query ReleaseRolloutIds($releaseId: ID!, $environment: String!) {
  latestReleaseRollout(releaseId: $releaseId, environment: $environment) { id workloads { name rollout { id } } }
}`;
const RECORD = `mutation RecordValidationCheck($id: ID!, $checkId: ID!, $passed: Boolean!, $note: String) {
  recordValidationCheck(id: $id, checkId: $checkId, passed: $passed, note: $note) { ${FIELDS} }
}`;

const WINDOWS: Record<string, string> = {
  IMMEDIATE: 'Immediate (within 2 h of promotion)',
  EXTENDED: 'Extended (within 8 h)',
  BUSINESS: 'Business (within 24 h)',
};

/** One rollout's checklist as a person reads it: by window, [x] passed, [!] failed, [ ] pending (with its due time). */
export function formatValidation(r: RolloutValidation): string {
  const head = `rollout ${r.id} (${r.target.namespace}/${r.target.deployment}, ${r.image}, ${r.phase})`;
  if (!r.validation) return `${head}: no validation checklist; it starts when the rollout is promoted`;
  const items = r.validation.items;
  const passed = items.filter((i) => i.status === 'PASSED').length;
  const overdue = items.filter((i) => i.overdue).length;
  const lines = [
    `${head}: ${passed} of ${items.length} checks passed, ${r.validation.failed} failed, ${overdue} overdue`,
  ];
  for (const window of Object.keys(WINDOWS)) {
    lines.push(`${WINDOWS[window]}:`);
    for (const i of items.filter((x) => x.window === window)) {
      const note = i.note ? `: ${i.note}` : '';
      lines.push(
        i.status === 'PENDING'
          ? `  [ ] ${i.id}: ${i.title} (due ${i.dueAt}${i.overdue ? ', OVERDUE' : ''})`
          : `  [${i.status === 'PASSED' ? 'x' : '!'}] ${i.id}: ${i.title} — ${i.status.toLowerCase()} (${i.byName}, ${i.at})${note}`,
      );
    }
  }
  return lines.join('\n');
}

/** 0 every check passed, 1 one failed, 2 some still pending (or no checklist yet). */
function exitFor(rollouts: RolloutValidation[]): number {
  if (rollouts.some((r) => (r.validation?.failed ?? 0) > 0)) return EXIT.FAIL;
  return rollouts.every((r) => r.validation?.complete) ? EXIT.PASS : EXIT.CONDITIONAL;
}

function print(rollouts: RolloutValidation[], json: boolean, out: (line: string) => void): void {
  out(json ? JSON.stringify({ rollouts }, null, 2) : rollouts.map(formatValidation).join('\n\n'));
}

async function rolloutIds(api: ApiOptions, sel: RolloutSelection): Promise<string[]> {
  if (!sel.rollout === !sel.release)
    throw new ApiError('give the rollouts: --rollout <id> or --release <product@version> (not both)');
  if (sel.rollout) return [sel.rollout];
  const rr = (
    await graphql<{
      latestReleaseRollout: { id: string; workloads: { name: string; rollout: { id: string } | null }[] } | null;
    }>(api, RELEASE_ROLLOUTS, { releaseId: sel.release, environment: sel.environment })
  ).latestReleaseRollout;
  if (!rr) throw new ApiError(`${sel.release} has no release-wide rollout in ${sel.environment}`);
  const ids = rr.workloads.flatMap((w) => (w.rollout ? [w.rollout.id] : []));
  if (!ids.length) throw new ApiError(`release rollout ${rr.id} of ${sel.release} has started no workload yet`);
  return ids;
}

async function readRollout(api: ApiOptions, id: string): Promise<RolloutValidation> {
  const r = (await graphql<{ rollout: RolloutValidation | null }>(api, ROLLOUT, { id })).rollout;
  if (!r) throw new ApiError(`rollout ${id} does not exist`);
  return r;
}

/** Prints the production validation checklist of the selected rollouts; the exit code says where it stands. */
export async function showValidation(
  api: ApiOptions,
  sel: RolloutSelection & { json: boolean },
  out: (line: string) => void,
): Promise<number> {
  const rollouts = [];
  for (const id of await rolloutIds(api, sel)) rollouts.push(await readRollout(api, id));
  print(rollouts, sel.json, out);
  return exitFor(rollouts);
}

/** Records one check as passed or failed on every selected rollout, then prints their checklists. */
export async function recordValidationCheck(
  api: ApiOptions,
  sel: RolloutSelection & { check: string; passed: boolean; note?: string; json: boolean },
  log: (line: string) => void,
  out: (line: string) => void,
): Promise<number> {
  const rollouts = [];
  for (const id of await rolloutIds(api, sel)) {
    const { recordValidationCheck: r } = await graphql<{ recordValidationCheck: RolloutValidation }>(api, RECORD, {
      id,
      checkId: sel.check,
      passed: sel.passed,
      ...(sel.note ? { note: sel.note } : {}),
    });
    log(`rollout ${id}: ${sel.check} recorded as ${sel.passed ? 'passed' : 'failed'}`);
    rollouts.push(r);
  }
  print(rollouts, sel.json, out);
  return exitFor(rollouts);
}
