import { BANDS } from '../../domain/bands.js';
import { MIN_OUTCOMES, NOT_SCORABLE } from '../../domain/ai-effectiveness.js';

/** The formulas as the API states them next to each value. */
export const FORMULAS = {
  deploymentFrequency:
    'successful production rollouts finished in [from, to) / calendar days of the window in timeZone',
  leadTime:
    'median over releases first in production in [from, to) of (first production success − first change); first change = earliest feature moved into progress, else release creation',
  changeFailureRate:
    'failed / production rollouts finished in [from, to); failed = rolled back, failed in place, or followed within 48 h by an incident on its workload or a hotfix release of its product',
  recovery:
    'median of (restored − failed): rollback done − rollout start; next successful rollout of the workload − start; incident resolved − incident start; hotfix in production − rollout end',
  releaseFrequency:
    'releases first in production in [from, to) / releases (not cancelled) with a target date in [from, to); on time = in production by the target date',
  freezeLead: 'median over releases first in production in [from, to) of (production − code freeze); target < 28 days',
  successRate: 'production rollouts finished in [from, to) without rollback / all of them; target > 0.98',
  quality:
    'critical incidents opened within 48 h after a release reached production (linked to its rollouts) / releases in production in [from, to); target < 0.5',
  ai: [
    'PLANNING_ACCURACY = features in scope at code freeze that were DONE at release / features in scope at code freeze, mean per release in production in the window (target > 0.85)',
    "PLANNING_ACCURACY per source (AI, DETERMINISTIC) = recommended features DONE at release / recommended features, over the same releases' last prioritisation recommendation of that source made by code freeze (by release when it never froze); releases without one are left out",
    'RISK_PREDICTION = predicted risks that materialised / predicted risks: readiness NO_GO or CONDITIONAL_GO followed by a failed gate or failed production rollout; timeline-risk advice naming a HIGH-likelihood risk (a forecast event without advice: the forecast under 50% on time, as deterministic) for a release in production after its target (target > 0.8)',
    'QUALITY_GATE_PREDICTION = readiness assessments whose recommendation matched the next gate outcome (GO→PASS, CONDITIONAL_GO→CONDITIONAL, NO_GO→FAIL) / assessments followed by a gate (target > 0.9)',
    'TIMELINE_VARIANCE = mean |production − forecast p50| / (p50 − forecast time) over forecasts of releases in production in the window (target < 0.15)',
    'RISK_PREDICTION for deployment-health = advice in the window that matched its finished rollout: PROMOTE right when the rollout did not fail (no rollback, no failure in place, no incident on it or hotfix of its product within 48 h of its end), HOLD and ROLLBACK right when it did (target > 0.8)',
    'RISK_PREDICTION for progress-assessment = assessments in the window whose chance (on time when ≥ 0.5) matched whether the release reached FEATURE_COMPLETE (or a later status) by the date assessed; pending while that date is ahead and not reached, left out when cancelled first (target > 0.8)',
    "QUALITY_GATE_PREDICTION for gate-validation = validations in the window whose verdict (PASS, FAIL, CONDITIONAL) matched the gate's next evaluated outcome / validations followed by one (target > 0.9)",
    ...NOT_SCORABLE.map((n) => `${n.kind} is not scored: ${n.reason}`),
    `A kind and source with fewer than ${MIN_OUTCOMES} outcomes in the window gets no number: it is listed in tooFewOutcomes`,
  ],
  levels: `DORA 2024: deployment frequency elite ≥ ${BANDS.deploymentsPerDay.elite}/day (on demand), high ≥ weekly, medium ≥ monthly, low below; lead time elite < 1 day, high < 1 week, medium < 30 days, low longer; change failure rate elite ≤ 5%, high ≤ 20%, medium < 40%, low ≥ 40%; recovery elite < 1 h, high < 1 day, medium < 1 week, low longer`,
};
