import { agree, count } from '@flightdeck/kernel';
import type { Forecast } from './forecast.js';
import type { GateOutcome, ReleaseStatus } from './lifecycle.js';
import { inScope, type Feature } from './scope.js';
import { daysBetween } from './calendar.js';
import type { Timeline } from './timeline.js';

export type HealthStatus = 'GREEN' | 'YELLOW' | 'RED';
export type VelocityTrend = 'IMPROVING' | 'STABLE' | 'DECLINING' | 'UNKNOWN';

export interface Progress {
  featuresDone: number;
  featuresTotal: number;
  /** Done features out of those in scope, 0…100. */
  percentComplete: number;
  pointsDone: number;
  pointsTotal: number;
  /** Share of the development window that has passed, 0…100: where progress should roughly be. */
  expectedPercent: number;
  velocityTrend: VelocityTrend;
  /** Gates passed out of gates evaluated (CONDITIONAL counts half), 0…100; undefined before any gate. */
  qualityScore?: number;
  failedGates: string[];
  conditionalGates: string[];
  criticalPathDelayDays: number;
}

/**
 * Why the report is what it is. RED and YELLOW reasons are the rules that fired; a GREEN report lists instead
 * the rules that were checked and held (status GREEN), so a Green report says why it is Green.
 */
export interface HealthReason {
  rule: string;
  status: HealthStatus;
  message: string;
}

export interface HealthReport {
  status: HealthStatus;
  progress: Progress;
  reasons: HealthReason[];
}

/**
 * The health rules, in order. RED when any red rule holds, else YELLOW when any yellow rule
 * holds, else GREEN. Documented here and in the README; the report lists every rule that fired.
 */
export const HEALTH_RULES: { rule: string; status: 'RED' | 'YELLOW'; when: string }[] = [
  { rule: 'GATE_FAILED', status: 'RED', when: "a gate's latest evaluation is FAIL" },
  { rule: 'PAST_TARGET', status: 'RED', when: 'the target date has passed and the release is not released' },
  { rule: 'FORECAST_LATE', status: 'RED', when: 'under 50% of forecast runs finish by feature complete' },
  { rule: 'CRITICAL_PATH_LATE', status: 'RED', when: 'the critical path ends more than 7 days after feature complete' },
  {
    rule: 'BEHIND_SCHEDULE_FAR',
    status: 'RED',
    when: 'points done trail the elapsed share of the development window by more than 30 percentage points',
  },
  { rule: 'GATE_CONDITIONAL', status: 'YELLOW', when: "a gate's latest evaluation is CONDITIONAL" },
  { rule: 'FORECAST_AT_RISK', status: 'YELLOW', when: 'under 85% of forecast runs finish by feature complete' },
  {
    rule: 'CRITICAL_PATH_DELAYED',
    status: 'YELLOW',
    when: 'the critical path ends after feature complete (up to 7 days)',
  },
  {
    rule: 'BEHIND_SCHEDULE',
    status: 'YELLOW',
    when: 'points done trail the elapsed share of the development window by more than 15 percentage points',
  },
  {
    rule: 'OVER_CAPACITY',
    status: 'YELLOW',
    when: 'the remaining points exceed what the team can deliver before feature complete',
  },
  {
    rule: 'VELOCITY_DECLINING',
    status: 'YELLOW',
    when: 'the mean of the last 3 weeks is under 90% of the 3 weeks before',
  },
];

export function velocityTrend(history: readonly number[]): VelocityTrend {
  if (history.length < 4) return 'UNKNOWN';
  const recent = history.slice(-3);
  const before = history.slice(-6, -3);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const r = mean(recent);
  const b = mean(before);
  if (b === 0) return r > 0 ? 'IMPROVING' : 'STABLE';
  if (r < 0.9 * b) return 'DECLINING';
  if (r > 1.1 * b) return 'IMPROVING';
  return 'STABLE';
}

export interface HealthInput {
  status: ReleaseStatus;
  targetDate: Date;
  features: readonly Feature[];
  gates: Partial<Record<string, GateOutcome>>;
  velocityHistory: readonly number[];
  timeline: Timeline;
  forecast?: Forecast;
  now: Date;
  /** When the release was planned: a release planned after its kickoff is measured from then. */
  createdAt?: Date;
}

export function measureProgress(input: HealthInput): Progress {
  const scope = input.features.filter(inScope);
  const done = scope.filter((f) => f.status === 'DONE');
  const pointsTotal = scope.reduce((a, f) => a + f.effort, 0);
  const pointsDone = done.reduce((a, f) => a + f.effort, 0);
  const kickoff = input.timeline.milestones.find((m) => m.name === 'KICKOFF')!.date;
  const start = input.createdAt && input.createdAt > kickoff ? input.createdAt : kickoff;
  const window = daysBetween(start, input.timeline.featureComplete);
  const elapsed = Math.min(Math.max(daysBetween(start, input.now), 0), window);
  const outcomes = Object.entries(input.gates);
  const score = outcomes.length
    ? (outcomes.reduce((a, [, o]) => a + (o === 'PASS' ? 1 : o === 'CONDITIONAL' ? 0.5 : 0), 0) / outcomes.length) * 100
    : undefined;
  return {
    featuresDone: done.length,
    featuresTotal: scope.length,
    percentComplete: scope.length ? round((done.length / scope.length) * 100) : 0,
    pointsDone,
    pointsTotal,
    expectedPercent: window > 0 ? round((elapsed / window) * 100) : 100,
    velocityTrend: velocityTrend(input.velocityHistory),
    qualityScore: score === undefined ? undefined : round(score),
    failedGates: outcomes
      .filter(([, o]) => o === 'FAIL')
      .map(([g]) => g)
      .sort(),
    conditionalGates: outcomes
      .filter(([, o]) => o === 'CONDITIONAL')
      .map(([g]) => g)
      .sort(),
    criticalPathDelayDays: input.timeline.criticalPathDelayDays,
  };
}

