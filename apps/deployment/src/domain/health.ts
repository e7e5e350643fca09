import { tally } from './analysis.js';
import type { AnalysisRun, HealthAdvice, HealthRecommendation, Rollout } from './types.js';

/** The offline answer: the analysis verdict itself, in words. */
export function baselineHealth(run: AnalysisRun): { recommendation: HealthRecommendation; rationale: string } {
  const recommendation: HealthRecommendation =
    run.phase === 'SUCCESSFUL' ? 'PROMOTE' : run.phase === 'FAILED' ? 'ROLLBACK' : 'HOLD';
  return {
    recommendation,
    rationale: `the analysis ${run.phase.toLowerCase()} with score ${run.score ?? 0}: ${run.message ?? ''}`.trim(),
  };
}

/** The facts the advisor sees: each metric's measurements, limits and verdict. */
export function healthInput(r: Rollout, run: AnalysisRun) {
  return {
    rollout: {
      id: r.id,
      image: r.image,
      previousImage: r.stableImage,
      strategy: r.strategy,
      weight: r.weight,
      step: run.stepIndex + 1,
      steps: r.steps.length,
    },
    verdict: run.phase,
    score: run.score ?? null,
    metrics: run.metrics.map((m) => ({
      name: m.name,
      query: m.query,
      success: m.successCondition?.text ?? null,
      failure: m.failureCondition?.text ?? null,
      phase: m.phase,
      tally: tally(m),
      values: m.measurements.map((x) => x.value),
    })),
  };
}

/** Records the advice on its run, with a decision entry saying whether it agrees with the hard verdict. */
export function withAdvice(r: Rollout, runId: string, advice: HealthAdvice, now: Date): Rollout {
  const run = r.analysisRuns.find((a) => a.id === runId);
  if (!run) return r;
  const agrees = baselineHealth(run).recommendation === advice.recommendation;
  const message = `${advice.source === 'AI' ? 'the AI advisor' : 'the deterministic advisor'} recommends ${advice.recommendation} (confidence ${advice.confidence}) after run ${runId}: ${advice.rationale}${agrees ? '' : `; this differs from the analysis verdict ${run.phase}, which stands: advice never overrides a metric`}`;
  return {
    ...r,
    analysisRuns: r.analysisRuns.map((a) => (a.id === runId ? { ...a, advice } : a)),
    decisions: [...r.decisions, { at: now.toISOString(), action: 'ADVICE', message }].slice(-300),
  };
}
