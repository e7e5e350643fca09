import {
  factsInOrder,
  type GateOutcome,
  type HealthRecommendation,
  type IncidentRecord,
  type Recommendation,
  type ReleaseHeader,
  type ReleaseRecord,
  type RolloutRecord,
  type Severity,
  type Source,
} from './facts.js';
import { minDate } from './time.js';

const date = (s: string | undefined) => (s === undefined ? undefined : new Date(s));
const WORK_STARTED = new Set(['IN_PROGRESS', 'IN_REVIEW', 'DONE']);
const FEATURE_COMPLETE_OR_LATER = new Set([
  'FEATURE_COMPLETE',
  'CODE_FREEZE',
  'ALPHA',
  'BETA',
  'RELEASE_CANDIDATE',
  'RELEASED',
]);

export interface Release extends ReleaseHeader {
  id: string;
  createdAt?: Date;
  /** The first change in the release: the earliest feature moved into progress (or the creation when none was). */
  firstChangeAt?: Date;
  codeFreezeAt?: Date;
  /** When planning marked it RELEASED. */
  releasedAt?: Date;
  status?: string;
  /** Features in scope at code freeze (or at release when it never froze). */
  plannedScope: string[];
  /** Of those, the ones DONE at release. */
  deliveredScope: string[];
  /** Every feature DONE at release, planned or not (empty when it was never released). */
  doneAtRelease: string[];
  gates: { gate: string; outcome: GateOutcome; at: Date }[];
  readiness: { recommendation: Recommendation; source: Source; confidence: number; predictionId: string; at: Date }[];
  /** `advice`: the timeline-risk advice given with the forecast, when its event named it. */
  forecasts: {
    p50: Date;
    targetDate: Date;
    probabilityOnTime: number;
    predictionId?: string;
    advice?: { source: Source; flagsSlip: boolean };
    at: Date;
  }[];
  /** Scopes proposed by prioritisation advice, oldest first. */
  recommendations: { source: Source; predictionId: string; recommended: string[]; at: Date }[];
  /** When planning first moved it to FEATURE_COMPLETE or a later status (a release may skip a status). */
  featureCompleteAt?: Date;
  /** Progress assessments: the chance to make feature complete by `featureCompleteBy`. */
  progress: { probabilityOnTime: number; featureCompleteBy: Date; source: Source; predictionId: string; at: Date }[];
  /** Quality-gate validations: the verdict each expected its gate to settle at. */
  validations: { gate: string; verdict: GateOutcome; source: Source; predictionId: string; at: Date }[];
}

export interface Rollout {
  id: string;
  releaseId?: string;
  environment?: string;
  product?: string;
  workload?: string;
  team?: string;
  startedAt?: Date;
  succeededAt?: Date;
  rolledBackAt?: Date;
  rollbackReason?: string;
  /** Failed and left in place (roll-forward only). */
  failedAt?: Date;
  failureReason?: string;
  /** When it ended, either way. */
  finishedAt?: Date;
  /** Deployment-health advice on its analysis runs, oldest first (absent when there was none). */
  healthAdvice?: {
    runId: string;
    recommendation: HealthRecommendation;
    source: Source;
    confidence: number;
    predictionId: string;
    at: Date;
  }[];
}

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  source: 'alertmanager' | 'api';
  product?: string;
  workload?: string;
  rolloutId?: string;
  openedAt?: Date;
  resolvedAt?: Date;
  resolution?: string;
}

function scopeAt(facts: ReturnType<typeof factsInOrder<ReleaseRecord['facts'][string]>>, until: Date | undefined) {
  const inScope = new Set<string>();
  const status = new Map<string, string>();
  for (const f of facts) {
    if (until && Date.parse(f.at) > until.getTime()) break;
    if (f.k === 'scope') {
      if (f.change === 'REMOVED') inScope.delete(f.featureId);
      else inScope.add(f.featureId);
    } else if (f.k === 'feature') {
      status.set(f.featureId, f.to);
      if (f.to === 'DROPPED') inScope.delete(f.featureId);
      else inScope.add(f.featureId);
    }
  }
  return { inScope, status };
}

