import { isDeepStrictEqual } from 'node:util';
import type { AdviceKind, AdviceSource } from './advice.js';
import type { Prediction } from './predictions/prediction.js';

/** A prediction next to what actually happened. */
export interface ResolvedPrediction {
  predictionId: string;
  kind: AdviceKind;
  subject: string;
  source: AdviceSource;
  predicted: unknown;
  actual: unknown;
  hit: boolean;
  /** For numeric predictions: |predicted − actual| / |actual| (0 or 1 when actual is 0). */
  errorRatio?: number;
}

/** The timeline estimation variance target (docs/ARCHITECTURE.md, "AI effectiveness"): a numeric prediction within 15% is a hit. */
export const DEFAULT_TOLERANCE = 0.15;

/**
 * Numbers are compared by error ratio (a hit within `tolerance`); anything else is a hit when
 * it deeply equals the actual outcome (a gate verdict, a risk level, a list of priorities).
 */
export function resolvePrediction(
  prediction: Prediction,
  actual: unknown,
  opts: { tolerance?: number } = {},
): ResolvedPrediction {
  const base = {
    predictionId: prediction.id,
    kind: prediction.kind,
    subject: prediction.subject,
    source: prediction.source,
    predicted: prediction.value,
    actual,
  };
  if (typeof prediction.value === 'number' && typeof actual === 'number') {
    const errorRatio =
      actual === 0 ? (prediction.value === 0 ? 0 : 1) : Math.abs(prediction.value - actual) / Math.abs(actual);
    return { ...base, hit: errorRatio <= (opts.tolerance ?? DEFAULT_TOLERANCE), errorRatio };
  }
  return { ...base, hit: isDeepStrictEqual(prediction.value, actual) };
}

export interface AccuracySummary {
  kind: AdviceKind;
  source: AdviceSource;
  resolved: number;
  hits: number;
  /** hits / resolved, from 0 to 1. */
  hitRate: number;
  /** Mean error ratio of the numeric predictions, when there were any. */
  meanErrorRatio?: number;
}

/** Hit rate (and mean error ratio) per kind and source, so AI advice can be compared with its baseline. */
export function summariseAccuracy(resolved: readonly ResolvedPrediction[]): AccuracySummary[] {
  const groups = new Map<string, ResolvedPrediction[]>();
  for (const r of resolved) {
    const key = `${r.kind}\u0000${r.source}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()]
    .map((group) => {
      const hits = group.filter((r) => r.hit).length;
      const ratios = group.flatMap((r) => (r.errorRatio === undefined ? [] : [r.errorRatio]));
      return {
        kind: group[0]!.kind,
        source: group[0]!.source,
        resolved: group.length,
        hits,
        hitRate: hits / group.length,
        ...(ratios.length ? { meanErrorRatio: ratios.reduce((a, b) => a + b, 0) / ratios.length } : {}),
      };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.source.localeCompare(b.source));
}
