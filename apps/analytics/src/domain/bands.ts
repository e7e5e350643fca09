import { DAY, HOUR } from './time.js';

export type PerformanceLevel = 'ELITE' | 'HIGH' | 'MEDIUM' | 'LOW' | 'NO_DATA';

/**
 * DORA 2024 performance levels. The report gives each cluster's typical value; we read them as
 * bands between clusters. Deployment frequency: elite on demand (a deployment per day or more),
 * high at least weekly, medium at least monthly, low less often. Lead time for changes: elite under
 * a day, high under a week, medium under a month (30 days), low longer. Change failure rate: elite
 * at most 5%, high at most 20%, medium under 40%, low 40% and more (the report's medium cluster sits
 * at 10%, below high's 20%, so it cannot bound a band by itself). Failed deployment recovery time:
 * elite under an hour, high under a day, medium under a week, low a week or more.
 */
export const BANDS = {
  deploymentsPerDay: { elite: 1, high: 1 / 7, medium: 1 / 30 },
  leadTimeMs: { elite: DAY, high: 7 * DAY, medium: 30 * DAY },
  changeFailureRate: { elite: 0.05, high: 0.2, medium: 0.4 },
  recoveryTimeMs: { elite: HOUR, high: DAY, medium: 7 * DAY },
} as const;

export function frequencyLevel(perDay: number | undefined): PerformanceLevel {
  if (perDay === undefined) return 'NO_DATA';
  const b = BANDS.deploymentsPerDay;
  return perDay >= b.elite ? 'ELITE' : perDay >= b.high ? 'HIGH' : perDay >= b.medium ? 'MEDIUM' : 'LOW';
}

function below(value: number | undefined, b: { elite: number; high: number; medium: number }): PerformanceLevel {
  if (value === undefined) return 'NO_DATA';
  return value < b.elite ? 'ELITE' : value < b.high ? 'HIGH' : value < b.medium ? 'MEDIUM' : 'LOW';
}

export const leadTimeLevel = (ms: number | undefined) => below(ms, BANDS.leadTimeMs);
export const recoveryLevel = (ms: number | undefined) => below(ms, BANDS.recoveryTimeMs);

export function changeFailureLevel(rate: number | undefined): PerformanceLevel {
  if (rate === undefined) return 'NO_DATA';
  const b = BANDS.changeFailureRate;
  return rate <= b.elite ? 'ELITE' : rate <= b.high ? 'HIGH' : rate < b.medium ? 'MEDIUM' : 'LOW';
}
