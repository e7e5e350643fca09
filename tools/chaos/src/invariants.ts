/**
 * The invariants checked once the faults stop and the stack has caught up. Each reads the services' own databases,
 * the JetStream stream and the cluster, never the scenario's own bookkeeping alone. An invariant that could not be
 * checked says so (`checked: false` with the reason); it never passes by default.
 */
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { MongoClient, type Db, type Document } from 'mongodb';
import type { History } from './history.js';
import type { ReleaseRecord } from './scenario.js';
import { NAMESPACE, STABLE_IMAGE, SERVICES, workloadName, type ServiceName } from './stack.js';

export interface InvariantResult {
  name: string;
  description: string;
  checked: boolean;
  /** Why it could not be checked, when `checked` is false. */
  notChecked?: string;
  /** What was looked at, e.g. "212 events, 40 rollouts". */
  examined: string;
  violations: string[];
}

export interface StoreSnapshot {
  /** Every document of every collection, per service database. */
  collections: Record<ServiceName, Record<string, Document[]>>;
}

export async function readStores(mongoUri: string, databases: Record<ServiceName, string>): Promise<StoreSnapshot> {
  const client = await MongoClient.connect(mongoUri, { serverSelectionTimeoutMS: 30_000 });
  try {
    const collections = {} as StoreSnapshot['collections'];
    for (const service of SERVICES) {
      const db: Db = client.db(databases[service]);
      collections[service] = {};
      for (const c of await db.listCollections({}, { nameOnly: true }).toArray())
        collections[service][c.name] = await db.collection(c.name).find({}).toArray();
    }
    return { collections };
  } finally {
    await client.close();
  }
}

const result = (name: string, description: string, examined: string, violations: string[]): InvariantResult => ({
  name,
  description,
  checked: true,
  examined,
  violations,
});

/** No event left in an outbox: every state change's event was handed to JetStream. */
export function outboxesDrained(stores: StoreSnapshot): InvariantResult {
  const violations: string[] = [];
  let docs = 0;
  for (const service of SERVICES) {
    for (const [name, list] of Object.entries(stores.collections[service])) {
      for (const doc of list) {
        docs++;
        const outbox = doc.outbox as { type?: string; event?: { type?: string } }[] | undefined;
        if (Array.isArray(outbox) && outbox.length)
          violations.push(`${service}.${name} ${String(doc._id)}: ${outbox.length} event(s) still in the outbox`);
      }
    }
  }
  return result(
    'outbox-drained',
    'every event written with a state change left its outbox for the stream',
    `${docs} documents in 4 databases`,
    violations,
  );
}

/** Every durable consumer read every event, and none was dead-lettered. */
export function eventsDelivered(history: History): InvariantResult {
  const violations: string[] = [];
  for (const c of history.consumers)
    if (c.pending || c.ackPending)
      violations.push(`consumer ${c.name}: ${c.pending} not delivered, ${c.ackPending} not acknowledged`);
  for (const d of history.deadLetters)
    violations.push(`dead letter for ${d.consumer} (${d.reason}) on ${d.subject}: ${d.error}`);
  if (history.undecodable) violations.push(`${history.undecodable} message(s) in the stream are not valid events`);
  return result(
    'events-delivered',
    'every event in the stream was delivered to and acknowledged by every durable consumer; no dead letters',
    `${history.events.length} events, ${history.consumers.length} consumers (${history.consumers.map((c) => c.name).join(', ')})`,
    violations,
  );
}

const byType = (history: History, type: string) => history.events.filter((e) => e.type === type);

/**
 * Nothing half-written: every release, gate approval and rollout the services stored is explained by the stream
 * (its events are there), and no stored state is ahead of or behind what its events say.
 */