export function releaseOf(r: ReleaseRecord): Release {
  const facts = factsInOrder(r);
  // The stored header is whatever arrived last; the facts' own statements, in event-time order, decide.
  const header = facts.reduce<ReleaseHeader>((h, f) => (f.h ? { ...h, ...f.h } : h), { ...r.header });
  const created = facts.find((f) => f.k === 'created');
  const statuses = facts.filter((f) => f.k === 'status');
  const firstWork = facts.find((f) => f.k === 'feature' && WORK_STARTED.has(f.to));
  const codeFreezeAt = date(statuses.find((f) => f.to === 'CODE_FREEZE')?.at);
  const releasedAt = date(statuses.find((f) => f.to === 'RELEASED')?.at);
  const featureCompleteAt = date(statuses.find((f) => FEATURE_COMPLETE_OR_LATER.has(f.to))?.at);
  const planned = scopeAt(facts, codeFreezeAt ?? releasedAt).inScope;
  const atRelease = scopeAt(facts, releasedAt);
  const doneAtRelease = releasedAt ? [...atRelease.status].flatMap(([id, s]) => (s === 'DONE' ? [id] : [])).sort() : [];
  return {
    id: r.id,
    ...header,
    ...(created ? { createdAt: new Date(created.at) } : {}),
    ...(firstWork || created ? { firstChangeAt: new Date((firstWork ?? created)!.at) } : {}),
    ...(codeFreezeAt ? { codeFreezeAt } : {}),
    ...(releasedAt ? { releasedAt } : {}),
    ...(featureCompleteAt ? { featureCompleteAt } : {}),
    ...(statuses.length ? { status: statuses.at(-1)!.to } : {}),
    plannedScope: [...planned].sort(),
    deliveredScope: releasedAt ? [...planned].filter((id) => atRelease.status.get(id) === 'DONE').sort() : [],
    doneAtRelease,
    gates: facts.flatMap((f) => (f.k === 'gate' ? [{ gate: f.gate, outcome: f.outcome, at: new Date(f.at) }] : [])),
    readiness: facts.flatMap((f) =>
      f.k === 'readiness'
        ? [
            {
              recommendation: f.recommendation,
              source: f.source,
              confidence: f.confidence,
              predictionId: f.predictionId,
              at: new Date(f.at),
            },
          ]
        : [],
    ),
    forecasts: facts.flatMap((f) =>
      f.k === 'forecast'
        ? [
            {
              p50: new Date(f.p50),
              targetDate: new Date(f.targetDate),
              probabilityOnTime: f.probabilityOnTime,
              ...(f.predictionId ? { predictionId: f.predictionId } : {}),
              ...(f.adviceSource !== undefined && f.adviceFlagsSlip !== undefined
                ? { advice: { source: f.adviceSource, flagsSlip: f.adviceFlagsSlip } }
                : {}),
              at: new Date(f.at),
            },
          ]
        : [],
    ),
    recommendations: facts.flatMap((f) =>
      f.k === 'recommendation'
        ? [{ source: f.source, predictionId: f.predictionId, recommended: f.recommended, at: new Date(f.at) }]
        : [],
    ),
    progress: facts.flatMap((f) =>
      f.k === 'progress'
        ? [
            {
              probabilityOnTime: f.probabilityOnTime,
              featureCompleteBy: new Date(f.featureCompleteBy),
              source: f.source,
              predictionId: f.predictionId,
              at: new Date(f.at),
            },
          ]
        : [],
    ),
    validations: facts.flatMap((f) =>
      f.k === 'validation'
        ? [{ gate: f.gate, verdict: f.verdict, source: f.source, predictionId: f.predictionId, at: new Date(f.at) }]
        : [],
    ),
  };
}