/** Green/Yellow/Red from the rules in HEALTH_RULES, with every reason that applies. */
export function assessHealth(input: HealthInput): HealthReport {
  const progress = measureProgress(input);
  const reasons: HealthReason[] = [];
  const add = (rule: string, message: string): void => {
    const def = HEALTH_RULES.find((r) => r.rule === rule)!;
    reasons.push({ rule, status: def.status, message });
  };
  const finished = input.status === 'RELEASED' || input.status === 'CLOSED' || input.status === 'CANCELLED';
  const stillDeveloping = !finished && input.now <= input.timeline.featureComplete;
  const pointsPercent = progress.pointsTotal ? (progress.pointsDone / progress.pointsTotal) * 100 : 100;
  const lag = progress.expectedPercent - pointsPercent;

  for (const g of progress.failedGates) add('GATE_FAILED', `the ${g} gate failed`);
  if (!finished && input.now > input.targetDate)
    add(
      'PAST_TARGET',
      `the target date ${input.targetDate.toISOString().slice(0, 10)} has passed and the release is ${input.status}`,
    );
  if (stillDeveloping && input.forecast) {
    const p = Math.round(input.forecast.probabilityOnTime * 100);
    if (p < 50) add('FORECAST_LATE', `only ${p}% of forecast runs finish by feature complete`);
    else if (p < 85) add('FORECAST_AT_RISK', `${p}% of forecast runs finish by feature complete (85% wanted)`);
  }
  if (stillDeveloping) {
    const d = progress.criticalPathDelayDays;
    if (d > 7) add('CRITICAL_PATH_LATE', `the critical path ends ${count(d, 'day')} after feature complete`);
    else if (d > 0) add('CRITICAL_PATH_DELAYED', `the critical path ends ${count(d, 'day')} after feature complete`);
    if (lag > 30)
      add(
        'BEHIND_SCHEDULE_FAR',
        `${round(pointsPercent)}% of points done with ${progress.expectedPercent}% of the development window gone`,
      );
    else if (lag > 15)
      add(
        'BEHIND_SCHEDULE',
        `${round(pointsPercent)}% of points done with ${progress.expectedPercent}% of the development window gone`,
      );
    const t = input.timeline;
    if (t.velocity > 0 && t.remainingPoints > t.capacityPoints)
      add(
        'OVER_CAPACITY',
        `${count(t.remainingPoints, 'point')} ${agree(t.remainingPoints, 'remains', 'remain')}; about ${t.capacityPoints} fit before feature complete`,
      );
  }
  for (const g of progress.conditionalGates) add('GATE_CONDITIONAL', `the ${g} gate passed with conditions`);
  if (!finished && progress.velocityTrend === 'DECLINING')
    add('VELOCITY_DECLINING', 'velocity of the last 3 weeks is under 90% of the 3 weeks before');

  const status: HealthStatus = reasons.some((r) => r.status === 'RED') ? 'RED' : reasons.length ? 'YELLOW' : 'GREEN';
  if (status === 'GREEN')
    return { status, progress, reasons: rulesThatHeld(input, progress, { finished, stillDeveloping, pointsPercent }) };
  return { status, progress, reasons };
}

/**
 * The rules a Green report checked, each with what it found. Of a RED/YELLOW pair on one measure only the
 * YELLOW rule is named: the measure is within it, so within the RED one too.
 */
function rulesThatHeld(
  input: HealthInput,
  progress: Progress,
  at: { finished: boolean; stillDeveloping: boolean; pointsPercent: number },
): HealthReason[] {
  const held: HealthReason[] = [];
  const add = (rule: string, message: string) => held.push({ rule, status: 'GREEN', message });
  const passed = Object.keys(input.gates).sort();
  if (passed.length === 0) add('GATE_FAILED', 'no gate has been evaluated yet');
  else {
    add('GATE_FAILED', `no gate failed: ${passed.join(', ')} passed`);
    add('GATE_CONDITIONAL', 'no gate passed with conditions');
  }
  if (at.finished) return held;
  const days = Math.floor(daysBetween(input.now, input.targetDate));
  add(
    'PAST_TARGET',
    `the target date ${input.targetDate.toISOString().slice(0, 10)} is ${days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} away`}`,
  );
  if (at.stillDeveloping && input.forecast)
    add(
      'FORECAST_AT_RISK',
      `${Math.round(input.forecast.probabilityOnTime * 100)}% of forecast runs finish by feature complete (85% wanted)`,
    );
  if (at.stillDeveloping) {
    add('CRITICAL_PATH_DELAYED', 'the critical path ends by feature complete');
    add(
      'BEHIND_SCHEDULE',
      `${round(at.pointsPercent)}% of points done with ${progress.expectedPercent}% of the development window gone (within 15 percentage points)`,
    );
    const t = input.timeline;
    if (t.velocity > 0)
      add(
        'OVER_CAPACITY',
        `${count(t.remainingPoints, 'point')} ${agree(t.remainingPoints, 'remains', 'remain')}; about ${t.capacityPoints} fit before feature complete`,
      );
  }
  add(
    'VELOCITY_DECLINING',
    progress.velocityTrend === 'UNKNOWN'
      ? 'under 4 weeks of velocity history: no trend to judge yet'
      : `velocity is ${progress.velocityTrend.toLowerCase()} (the last 3 weeks against the 3 before)`,
  );
  return held;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
