import type { Feature, Priority } from './scope.js';

const PRIORITY_RANK: Record<Priority, number> = { MUST: 0, SHOULD: 1, COULD: 2, WONT: 3 };

export interface RankedFeature {
  featureId: string;
  title: string;
  priority: Priority;
  costOfDelay: number;
  effort: number;
  /** Weighted Shortest Job First: cost of delay ÷ effort. */
  wsjf: number;
  rank: number;
}

/** Cost of delay in SAFe's terms: user-business value + time criticality + risk reduction. */
export function costOfDelay(f: Pick<Feature, 'businessValue' | 'timeCriticality' | 'riskReduction'>): number {
  return f.businessValue + f.timeCriticality + f.riskReduction;
}

export function wsjf(f: Pick<Feature, 'businessValue' | 'timeCriticality' | 'riskReduction' | 'effort'>): number {
  return costOfDelay(f) / f.effort;
}

/** Highest WSJF first; ties by priority (MUST first), then cost of delay, then title. */
export function rankByWsjf(features: readonly Feature[]): RankedFeature[] {
  return features
    .map((f) => ({
      featureId: f.id,
      title: f.title,
      priority: f.priority,
      costOfDelay: costOfDelay(f),
      effort: f.effort,
      wsjf: wsjf(f),
      rank: 0,
    }))
    .sort(
      (a, b) =>
        b.wsjf - a.wsjf ||
        PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
        b.costOfDelay - a.costOfDelay ||
        compare(a.title, b.title) ||
        compare(a.featureId, b.featureId),
    )
    .map((r, i) => ({ ...r, rank: i + 1 }));
}

/** Plain code-unit order: the same on every machine and locale, and cheap for large scopes. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
