import {
  gateApprovalGranted,
  gateApprovalWithdrawn,
  gateEvaluationCompleted,
  gateValidationAdvised,
  readinessAssessed,
  type CloudEvent,
} from '@flightdeck/events';
import type { Advice } from '@flightdeck/ai';
import { awaitingApprovals, type Approval, type Evaluation } from '../domain/index.js';
import type { GateValidation } from '../domain/gate-validation.js';
import type { Actor, Readiness } from './ports.js';

export const EVENT_SOURCE = 'flightdeck/gates';

const envelope = (releaseId: string, actor: Actor, at: Date) => ({
  source: EVENT_SOURCE,
  subject: releaseId,
  time: at,
  ...(actor.correlationId ? { correlationid: actor.correlationId } : {}),
});

export function evaluationEvent(e: Evaluation, actor: Actor): CloudEvent {
  const awaiting = awaitingApprovals(e);
  return gateEvaluationCompleted.create({
    ...envelope(e.releaseId, actor, e.evaluatedAt),
    id: e.id,
    data: {
      releaseId: e.releaseId,
      evaluationId: e.id,
      gate: e.gate,
      outcome: e.outcome,
      evaluatedAt: e.evaluatedAt.toISOString(),
      reasons: e.reasons,
      ...(awaiting ? { awaitingApprovals: awaiting } : {}),
    },
  });
}

export function approvalGrantedEvent(releaseId: string, gate: string, a: Approval, actor: Actor): CloudEvent {
  return gateApprovalGranted.create({
    ...envelope(releaseId, actor, a.at),
    data: { releaseId, gate, approvalId: a.id, by: a.by, role: a.role, comment: a.comment, at: a.at.toISOString() },
  });
}

export function approvalWithdrawnEvent(releaseId: string, gate: string, a: Approval, actor: Actor): CloudEvent {
  return gateApprovalWithdrawn.create({
    ...envelope(releaseId, actor, a.withdrawnAt!),
    data: {
      releaseId,
      gate,
      approvalId: a.id,
      by: a.by,
      role: a.role,
      reason: a.withdrawnReason ?? '',
      at: a.withdrawnAt!.toISOString(),
    },
  });
}

export function readinessEvent(r: Readiness, actor: Actor): CloudEvent {
  return readinessAssessed.create({
    ...envelope(r.releaseId, actor, r.assessedAt),
    id: r.id,
    data: {
      releaseId: r.releaseId,
      assessmentId: r.id,
      score: r.score,
      recommendation: r.recommendation,
      confidence: r.confidence,
      blockingIssues: r.blockingIssues,
      source: r.source,
      predictionId: r.predictionId,
      assessedAt: r.assessedAt.toISOString(),
    },
  });
}

export function gateValidationEvent(
  releaseId: string,
  gate: string,
  advice: Advice<GateValidation>,
  actor: Actor,
  at: Date,
): CloudEvent {
  return gateValidationAdvised.create({
    ...envelope(releaseId, actor, at),
    data: {
      releaseId,
      gate,
      verdict: advice.value.verdict,
      source: advice.source,
      confidence: advice.confidence,
      predictionId: advice.predictionId,
      advisedAt: at.toISOString(),
    },
  });
}
