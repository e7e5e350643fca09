import { agree, count } from '@flightdeck/kernel';
import type { AlertCause, Rollout } from './types.js';

// The sentences a rollout's decisions are logged, shown and published with, one builder per kind of decision, so
// that decide.ts and apply.ts read as the steps of the state machine. Words and counts agree ("1 canary replica is").

/** "2 canary replicas of shop/web:2.0.0" */
const replicasOf = (n: number, image: string, kind = 'replica') => `${count(n, kind)} of ${image}`;

export const stepMessages = {
  weightApplied: (label: string, weight: number, canary: number, stable: number) =>
    `${label}: canary weight ${weight}%: ${count(canary, 'canary replica')} and ${count(stable, 'stable replica')}`,
  canaryReady: (label: string, r: Rollout, canary: number, weight: number) =>
    `${label}: ${replicasOf(canary, r.image, 'canary replica')} ${agree(canary, 'is', 'are')} ready (weight ${weight}%)`,
  canaryStalled: (label: string, r: Rollout, ready: number, canary: number) =>
    `${label}: the canary made no progress within ${r.progressDeadlineSeconds} s: ${ready} of ${replicasOf(canary, r.image, 'canary replica')} ready`,
  awaitingCanary: (label: string, r: Rollout, canary: number, ready: number) =>
    `${label}: waiting for ${replicasOf(canary, r.image, 'canary replica')} to be ready (${ready} ${agree(ready, 'is', 'are')})`,
  awaitingStable: (label: string, r: Rollout, stable: number, replicas: number, ready: number) =>
    `${label}: waiting for ${r.target.deployment} to come down to ${count(stable, 'stable replica')} (${replicas} now, ${ready} ready)`,
  rollingUpdate: (label: string, r: Rollout) => `${label}: rolling update of ${r.target.deployment} to ${r.image}`,
  rollingStalled: (label: string, r: Rollout, ready: number) =>
    `${label}: the rolling update made no progress within ${r.progressDeadlineSeconds} s: ${ready} of ${count(r.totalReplicas, 'replica')} ready`,
  inconclusive: (label: string, runMessage: string | undefined) =>
    `${label}: ${runMessage}; paused rather than promoted: retry the analysis, approve to go on, or abort`,
  analysisPassedRolling: (label: string, r: Rollout, ready: number) =>
    `${label}: analysis passed; waiting for the rolling update (${ready} of ${count(r.totalReplicas, 'replica')} ready)`,
  allStepsDone: (r: Rollout) =>
    `${r.steps.length === 1 ? 'the only step' : `all ${r.steps.length} steps`} completed; promoting ${r.image}`,
};

export const rollbackMessages = {
  fastStart: (r: Rollout, warmName: string) =>
    `fast rollback: scaling the warm ${warmName} (${r.stableImage}) up to ${count(r.totalReplicas, 'replica')} and ${r.target.deployment} (${r.image}) to 0`,
  fastServing: (r: Rollout) =>
    `${replicasOf(r.totalReplicas, r.stableImage)} ${agree(r.totalReplicas, 'serves', 'serve')} again; putting ${r.target.deployment} back to ${r.stableImage}`,
  fastDone: (r: Rollout) =>
    `rolled back: ${replicasOf(r.totalReplicas, r.stableImage)} ${agree(r.totalReplicas, 'is', 'are')} serving from ${r.target.deployment}`,
  done: (r: Rollout) =>
    `rolled back: ${replicasOf(r.totalReplicas, r.stableImage)} ${agree(r.totalReplicas, 'is', 'are')} serving`,
  doneCanaryGoes: (r: Rollout) => `${rollbackMessages.done(r)}; the canary is scaled to 0`,
};

export const promotionMessages = {
  start: (r: Rollout) => `promoting: ${r.target.deployment} takes ${r.image} at ${count(r.totalReplicas, 'replica')}`,
  doneWarm: (r: Rollout, warmName: string) =>
    `promoted: ${replicasOf(r.totalReplicas, r.image)} ${agree(r.totalReplicas, 'serves', 'serve')} all traffic; ${r.stableImage} stays warm at 0 replicas in ${warmName} for ${r.rollbackWindowSeconds} s`,
  done: (r: Rollout) =>
    `promoted: ${replicasOf(r.totalReplicas, r.image)} ${agree(r.totalReplicas, 'serves', 'serve')} all traffic; the canary is scaled to 0`,
};

/** "analysis run r1 started with success-rate every 10 s, 3 measurements; latency-p99 every 10 s, 3 measurements" */
export function analysisStarted(
  label: string,
  runId: string,
  templates: { name: string; intervalSeconds: number; count: number }[],
): string {
  const what = templates
    .map((t) => `${t.name} every ${t.intervalSeconds} s, ${count(t.count, 'measurement')}`)
    .join('; ');
  return `${label}: analysis run ${runId} started with ${what}`;
}

/** `{alertname="HighErrorRate", namespace="shop", severity="critical"}`: the alert's labels, sorted, as Alertmanager prints them. */
export const labelSet = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;

export const alertMessages = {
  received: (a: AlertCause) =>
    `alert ${a.alertname} (${a.severity.toLowerCase()}, firing since ${a.startsAt}) matched the rollout's abortOnAlerts: ${labelSet(a.labels)}`,
  cause: (a: AlertCause) => `alert ${a.alertname} (${a.severity.toLowerCase()}) fired: ${labelSet(a.labels)}`,
};

export const bakeMessages = {
  started: (r: Rollout, templates: string[]) =>
    `bake: analysing ${r.image} with ${templates.join(', ')} until the rollback window closes at ${r.warmUntil}`,
  runStarted: (runId: string, n: number, templates: { name: string; intervalSeconds: number; count: number }[]) =>
    `bake: analysis run ${runId} (${count(n, 'bake run')} so far) started with ${templates.map((t) => `${t.name} every ${t.intervalSeconds} s, ${count(t.count, 'measurement')}`).join('; ')}`,
  failed: (runMessage: string | undefined) => `bake failure after promotion: ${runMessage}`,
  passed: (r: Rollout, runs: number, warmName: string) =>
    `bake passed: ${count(runs, 'analysis run')} on ${r.image} found nothing wrong by the end of the rollback window; ${r.stableImage} in ${warmName} is scaled away (0 replicas)`,
  halted: (reason: string) =>
    `${reason}; the rollout is roll-forward-only (e.g. an irreversible migration), so the bake does not roll it back: it stops here, and someone must fix forward`,
  superseded: (by: string) =>
    `bake ended: rollout ${by} of the same Deployment started, so the warm previous version is no longer this rollout's`,
};
