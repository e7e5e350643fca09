import { RuleError } from '@flightdeck/kernel';
import { conditionHolds, parseCondition } from './conditions.js';
import type {
  AnalysisRun,
  Measurement,
  MeasurementPhase,
  MetricRun,
  MetricTemplate,
  QueryOutcome,
  RunPhase,
  Scoring,
} from './types.js';

export const DEFAULT_SCORING: Scoring = { pass: 90, warning: 75 };

export function validateMetric(m: MetricTemplate, where: string): void {
  const bad = (field: string, what: string) => new RuleError(`${where}.${field}: ${what}`, `${where}.${field}`);
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(m.name)) throw bad('name', `"${m.name}" must be letters, digits and dashes`);
  if (!m.query.trim()) throw bad('query', 'a PromQL query is required');
  if (!m.successCondition && !m.failureCondition)
    throw bad('successCondition', 'give a success condition, a failure condition or both');
  if (m.successCondition) parseCondition(m.successCondition, `${where}.successCondition`);
  if (m.failureCondition) parseCondition(m.failureCondition, `${where}.failureCondition`);
  if (!(m.intervalSeconds >= 0.1 && m.intervalSeconds <= 3600))
    throw bad('intervalSeconds', `${m.intervalSeconds} must be between 0.1 and 3600`);
  if (!Number.isInteger(m.count) || m.count < 1 || m.count > 1000)
    throw bad('count', `${m.count} must be a whole number from 1 to 1000`);
  if (!Number.isInteger(m.failureLimit) || m.failureLimit < 0)
    throw bad('failureLimit', `${m.failureLimit} must be a whole number, 0 or more`);
  if (!Number.isInteger(m.inconclusiveLimit) || m.inconclusiveLimit < 0)
    throw bad('inconclusiveLimit', `${m.inconclusiveLimit} must be a whole number, 0 or more`);
  if (!(m.weight > 0)) throw bad('weight', `${m.weight} must be above 0`);
}

export function renderQuery(query: string, vars: Record<string, string>): string {
  return query.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined)
      throw new RuleError(
        `query variable {{${name}}} is unknown; known: ${Object.keys(vars)
          .map((k) => `{{${k}}}`)
          .join(', ')}`,
        'query',
      );
    return v;
  });
}

export function newRun(
  id: string,
  stepIndex: number,
  metrics: MetricTemplate[],
  vars: Record<string, string>,
  scoring: Scoring,
  now: Date,
  initialDelaySeconds = 0,
): AnalysisRun {
  return {
    id,
    stepIndex,
    startedAt: now.toISOString(),
    initialDelaySeconds,
    phase: 'RUNNING',
    scoring,
    metrics: metrics.map((m) => ({
      name: m.name,
      query: renderQuery(m.query, { ...vars, interval: promDuration(m.intervalSeconds * 2) }),
      ...(m.successCondition ? { successCondition: parseCondition(m.successCondition) } : {}),
      ...(m.failureCondition ? { failureCondition: parseCondition(m.failureCondition) } : {}),
      intervalSeconds: m.intervalSeconds,
      count: m.count,
      failureLimit: m.failureLimit,
      inconclusiveLimit: m.inconclusiveLimit,
      weight: m.weight,
      measurements: [],
      phase: 'RUNNING',
    })),
  };
}

/** A range-vector window of at least 4 s (a rate needs two scrapes in it). */
export function promDuration(seconds: number): string {
  return `${Math.max(4, Math.ceil(seconds))}s`;
}

const fmt = (v: number) => (Math.abs(v) >= 100 || v === 0 ? String(Math.round(v * 100) / 100) : v.toPrecision(3));

/**
 * One measurement: no data, NaN or a query error is inconclusive, never a pass. The failure condition wins
 * over the success condition; with only a success condition a value missing it fails, with only a failure
 * condition a value not meeting it passes; with both and neither true it is inconclusive.
 */
export function measure(
  metric: Pick<MetricRun, 'successCondition' | 'failureCondition'>,
  outcome: QueryOutcome,
  now: Date,
): Measurement {
  const at = now.toISOString();
  if (!outcome.ok) return { at, value: null, phase: 'INCONCLUSIVE', detail: outcome.reason };
  const v = outcome.value;
  if (!Number.isFinite(v))
    return { at, value: null, phase: 'INCONCLUSIVE', detail: `the query returned ${v}, which is no measurement` };
  const { successCondition: s, failureCondition: f } = metric;
  if (f && conditionHolds(f, v))
    return { at, value: v, phase: 'FAILED', detail: `${fmt(v)} meets the failure condition ${f.text}` };
  if (s && conditionHolds(s, v))
    return { at, value: v, phase: 'SUCCESSFUL', detail: `${fmt(v)} meets the success condition ${s.text}` };
  if (s && !f) return { at, value: v, phase: 'FAILED', detail: `${fmt(v)} misses the success condition ${s.text}` };
  if (f && !s)
    return { at, value: v, phase: 'SUCCESSFUL', detail: `${fmt(v)} stays clear of the failure condition ${f.text}` };
  return { at, value: v, phase: 'INCONCLUSIVE', detail: `${fmt(v)} meets neither ${s!.text} nor ${f!.text}` };
}