export function stateExplainedByEvents(stores: StoreSnapshot, history: History): InvariantResult {
  const violations: string[] = [];
  const created = new Set(byType(history, 'flightdeck.planning.release.created').map((e) => String(e.data.releaseId)));
  const lastStatus = new Map<string, string>();
  for (const e of byType(history, 'flightdeck.planning.release.status_changed'))
    lastStatus.set(String(e.data.releaseId), String(e.data.to));
  const releases = stores.collections.planning.releases ?? [];
  for (const r of releases) {
    const id = String(r._id);
    if (!created.has(id)) violations.push(`planning release ${id} (${String(r.version)}) has no release.created event`);
    const expected = lastStatus.get(id) ?? 'PLANNING';
    if (r.status !== expected)
      violations.push(`planning release ${id} is ${String(r.status)} but its last status event says ${expected}`);
  }
  const stored = new Set(releases.map((r) => String(r._id)));
  for (const id of created) if (!stored.has(id)) violations.push(`release.created ${id} has no release in planning`);

  const granted = new Map<string, number>();
  for (const e of byType(history, 'flightdeck.gates.approval.granted'))
    granted.set(String(e.data.approvalId), (granted.get(String(e.data.approvalId)) ?? 0) + 1);
  let approvals = 0;
  for (const g of stores.collections.gates.gate_states ?? []) {
    for (const a of (g.approvals ?? []) as { id: string; by: string }[]) {
      approvals++;
      if (!granted.has(a.id))
        violations.push(`gates ${String(g._id)}: approval ${a.id} by ${a.by} has no approval.granted event`);
    }
  }

  const rolloutEvents = new Map<string, Map<string, number>>();
  for (const e of history.events.filter((x) => x.type.startsWith('flightdeck.deployment.rollout.'))) {
    const id = String(e.data.rolloutId);
    const counts = rolloutEvents.get(id) ?? new Map<string, number>();
    counts.set(
      e.type.slice('flightdeck.deployment.rollout.'.length),
      (counts.get(e.type.slice('flightdeck.deployment.rollout.'.length)) ?? 0) + 1,
    );
    rolloutEvents.set(id, counts);
  }
  const rollouts = stores.collections.deployment.rollouts ?? [];
  for (const r of rollouts) {
    const id = String(r._id);
    const counts = rolloutEvents.get(id);
    if (!counts?.get('started')) violations.push(`rollout ${id} has no rollout.started event`);
    if (r.phase === 'PROMOTED' && !counts?.get('promoted'))
      violations.push(`rollout ${id} is PROMOTED but has no rollout.promoted event`);
    if (r.phase === 'ROLLED_BACK' && !counts?.get('rolled_back'))
      violations.push(`rollout ${id} is ROLLED_BACK but has no rollout.rolled_back event`);
    if (r.phase !== 'PROMOTED' && counts?.get('promoted'))
      violations.push(`rollout ${id} is ${String(r.phase)} but a rollout.promoted event was published`);
  }
  const ids = new Set(rollouts.map((r) => String(r._id)));
  for (const id of rolloutEvents.keys())
    if (!ids.has(id)) violations.push(`events of rollout ${id}, which deployment does not have`);
  return result(
    'state-explained-by-events',
    'each stored release (and its status), gate approval and rollout (and its final phase) has its events in the stream, and each event its stored state',
    `${releases.length} releases, ${approvals} approvals, ${rollouts.length} rollouts`,
    violations,
  );
}

/** No duplicate effect: one approval per person per gate, one event per id, each step applied once, one promotion or rollback. */
export function noDuplicateEffects(stores: StoreSnapshot, history: History): InvariantResult {
  const violations: string[] = [];
  for (const g of stores.collections.gates.gate_states ?? []) {
    const by = new Map<string, number>();
    for (const a of (g.approvals ?? []) as { by: string; withdrawnAt?: unknown }[])
      if (!a.withdrawnAt) by.set(a.by, (by.get(a.by) ?? 0) + 1);
    for (const [who, n] of by) if (n > 1) violations.push(`gates ${String(g._id)}: ${who} approved ${n} times`);
  }
  const seen = new Map<string, number>();
  for (const e of history.events) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
  for (const [id, n] of seen) if (n > 1) violations.push(`event ${id} is in the stream ${n} times`);
  const once = ['START_PROMOTION', 'FINISH_PROMOTION', 'START_ROLLBACK', 'APPLY_ROLLBACK', 'FINISH_ROLLBACK'];
  let decisions = 0;
  for (const r of stores.collections.deployment.rollouts ?? []) {
    const state = r.state as { attempt: number; decisions: { action: string; message: string }[] };
    decisions += state.decisions.length;
    const applied = new Map<string, number>();
    for (const d of state.decisions.filter((x) => x.action === 'APPLY_STEP'))
      applied.set(d.message, (applied.get(d.message) ?? 0) + 1);
    for (const [message, n] of applied)
      if (n > state.attempt)
        violations.push(`rollout ${String(r._id)}: "${message}" applied ${n} times in ${state.attempt} attempt(s)`);
    for (const action of once) {
      const n = state.decisions.filter((x) => x.action === action).length;
      if (n > state.attempt)
        violations.push(`rollout ${String(r._id)}: ${action} ${n} times in ${state.attempt} attempt(s)`);
    }
  }
  return result(
    'no-duplicate-effect',
    'no person approved a gate twice, no event id is in the stream twice, no rollout step, promotion or rollback was applied twice',
    `${history.events.length} events, ${decisions} rollout decisions`,
    violations,
  );
}

/**
 * A rollout is promoted only on successful analysis: never while a step's run was inconclusive, failed or still
 * running. The bake's runs after promotion (step index past the steps) are not what promoted it.
 */
