/**
 * The releases of the chaos run: `lanes` at once, each its own workload, one release after another, each through
 * plan → the PRODUCTION gate (evidence, checklist and a second release manager's approval, or an audited override)
 * → a canary rollout analysed on Prometheus → whatever it ends in. Every choice (gate path, image, what to do with a
 * paused rollout) comes from the seeded random source. A request the stack did not answer is retried after checking
 * what it already did, as a careful pipeline would.
 */
import { Refused, until, type Client } from './client.js';
import type { Random } from './random.js';
import { NAMESPACE, workloadName } from './stack.js';

export const PRODUCT = 'chaos';

export interface People {
  /** RELEASE_MANAGER and SRE: plans, overrides, rolls out. */
  rita: Client;
  /** RELEASE_MANAGER: the second pair of eyes on PRODUCTION. */
  rob: Client;
  /** CI: submits the test report. */
  pipeline: Client;
}

export type GatePath = 'approval' | 'override';
export type ImageKind = 'good' | 'bad';

export interface ReleaseRecord {
  lane: number;
  version: string;
  releaseId?: string;
  gatePath: GatePath;
  imageKind: ImageKind;
  image: string;
  rolloutId?: string;
  /** The phase the rollout converged to, and its message (a paused rollout's says why). */
  phase?: string;
  message?: string;
  /** Drawn at plan time: abort the rollout if it pauses (otherwise it is left paused, with its reason). */
  abortIfPaused: boolean;
  /** What the scenario did to a rollout that stopped for a person (an abort). */
  action?: string;
  startedAt: number;
  /** Milliseconds from the rollout's start to its convergence. */
  convergedMs?: number;
  error?: string;
}

/** The PRODUCTION gate of the chaos product: a passing JUnit report, a go-live checklist, a second release manager. */
export const PRODUCTION_GATE = {
  name: 'PRODUCTION',
  criteria: [
    { id: 'regression-tests', name: 'Regression tests passing', kind: 'tests', maxFailures: 0, minTests: 3 },
    {
      id: 'go-live',
      name: 'Go-live checklist',
      kind: 'checklist',
      items: [{ id: 'runbook', label: 'Runbook reviewed' }],
    },
  ],
  approvals: [{ role: 'RELEASE_MANAGER', count: 1 }],
  fourEyes: true,
};

/** A quick canary: half the pods, analysed three times a second apart after 2 s, then everything. */
const CANARY = {
  steps: [
    { kind: 'SET_WEIGHT', weight: 50 },
    { kind: 'ANALYSIS', templates: ['success-rate', 'latency-p99'], initialDelaySeconds: 2 },
    { kind: 'SET_WEIGHT', weight: 100 },
  ],
  analysisIntervalSeconds: 1,
  analysisCount: 3,
  progressDeadlineSeconds: 60,
};

const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="4" failures="0" errors="0">
  <testsuite name="checkout" tests="4" failures="0" errors="0" skipped="0">
    <testcase classname="chaos.checkout" name="pays by card" time="0.05"/>
    <testcase classname="chaos.checkout" name="pays by invoice" time="0.05"/>
    <testcase classname="chaos.checkout" name="keeps the basket" time="0.05"/>
    <testcase classname="chaos.checkout" name="refuses an expired card" time="0.05"/>
  </testsuite>
