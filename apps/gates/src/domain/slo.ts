import { compare, type SloObjective } from './criteria.js';

export type Measurement = { value: number } | { error: string };

export interface ObjectiveResult {
  name: string;
  value?: number;
  result: 'PASS' | 'WARN' | 'FAIL';
  score: number;
  weight: number;
  key: boolean;
  explanation: string;
}

export interface SloResult {
  objectives: ObjectiveResult[];
  /** Percent of the total weight scored: a passing objective scores its weight, a warning half of it. */
  score: number;
  result: 'PASS' | 'WARN' | 'FAIL';
  explanation: string;
}

/** Replaces `$window` in an objective's query, as Keptn replaces `$DURATION`. */
export function sloQuery(objective: SloObjective, window: string): string {
  return objective.query.replaceAll('$window', window);
}

/** Scores the objectives in the manner of Keptn's SLO evaluation: pass, warning or fail each, a weighted total, key objectives. */
export function evaluateSlo(
  objectives: SloObjective[],
  measurements: Measurement[],
  passScore: number,
  warningScore: number,
): SloResult {
  const results = objectives.map((o, i): ObjectiveResult => {
    const m = measurements[i];
    const bound = `${o.pass.op} ${o.pass.value}${o.warning ? `, warning ${o.warning.op} ${o.warning.value}` : ''}`;
    if (!m || 'error' in m)
      return {
        name: o.name,
        result: 'FAIL',
        score: 0,
        weight: o.weight,
        key: o.key,
        explanation: `${o.name}: no value (${m && 'error' in m ? m.error : 'not measured'}); pass needs ${bound}`,
      };
    if (compare(m.value, o.pass.op, o.pass.value))
      return {
        name: o.name,
        value: m.value,
        result: 'PASS',
        score: o.weight,
        weight: o.weight,
        key: o.key,
        explanation: `${o.name} = ${fmt(m.value)} passes (${bound})`,
      };
    if (o.warning && compare(m.value, o.warning.op, o.warning.value)) {
      return {
        name: o.name,
        value: m.value,
        result: 'WARN',
        score: o.weight / 2,
        weight: o.weight,
        key: o.key,
        explanation: `${o.name} = ${fmt(m.value)} only meets the warning bound (${bound})`,
      };
    }
    return {
      name: o.name,
      value: m.value,
      result: 'FAIL',
      score: 0,
      weight: o.weight,
      key: o.key,
      explanation: `${o.name} = ${fmt(m.value)} fails (${bound})`,
    };
  });
  const total = results.reduce((a, r) => a + r.weight, 0);
  const score = total === 0 ? 0 : (100 * results.reduce((a, r) => a + r.score, 0)) / total;
  const keyFailed = results.filter((r) => r.key && r.result === 'FAIL');
  const result = keyFailed.length ? 'FAIL' : score >= passScore ? 'PASS' : score >= warningScore ? 'WARN' : 'FAIL';
  const why = keyFailed.length
    ? `key objective ${keyFailed.map((r) => r.name).join(', ')} failed`
    : `score ${fmt(score)}% (pass ≥ ${passScore}%, warning ≥ ${warningScore}%)`;
  return { objectives: results, score, result, explanation: `${why}: ${results.map((r) => r.explanation).join('; ')}` };
}

export function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  // Two decimals for percentages and counts; three significant digits for small values such as ratios.
  return Math.abs(n) >= 1 ? n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '') : String(Number(n.toPrecision(3)));
}
