import { z } from 'zod';
import type { Advisor } from '@flightdeck/ai';
import { readinessBaseline } from '../domain/index.js';
import { readinessEvent } from './events.js';
import { nameOf, type GateChanges, type GatesDeps, type GateView } from './gate-changes.js';
import type { Actor, Readiness } from './ports.js';

const readinessAdvice = z.object({
  recommendation: z.enum(['GO', 'CONDITIONAL_GO', 'NO_GO']),
  blockingIssues: z.array(z.string()),
  mitigations: z.array(z.string()),
  monitoring: z.array(z.string()),
  predictedOutcome: z.enum(['PASS', 'FAIL', 'CONDITIONAL']),
});

const INSTRUCTIONS =
  'Assess whether this release is ready to go to production. Recommend GO, CONDITIONAL_GO or NO_GO, list the blocking issues, mitigations and what to monitor after release, and predict the outcome of its last gate.';

/** Is the release ready for production: a deterministic score from its gates, advice on top, recorded as a prediction. */
export class ReadinessAssessment {
  constructor(
    private readonly deps: GatesDeps & { advisor: Advisor },
    private readonly changes: GateChanges,
  ) {}

  async assess(ref: string, actor: Actor): Promise<Readiness> {
    const release = await this.changes.release(ref);
    const views = await this.changes.gatesOfRelease(release.id);
    const standings = views.map(standing);
    const critical = views.flatMap(criticalFindings);
    const baseline = readinessBaseline(standings, critical);
    const advice = await this.deps.advisor.advise({
      kind: 'readiness',
      subject: release.id,
      schema: readinessAdvice,
      instructions: INSTRUCTIONS,
      input: {
        release: { product: release.product, version: release.version, type: release.type },
        gates: standings,
        criticalIssues: critical,
        deterministicScore: baseline.score,
      },
      baseline: () => ({
        recommendation: baseline.recommendation,
        blockingIssues: baseline.blockingIssues,
        mitigations: baseline.mitigations,
        monitoring: baseline.monitoring,
        predictedOutcome: baseline.predictedOutcome,
      }),
      baselineConfidence: baseline.confidence,
    });
    const readiness: Readiness = {
      ...baseline,
      ...advice.value,
      confidence: advice.confidence,
      id: this.deps.ids(),
      releaseId: release.id,
      source: advice.source,
      ...(advice.rationale ? { rationale: advice.rationale } : {}),
      ...(advice.fallbackReason ? { fallbackReason: advice.fallbackReason } : {}),
      predictionId: advice.predictionId,
      assessedAt: this.deps.clock.now(),
      assessedBy: actor.subject,
      ...nameOf('assessedByName', actor),
    };
    const what = `score ${readiness.score}, ${readiness.recommendation} (${readiness.source}, confidence ${readiness.confidence.toFixed(2)})`;
    await this.deps.store.saveReadiness(
      readiness,
      this.changes.audit(actor, 'READINESS_ASSESSED', release.product, what, { releaseId: release.id }),
      [readinessEvent(readiness, actor)],
    );
    return readiness;
  }

  /** The release's assessments, newest first. */
  history(releaseId: string): Promise<Readiness[]> {
    return this.deps.store.readiness(releaseId);
  }
}

/** Where one gate stands, as the baseline and the advisor see it. */
function standing(v: GateView) {
  const override = v.latest?.override;
  return {
    gate: v.definition.name,
    outcome: v.latest?.outcome,
    history: (v.state?.evaluations ?? []).map((e) => e.outcome),
    failingHard: (v.latest?.criteria ?? []).filter((c) => c.hard && c.result === 'FAIL').map((c) => c.name),
    ...(override ? { override: { byName: override.byName ?? override.by, reason: override.reason } } : {}),
  };
}

/** Critical security findings in the gate's SARIF evidence, one sentence per report. */
function criticalFindings(v: GateView): string[] {
  return (v.state?.evidence ?? []).flatMap((e) =>
    e.summary.kind === 'SARIF' && e.summary.security.bySeverity.critical > 0
      ? [`${e.summary.security.bySeverity.critical} critical security findings in ${e.name} (${v.definition.name})`]
      : [],
  );
}
