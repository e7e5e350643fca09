import { RuleError } from '@flightdeck/kernel';
import { addDays, daysBetween } from './calendar.js';
import type { RandomSource } from './random.js';

export interface ForecastInput {
  remainingPoints: number;
  /** Story points completed per week in past iterations; sampled with replacement. */
  velocityHistory: readonly number[];
  /** Used when there is no history: the planned points per week. */
  plannedVelocity?: number;
  start: Date;
  /** The date the work must be done by (feature complete). */
  deadline: Date;
  runs: number;
  random: RandomSource;
}

export interface Forecast {
  runs: number;
  remainingPoints: number;
  basis: 'HISTORY' | 'PLANNED_VELOCITY';
  p50: Date;
  p85: Date;
  p95: Date;
  /** Share of runs finishing on or before the deadline, 0…1. */
  probabilityOnTime: number;
  /** Deadline minus the P85 date, in days: negative means the plan is likely late. */
  bufferDays: number;
  /** P85 minus P50, in days: the buffer a cautious plan keeps. */
  recommendedBufferDays: number;
  /** Runs that did not finish within the bound (ten years) count as late. */
  unbounded: number;
}

const MAX_WEEKS = 520;

/**
 * Monte Carlo forecast of when the remaining work is done: each run draws a past week's velocity
 * until the remaining points are burnt down (the last week counts fractionally).
 */
export function forecastCompletion(input: ForecastInput): Forecast {
  const { runs, random } = input;
  if (!Number.isInteger(runs) || runs < 1 || runs > 1_000_000) {
    throw new RuleError(`runs must be a whole number from 1 to 1000000, got ${runs}`, 'runs');
  }
  if (!Number.isFinite(input.remainingPoints) || input.remainingPoints < 0) {
    throw new RuleError(`remaining points must be ≥ 0, got ${input.remainingPoints}`, 'remainingPoints');
  }
  for (const v of input.velocityHistory) {
    if (!Number.isFinite(v) || v < 0)
      throw new RuleError(`velocity history holds ${v}; every week must be ≥ 0 points`, 'velocityHistory');
  }
  const history =
    input.velocityHistory.length > 0
      ? input.velocityHistory
      : input.plannedVelocity !== undefined
        ? [input.plannedVelocity]
        : [];
  if (!history.some((v) => v > 0)) {
    throw new RuleError(
      'a forecast needs a velocity history with at least one week above 0 points, or a planned velocity above 0',
      'velocityHistory',
    );
  }
  const samples = Float64Array.from(history);
  const weeks = new Float64Array(runs);
  const deadlineWeeks = daysBetween(input.start, input.deadline) / 7;
  let onTime = 0;
  let unbounded = 0;
  for (let r = 0; r < runs; r++) {
    let left = input.remainingPoints;
    let w = 0;
    while (left > 0 && w < MAX_WEEKS) {
      const v = samples[Math.floor(random() * samples.length)]!;
      if (v >= left) {
        w += left / v;
        left = 0;
      } else {
        left -= v;
        w += 1;
      }
    }
    if (left > 0) unbounded++;
    weeks[r] = left > 0 ? Infinity : w;
    if (weeks[r]! <= deadlineWeeks) onTime++;
  }
  weeks.sort();
  const at = (q: number): Date => {
    const w = weeks[Math.min(runs - 1, Math.ceil(q * runs) - 1)]!;
    return addDays(input.start, Number.isFinite(w) ? w * 7 : MAX_WEEKS * 7);
  };
  const p50 = at(0.5);
  const p85 = at(0.85);
  return {
    runs,
    remainingPoints: input.remainingPoints,
    basis: input.velocityHistory.length > 0 ? 'HISTORY' : 'PLANNED_VELOCITY',
    p50,
    p85,
    p95: at(0.95),
    probabilityOnTime: onTime / runs,
    bufferDays: round(daysBetween(p85, input.deadline)),
    recommendedBufferDays: round(daysBetween(p50, p85)),
    unbounded,
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