export function rolloutOf(r: RolloutRecord): Rollout {
  const facts = factsInOrder(r);
  const first = (k: string) => facts.find((f) => f.k === k);
  const started = first('started');
  const succeeded = first('succeeded');
  const rolledBack = facts.find((f) => f.k === 'rolled_back');
  const succeededAt = date(succeeded?.at);
  const rolledBackAt = date(rolledBack?.at);
  const failed = facts.find((f) => f.k === 'failed');
  const failedAt = date(failed?.at);
  const finishedAt = minDate([succeededAt, rolledBackAt, failedAt]);
  const healthAdvice = facts.flatMap((f) =>
    f.k === 'advice'
      ? [
          {
            runId: f.runId,
            recommendation: f.recommendation,
            source: f.source,
            confidence: f.confidence,
            predictionId: f.predictionId,
            at: new Date(f.at),
          },
        ]
      : [],
  );
  return {
    id: r.id,
    ...r.header,
    ...(started ? { startedAt: new Date(started.at) } : {}),
    ...(succeededAt ? { succeededAt } : {}),
    ...(rolledBack ? { rolledBackAt: rolledBackAt!, rollbackReason: rolledBack.reason } : {}),
    ...(failed ? { failedAt: failedAt!, failureReason: failed.reason } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(healthAdvice.length ? { healthAdvice } : {}),
  };
}

export function incidentOf(r: IncidentRecord): Incident {
  const facts = factsInOrder(r);
  const opened = facts.find((f) => f.k === 'opened');
  const resolved = facts.find((f) => f.k === 'resolved');
  return {
    id: r.id,
    title: r.header.title ?? r.id,
    severity: r.header.severity ?? 'warning',
    source: r.header.source ?? 'api',
    ...(r.header.product ? { product: r.header.product } : {}),
    ...(r.header.workload ? { workload: r.header.workload } : {}),
    ...(r.header.rolloutId ? { rolloutId: r.header.rolloutId } : {}),
    ...(opened ? { openedAt: new Date(opened.at) } : {}),
    ...(resolved
      ? {
          resolvedAt: new Date(resolved.at),
          ...(resolved.k === 'resolved' && resolved.resolution ? { resolution: resolved.resolution } : {}),
        }
      : {}),
  };
}

/** Releases, rollouts and incidents joined: rollouts learn their product from their release, incidents their rollout. */
export interface History {
  releases: Map<string, Release>;
  rollouts: Rollout[];
  incidents: Incident[];
  /** Indexes over the whole (unscoped) history, so metrics over a year of an organisation stay linear. */
  index: {
    rolloutsByRelease: Map<string, Rollout[]>;
    rolloutsByWorkload: Map<string, Rollout[]>;
    incidentsByRollout: Map<string, Incident[]>;
  };
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return m;
}

export const isProduction = (r: Rollout) => r.environment === 'production';

/** The rollout live on the workload when the incident started: the latest one started by then and not rolled back before it (ties: the larger id). */
export function liveRollout(rollouts: readonly Rollout[], workload: string, at: Date): Rollout | undefined {
  let live: Rollout | undefined;
  for (const r of rollouts) {
    const start = r.startedAt ?? r.finishedAt;
    if (r.workload !== workload || !isProduction(r) || !start || start.getTime() > at.getTime()) continue;
    if (r.rolledBackAt && r.rolledBackAt.getTime() <= at.getTime()) continue;
    const liveStart = live ? (live.startedAt ?? live.finishedAt)!.getTime() : -Infinity;
    // Two started at the same instant: the larger id, so the answer never depends on the order records arrived in.
    if (!live || start.getTime() > liveStart || (start.getTime() === liveStart && r.id > live.id)) live = r;
  }
  return live;
}

export function buildHistory(records: {
  releases: ReleaseRecord[];
  rollouts: RolloutRecord[];
  incidents: IncidentRecord[];
}): History {
  const releases = new Map(records.releases.map((r) => [r.id, releaseOf(r)]));
  const rollouts = records.rollouts.map(rolloutOf).map((r) => {
    const product = r.product ?? (r.releaseId ? releases.get(r.releaseId)?.product : undefined);
    return product ? { ...r, product } : r;
  });
  const rolloutsByWorkload = groupBy(rollouts, (r) => r.workload);
  const incidents = records.incidents.map(incidentOf).map((i) => {
    if (i.rolloutId || !i.workload || !i.openedAt) return i;
    const live = liveRollout(rolloutsByWorkload.get(i.workload) ?? [], i.workload, i.openedAt);
    return live ? { ...i, rolloutId: live.id, ...(i.product || !live.product ? {} : { product: live.product }) } : i;
  });
  return {
    releases,
    rollouts,
    incidents,
    index: {
      rolloutsByRelease: groupBy(rollouts, (r) => r.releaseId),
      rolloutsByWorkload,
      incidentsByRollout: groupBy(incidents, (i) => i.rolloutId),
    },
  };
}

/** When the release reached production: its first successful production rollout, else when planning marked it RELEASED. */
export function productionAt(release: Release, history: History): Date | undefined {
  const succeeded = (history.index.rolloutsByRelease.get(release.id) ?? [])
    .filter((r) => isProduction(r) && r.succeededAt)
    .map((r) => r.succeededAt);
  return minDate(succeeded) ?? release.releasedAt;
}