</testsuites>
`;

/** Phases a rollout rests in without a person: the scenario waits for one of these. */
const RESTING = ['PROMOTED', 'ROLLED_BACK', 'PAUSED', 'FAILED', 'STUCK'];

export interface ScenarioOptions {
  people: People;
  /** Each lane's own seeded random source, so a lane's releases do not depend on the other lanes' timing. */
  randomFor: (lane: number) => Random;
  lanes: number;
  /** Bound on one release from plan to a converged rollout. */
  releaseTimeoutMs: number;
  /** No new release starts once this is aborted; releases under way finish. */
  signal: AbortSignal;
  onRelease?: (r: ReleaseRecord) => void;
}

export async function defineProductionGate(people: People, timeoutMs: number): Promise<void> {
  await until(
    'defining the PRODUCTION gate',
    () =>
      people.rita.request('mutation($d: JSON!) { defineGate(product: "chaos", definition: $d) { version } }', {
        d: PRODUCTION_GATE,
      }),
    { timeoutMs },
  );
}

/** Runs the lanes until the signal, then waits for the releases under way; returns every release tried. */
export async function runReleases(opts: ScenarioOptions): Promise<ReleaseRecord[]> {
  const records: ReleaseRecord[] = [];
  // The choices of every release are drawn here, in lane order, so a seed gives the same releases whatever the timing.
  const plan = (random: Random, lane: number, n: number): ReleaseRecord => {
    const gatePath: GatePath = random.chance(0.7) ? 'approval' : 'override';
    const imageKind: ImageKind = random.chance(0.7) ? 'good' : 'bad';
    const abortIfPaused = random.chance(0.5);
    const version = `${lane + 1}.${n}.0`;
    return {
      lane,
      version,
      gatePath,
      imageKind,
      abortIfPaused,
      image: `chaos/web:${version}${imageKind === 'bad' ? '-bad' : ''}`,
      startedAt: Date.now(),
    };
  };
  const lanes = Array.from({ length: opts.lanes }, async (_, lane) => {
    const random = opts.randomFor(lane);
    for (let n = 1; !opts.signal.aborted; n++) {
      const record = plan(random, lane, n);
      records.push(record);
      try {
        await release(opts, record);
      } catch (err) {
        record.error = (err as Error).message;
      }
      opts.onRelease?.(record);
      // After a release that went wrong, a breath before the next (a run of instant failures would only add noise).
      if (record.error) await new Promise((r) => setTimeout(r, 2000));
    }
  });
  await Promise.all(lanes);
  return records;
}

async function release(opts: ScenarioOptions, r: ReleaseRecord): Promise<void> {
  const { rita, rob, pipeline } = opts.people;
  const timeoutMs = Math.max(1000, r.startedAt + opts.releaseTimeoutMs - Date.now());
  const bounded = { timeoutMs, everyMs: 500 };
  const ref = `${PRODUCT}@${r.version}`;

  r.releaseId = await until(
    `${ref}: createRelease`,
    async () => {
      const found = await rita.request<{ releaseByVersion: { id: string } | null }>(
        'query($p: String!, $v: String!) { releaseByVersion(product: $p, version: $v) { id } }',
        { p: PRODUCT, v: r.version },
      );
      if (found.releaseByVersion) return found.releaseByVersion.id;
      const created = await rita.request<{ createRelease: { id: string } }>(
        'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }',
        {
          input: {
            product: PRODUCT,
            version: r.version,
            theme: `Chaos ${r.version}`,
            owner: 'rita',
            targetDate: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
        },
      );
      return created.createRelease.id;
    },
    bounded,
  );

  // Gates knows the release only from planning's event: until then it refuses, naming the release.
  const gateStep = (
    what: string,
    client: Client,
    query: string,
    variables: Record<string, unknown>,
    alreadyDone?: RegExp,
  ) =>
    until(
      `${ref}: ${what}`,
      async () => {
        try {
          await client.request(query, variables);
          return true;
        } catch (err) {
          if (err instanceof Refused && alreadyDone?.test(err.message)) return true;
          if (err instanceof Refused && /not known|not found|unknown release/i.test(err.message)) return undefined;
          throw err;
        }
      },
      bounded,
    );
  if (r.gatePath === 'approval') {
    await gateStep(
      'submitEvidence',
      pipeline,
      'mutation($input: SubmitEvidenceInput!) { submitEvidence(input: $input) { name } }',
      {
        input: { release: ref, gate: 'PRODUCTION', kind: 'JUNIT', name: 'reports/junit.xml', content: JUNIT },
      },
    );
    await gateStep(
      'tickChecklistItem',
      rita,
      'mutation($r: String!) { tickChecklistItem(release: $r, gate: "PRODUCTION", criterion: "go-live", item: "runbook") { name } }',
      { r: ref },
    );
    // A retry after a lost answer meets gates' own guard against a second approval by the same person, or finds the
    // gate passed on the first one; either way rob's approval must be on the gate.
    await gateStep(
      'approveGate',
      rob,
      'mutation($r: String!) { approveGate(release: $r, gate: "PRODUCTION", comment: "go") { name } }',
      { r: ref },
      /has already approved|approvals are final once a gate has passed/,
    );
    const gate = await until(
      'reading the PRODUCTION gate',
      () =>
        rob.request<{ gate: { approvals: { by: string; active: boolean }[] } }>(
          'query($r: String!) { gate(release: $r, gate: "PRODUCTION") { approvals { by active } } }',
          { r: ref },
        ),
      bounded,
    );
    if (!gate.gate.approvals.some((a) => a.by === 'rob' && a.active))
      throw new Error(`${ref}: gates refused rob's approval as a repeat, but the gate has no approval by rob`);
  } else {
    await gateStep(
      'overrideGate',
      rita,
      'mutation($r: String!) { overrideGate(release: $r, gate: "PRODUCTION", outcome: PASS, reason: "chaos: cleared by hand") { name } }',
      { r: ref },
    );
  }

  // Deployment learns that PRODUCTION passed from gates' event; until then it refuses, saying so.
  r.rolloutId = await until(
    `${ref}: startRollout`,
    async () => {
      const existing = await rita.request<{ rollouts: { edges: { node: { id: string } }[] } }>(
        'query($id: ID!) { rollouts(filter: { releaseId: $id }) { edges { node { id } } } }',
        { id: r.releaseId },
      );
      if (existing.rollouts.edges.length) return existing.rollouts.edges[0]!.node.id;
      try {
        const started = await rita.request<{ startRollout: { id: string } }>(
          'mutation($input: StartRolloutInput!) { startRollout(input: $input) { id } }',
          {
            input: {
              ...CANARY,
              releaseId: r.releaseId,
              target: { namespace: NAMESPACE, deployment: workloadName(r.lane), container: 'app' },
              image: r.image,
            },
          },
        );
        return started.startRollout.id;
      } catch (err) {
        // Deployment learns the gate's outcome from gates' events: an earlier evaluation (FAIL, CONDITIONAL) may still be the latest it knows.
        if (err instanceof Refused && /has passed for it yet|must PASS|is not known|unknown release/i.test(err.message))
          return undefined;
        // The lane's previous rollout was left paused: a person aborts it now to make way for this one (and waits for its rollback).
        const busy = err instanceof Refused ? /already has rollout (\S+) in phase (\w+)/.exec(err.message) : null;
        if (busy) {
          if (busy[2] === 'PAUSED') await abortRollout(rita, busy[1]!, 'chaos: superseded by the next release');
          return undefined;
        }
        throw err;
      }
    },
    bounded,
  );
  const rolloutStarted = Date.now();

  for (;;) {
    const rollout = await until(
      `${ref}: rollout ${r.rolloutId} converging`,
      async () => {
        const got = await rita.request<{ rollout: { phase: string; message: string } | null }>(
          'query($id: ID!) { rollout(id: $id) { phase message } }',
          { id: r.rolloutId },
        );
        return got.rollout && RESTING.includes(got.rollout.phase) ? got.rollout : undefined;
      },
      { timeoutMs: Math.max(1000, r.startedAt + opts.releaseTimeoutMs - Date.now()), everyMs: 1000 },
    );
    r.phase = rollout.phase;
    r.message = rollout.message;
    r.convergedMs = Date.now() - rolloutStarted;
    // A held rollout (failed, stuck) is aborted; a paused one is aborted or left paused, as drawn.
    const abort =
      rollout.phase === 'FAILED' || rollout.phase === 'STUCK' || (rollout.phase === 'PAUSED' && r.abortIfPaused);
    if (!abort || r.action) return;
    r.action = `aborted from ${rollout.phase}`;
    await until(`${ref}: abortRollout`, () => abortRollout(rita, r.rolloutId!, 'chaos: not going on'), bounded);
  }
}

/** Asks to abort a rollout; one already rolled back (or rolling back) counts as done. */
async function abortRollout(rita: Client, id: string, reason: string): Promise<true> {
  try {
    await rita.request('mutation($id: ID!, $reason: String!) { abortRollout(id: $id, reason: $reason) { phase } }', {
      id,
      reason,
    });
  } catch (err) {
    if (!(err instanceof Refused && /nothing left to abort/.test(err.message))) throw err;
  }
  return true;
}
