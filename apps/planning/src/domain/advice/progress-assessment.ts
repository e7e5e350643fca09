import type { Forecast } from '../forecast.js';
import { inScope, type Feature } from '../scope.js';
import type { Timeline } from '../timeline.js';
import { wsjf } from '../wsjf.js';

export interface ProgressAssessment {
  /** Chance to meet feature complete, 0…1. */
  probabilityOnTime: number;
  /** Open critical-path items, most effort first. */
  criticalPathAtRisk: { featureId: string; title: string; effort: number }[];
  /** Features to move out, lowest WSJF first, until what is left fits the capacity. */
  scopeAdjustments: { featureId: string; title: string; effort: number; reason: string }[];
  summary: string;
}

/**
 * The deterministic progress assessment: the forecast's chance when there is one (otherwise capacity against what
 * remains), the open items on the critical path, and the Should/Could features to defer until the rest fits.
 */
export function progressBaseline(
  features: readonly Feature[],
  timeline: Timeline,
  forecast?: Pick<Forecast, 'probabilityOnTime'>,
): ProgressAssessment {
  const open = features.filter((f) => inScope(f) && f.status !== 'DONE');
  const remaining = open.reduce((a, f) => a + f.effort, 0);
  const probability = forecast
    ? forecast.probabilityOnTime
    : remaining === 0
      ? 1
      : timeline.velocity <= 0
        ? 0
        : Math.min(1, timeline.capacityPoints / remaining);
  const critical = new Set(timeline.criticalPath.featureIds);
  const criticalPathAtRisk = open
    .filter((f) => critical.has(f.id))
    .sort((a, b) => b.effort - a.effort)
    .map((f) => ({ featureId: f.id, title: f.title, effort: f.effort }));
  const scopeAdjustments: ProgressAssessment['scopeAdjustments'] = [];
  let over = remaining - timeline.capacityPoints;
  const needed = new Set(open.flatMap((f) => f.dependsOn));
  for (const f of [...open]
    .filter((f) => f.priority !== 'MUST' && !critical.has(f.id) && !needed.has(f.id))
    .sort((a, b) => wsjf(a) - wsjf(b))) {
    if (timeline.velocity <= 0 || over <= 0) break;
    scopeAdjustments.push({
      featureId: f.id,
      title: f.title,
      effort: f.effort,
      reason: `${f.priority}, WSJF ${wsjf(f).toFixed(2)}: the lowest value for its effort`,
    });
    over -= f.effort;
  }
  const p = Math.round(probability * 100);
  return {
    probabilityOnTime: Math.round(probability * 100) / 100,
    criticalPathAtRisk,
    scopeAdjustments,
    summary: `${p}% chance to make feature complete; ${criticalPathAtRisk.length} critical-path items open; ${scopeAdjustments.length ? `defer ${scopeAdjustments.length} features (${scopeAdjustments.reduce((a, s) => a + s.effort, 0)} points)` : 'no scope change needed'}`,
  };
}
