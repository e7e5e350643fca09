import { count } from '@flightdeck/kernel';
import { inScope, type Feature } from '../scope.js';

export type TestType =
  'unit' | 'integration' | 'end-to-end' | 'regression' | 'contract' | 'migration' | 'performance' | 'security';
export type RiskLevel = 'HIGH' | 'MEDIUM' | 'LOW';

export interface FeatureTestPlan {
  featureId: string;
  title: string;
  risk: RiskLevel;
  /** 1 is tested first. */
  priority: number;
  testTypes: TestType[];
  /** Line coverage the feature's code should reach, in percent. */
  coverageTarget: number;
  why: string;
}

export interface TestPlan {
  features: FeatureTestPlan[];
  summary: string;
}

const COVERAGE: Record<RiskLevel, number> = { HIGH: 90, MEDIUM: 80, LOW: 70 };

/**
 * The deterministic test plan for a release's open scope: risk from priority, value, effort, how much depends on
 * the feature and whether it breaks an interface; test types from what the feature is; risk-based order.
 */
export function testPlanBaseline(features: readonly Feature[]): TestPlan {
  const scope = features.filter(inScope);
  const dependents = new Map<string, number>();
  for (const f of scope) for (const d of f.dependsOn) dependents.set(d, (dependents.get(d) ?? 0) + 1);
  const scored = scope.map((f) => {
    const reasons: string[] = [];
    let score = f.businessValue + f.riskReduction + Math.min(10, f.effort / 2);
    if (f.priority === 'MUST') {
      score += 5;
      reasons.push('must have');
    }
    if (f.breakingChange) {
      score += 5;
      reasons.push('breaks an interface');
    }
    const deps = dependents.get(f.id) ?? 0;
    if (deps) {
      score += 2 * deps;
      reasons.push(`${deps} feature${deps === 1 ? '' : 's'} depend on it`);
    }
    if (f.effort >= 8) reasons.push(`large (${f.effort} points)`);
    const risk: RiskLevel = score >= 20 ? 'HIGH' : score >= 12 ? 'MEDIUM' : 'LOW';
    const types: TestType[] = ['unit', 'integration'];
    if (f.effort >= 8 || f.priority === 'MUST') types.push('end-to-end');
    if (f.kind === 'FIX' || f.riskReduction >= 5) types.push('regression');
    if (f.breakingChange) types.push('contract');
    if (f.migration) types.push('migration');
    if (/perf|latency|speed|fast|scal/i.test(`${f.title} ${f.description}`)) types.push('performance');
    if (/auth|secur|permission|token|password|payment/i.test(`${f.title} ${f.description}`)) types.push('security');
    return { f, score, risk, types, why: reasons.length ? reasons.join(', ') : 'ordinary change' };
  });
  scored.sort((a, b) => b.score - a.score || a.f.title.localeCompare(b.f.title));
  const plans = scored.map((s, i) => ({
    featureId: s.f.id,
    title: s.f.title,
    risk: s.risk,
    priority: i + 1,
    testTypes: s.types,
    coverageTarget: COVERAGE[s.risk],
    why: s.why,
  }));
  const high = plans.filter((p) => p.risk === 'HIGH').length;
  return { features: plans, summary: `${count(plans.length, 'feature')} to test, ${high} of high risk first` };
}