export function tally(m: MetricRun): Record<MeasurementPhase, number> {
  const t = { SUCCESSFUL: 0, FAILED: 0, INCONCLUSIVE: 0 };
  for (const x of m.measurements) t[x.phase]++;
  return t;
}

/** A metric's verdict: failed as soon as failures exceed the limit, inconclusive likewise, successful after `count`. */
export function metricPhase(m: MetricRun): RunPhase {
  const t = tally(m);
  if (t.FAILED > m.failureLimit) return 'FAILED';
  if (t.INCONCLUSIVE > m.inconclusiveLimit) return 'INCONCLUSIVE';
  if (m.measurements.length >= m.count) return t.SUCCESSFUL + t.FAILED === 0 ? 'INCONCLUSIVE' : 'SUCCESSFUL';
  return 'RUNNING';
}

/**
 * The weighted share of successful measurements among the conclusive ones, 0 to 100 (as Keptn and Kayenta score
 * a run); inconclusive measurements count against their limit, never for or against the score.
 */
export function score(metrics: MetricRun[]): number {
  const total = metrics.reduce((s, m) => s + m.weight, 0);
  if (total === 0) return 0;
  const got = metrics.reduce((s, m) => {
    const t = tally(m);
    const conclusive = t.SUCCESSFUL + t.FAILED;
    return s + (conclusive ? (m.weight * t.SUCCESSFUL) / conclusive : 0);
  }, 0);
  return Math.round((got / total) * 1000) / 10;
}

/** The run's verdict from its metrics: any failed metric fails it, any inconclusive one makes it inconclusive; once all are done, the score decides. */
export function evaluateRun(run: AnalysisRun, now: Date): AnalysisRun {
  if (run.phase !== 'RUNNING') return run;
  const metrics = run.metrics.map((m) => ({ ...m, phase: metricPhase(m) }));
  const failed = metrics.filter((m) => m.phase === 'FAILED');
  const inconclusive = metrics.filter((m) => m.phase === 'INCONCLUSIVE');
  const done = (phase: RunPhase, message: string): AnalysisRun => ({
    ...run,
    metrics,
    phase,
    score: score(metrics),
    message,
    completedAt: now.toISOString(),
  });
  if (failed.length) return done('FAILED', `analysis failed: ${failed.map((m) => describeMetric(m)).join('; ')}`);
  if (inconclusive.length)
    return done('INCONCLUSIVE', `analysis inconclusive: ${inconclusive.map((m) => describeMetric(m)).join('; ')}`);
  if (metrics.every((m) => m.phase === 'SUCCESSFUL')) {
    const s = score(metrics);
    if (s >= run.scoring.pass)
      return done(
        'SUCCESSFUL',
        `analysis passed with score ${s} (pass at ${run.scoring.pass}): ${metrics.map((m) => describeMetric(m)).join('; ')}`,
      );
    if (s >= run.scoring.warning)
      return done(
        'INCONCLUSIVE',
        `analysis score ${s} is below the pass mark ${run.scoring.pass} but above the warning mark ${run.scoring.warning}: a person decides`,
      );
    return done('FAILED', `analysis score ${s} is below the warning mark ${run.scoring.warning}`);
  }
  return { ...run, metrics };
}

/** "error-rate: 3 of 3 measurements failed, limit 0; last 0.21 meets the failure condition result > 0.05" */
export function describeMetric(m: MetricRun): string {
  const t = tally(m);
  const last = m.measurements.at(-1);
  const limits =
    m.phase === 'FAILED'
      ? `, failure limit ${m.failureLimit}`
      : m.phase === 'INCONCLUSIVE'
        ? `, inconclusive limit ${m.inconclusiveLimit}`
        : '';
  return `${m.name}: ${t.SUCCESSFUL} successful, ${t.FAILED} failed, ${t.INCONCLUSIVE} inconclusive of ${m.count}${limits}${last ? `; last: ${last.detail}` : ''}`;
}

/** Metrics of a running run whose next measurement is due at `now`, and when the next one is due otherwise. */
export function dueMetrics(run: AnalysisRun, now: Date): { due: string[]; nextAt?: Date } {
  const due: string[] = [];
  let next: number | undefined;
  for (const m of run.metrics) {
    if (metricPhase(m) !== 'RUNNING') continue;
    const last = m.measurements.at(-1);
    const at = last
      ? Date.parse(last.at) + m.intervalSeconds * 1000
      : Date.parse(run.startedAt) + run.initialDelaySeconds * 1000;
    if (at <= now.getTime()) due.push(m.name);
    else next = next === undefined ? at : Math.min(next, at);
  }
  return next === undefined ? { due } : { due, nextAt: new Date(next) };
}

export function recordMeasurements(run: AnalysisRun, results: Record<string, QueryOutcome>, now: Date): AnalysisRun {
  const metrics = run.metrics.map((m) =>
    results[m.name] ? { ...m, measurements: [...m.measurements, measure(m, results[m.name]!, now)] } : m,
  );
  return evaluateRun({ ...run, metrics }, now);
}
