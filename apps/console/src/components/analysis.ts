/** Analysis measurements as chart data, with the thresholds read from the metric's conditions. */

export interface Threshold {
  value: number;
  /** What crossing it means. */
  kind: 'success' | 'failure';
  condition: string;
}

/** "result >= 0.95" → 0.95; conditions that compare with no single number give no line. */
export function thresholdsOf(metric: {
  successCondition?: string | null;
  failureCondition?: string | null;
}): Threshold[] {
  const out: Threshold[] = [];
  for (const [kind, condition] of [
    ['success', metric.successCondition],
    ['failure', metric.failureCondition],
  ] as const) {
    if (!condition) continue;
    const m = /^\s*result(?:\[0\])?\s*(?:>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i.exec(condition);
    if (m) out.push({ value: Number(m[1]), kind, condition });
  }
  // The same number on both sides draws one line.
  return out.filter((t, i) => out.findIndex((o) => o.value === t.value) === i);
}

export interface MeasurementPoint {
  t: number;
  value: number | null;
  phase: string;
}

export function measurementPoints(
  measurements: readonly { at: string; value?: number | null; phase: string }[],
): MeasurementPoint[] {
  return measurements
    .map((m) => ({ t: Date.parse(m.at), value: m.value ?? null, phase: m.phase }))
    .sort((a, b) => a.t - b.t);
}

/** Canary and stable replicas for a weight: the deployment service's rule (at least one canary pod above 0%). */
export function replicasFor(total: number, weight: number): { canary: number; stable: number } {
  if (weight <= 0) return { canary: 0, stable: total };
  const canary = Math.min(total, Math.max(1, Math.ceil((total * weight) / 100)));
  return { canary, stable: total - canary };
}