export function noPromotionOnInconclusive(stores: StoreSnapshot): InvariantResult {
  const violations: string[] = [];
  let promoted = 0;
  for (const r of stores.collections.deployment.rollouts ?? []) {
    if (r.phase !== 'PROMOTED') continue;
    promoted++;
    const state = r.state as {
      steps: unknown[];
      analysisRuns: { id: string; phase: string; stepIndex: number }[];
      decisions: { action: string; message: string }[];
    };
    const stepRuns = state.analysisRuns.filter((run) => run.stepIndex < state.steps.length);
    const approvedDespite = state.decisions.some(
      (d) => d.action === 'APPROVE' && /despite inconclusive/.test(d.message),
    );
    for (const run of stepRuns)
      if (run.phase !== 'SUCCESSFUL' && !approvedDespite)
        violations.push(`rollout ${String(r._id)} PROMOTED with analysis run ${run.id} ${run.phase}`);
    if (!stepRuns.length) violations.push(`rollout ${String(r._id)} PROMOTED without any analysis run`);
  }
  return result(
    'no-promotion-on-inconclusive',
    'every promoted rollout had only successful analysis runs (nobody approved past an inconclusive one in this scenario)',
    `${promoted} promoted rollouts`,
    violations,
  );
}

/** Every rollout rests: promoted, rolled back, or paused with a reason; and every release converged within its bound. */
export function rolloutsConverge(stores: StoreSnapshot, records: ReleaseRecord[], boundMs: number): InvariantResult {
  const violations: string[] = [];
  const rollouts = stores.collections.deployment.rollouts ?? [];
  for (const r of rollouts) {
    const state = r.state as { pauseReason?: string; message: string };
    const ok = r.phase === 'PROMOTED' || r.phase === 'ROLLED_BACK' || (r.phase === 'PAUSED' && !!state.pauseReason);
    if (!ok)
      violations.push(
        `rollout ${String(r._id)} is ${String(r.phase)}${r.phase === 'PAUSED' ? ' without a reason' : ''}: ${state.message}`,
      );
  }
  for (const rec of records) {
    if (rec.error)
      violations.push(
        `release ${rec.version} (lane ${rec.lane}) did not converge within ${Math.round(boundMs / 1000)} s: ${rec.error}`,
      );
  }
  return result(
    'rollouts-converge',
    `every rollout ends PROMOTED, ROLLED_BACK or PAUSED with a reason, every release within ${Math.round(boundMs / 1000)} s of its start`,
    `${rollouts.length} rollouts, ${records.length} releases`,
    violations,
  );
}

/** The cluster is what the rollouts say: each workload runs the image of its last promotion, with no canary left. */
export async function clusterMatchesRollouts(
  stores: StoreSnapshot,
  kubeconfig: string,
  lanes: number,
): Promise<InvariantResult> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const apps = kc.makeApiClient(AppsV1Api);
  const violations: string[] = [];
  let examined = 0;
  const rollouts = (stores.collections.deployment.rollouts ?? []) as (Document & {
    state: { target: { deployment: string }; image: string; stableImage: string };
    startedAt: Date;
  })[];
  for (let lane = 0; lane < lanes; lane++) {
    const name = workloadName(lane);
    const mine = rollouts
      .filter((r) => r.state.target.deployment === name)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    const last = mine.at(-1);
    if (last && last.phase !== 'PROMOTED' && last.phase !== 'ROLLED_BACK') continue; // a paused canary is where it was left
    examined++;
    const promoted = mine.filter((r) => r.phase === 'PROMOTED').at(-1);
    const expected = promoted?.state.image ?? STABLE_IMAGE;
    const stable = await apps.readNamespacedDeployment({ name, namespace: NAMESPACE });
    const image = stable.spec?.template?.spec?.containers?.[0]?.image;
    if (image !== expected) violations.push(`${name} runs ${image}, but its last promoted rollout says ${expected}`);
    if ((stable.spec?.replicas ?? 0) !== 4) violations.push(`${name} has ${stable.spec?.replicas} replicas, not 4`);
    const canary = await apps
      .readNamespacedDeployment({ name: `${name}-canary`, namespace: NAMESPACE })
      .catch(() => undefined);
    if (canary && (canary.spec?.replicas ?? 0) > 0)
      violations.push(
        `${name}-canary still has ${canary.spec?.replicas} replicas after ${String(last?._id)} ended ${String(last?.phase)}`,
      );
  }
  return result(
    'cluster-matches-rollouts',
    'each workload whose last rollout ended runs the image of its last promotion (or the first image), four replicas, no canary replicas left',
    `${examined} of ${lanes} workloads (the others rest PAUSED)`,
    violations,
  );
}

export function notChecked(name: string, description: string, reason: string): InvariantResult {
  return { name, description, checked: false, notChecked: reason, examined: '-', violations: [] };
}
