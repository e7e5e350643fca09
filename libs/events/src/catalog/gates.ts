import { z } from 'zod';
import { defineEvent } from '../catalog.js';

/** A gate of a release was evaluated: the outcome from evidence and approvals. */
export const gateEvaluationCompleted = defineEvent({
  type: 'flightdeck.gates.evaluation.completed',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    evaluationId: z.string().min(1),
    /** FEATURE_COMPLETE, ALPHA, BETA, PRODUCTION or the name of a custom gate. */
    gate: z.string().min(1),
    outcome: z.enum(['PASS', 'FAIL', 'CONDITIONAL']),
    evaluatedAt: z.iso.datetime({ offset: true }),
    reasons: z.array(z.string()).optional(),
    /**
     * Set when approvals are all the gate waits for (CONDITIONAL, every criterion passed): the roles whose approvals
     * are missing, empty when only four-eyes waits for another person. Absent otherwise, and in events published
     * before it existed.
     */
    awaitingApprovals: z.object({ roles: z.array(z.string().min(1)) }).optional(),
  }),
});

const approval = {
  releaseId: z.string().min(1),
  gate: z.string().min(1),
  approvalId: z.string().min(1),
  /** Who approved (the token's subject) and as which role. */
  by: z.string().min(1),
  role: z.string().min(1),
};

/** A person approved a gate of a release for one of the roles it requires. */
export const gateApprovalGranted = defineEvent({
  type: 'flightdeck.gates.approval.granted',
  version: 1,
  schema: z.object({ ...approval, comment: z.string(), at: z.iso.datetime({ offset: true }) }),
});

/** An approval was withdrawn before its gate passed. */
export const gateApprovalWithdrawn = defineEvent({
  type: 'flightdeck.gates.approval.withdrawn',
  version: 1,
  schema: z.object({ ...approval, reason: z.string(), at: z.iso.datetime({ offset: true }) }),
});

/** A go/no-go readiness assessment of a release: the deterministic score and the advice. */
export const readinessAssessed = defineEvent({
  type: 'flightdeck.gates.readiness.assessed',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    assessmentId: z.string().min(1),
    /** 0 to 100, from the gates, open critical issues and trends. */
    score: z.number().min(0).max(100),
    recommendation: z.enum(['GO', 'CONDITIONAL_GO', 'NO_GO']),
    confidence: z.number().min(0).max(1),
    blockingIssues: z.array(z.string()),
    /** Which advisor answered: the AI or the deterministic baseline. */
    source: z.enum(['ai', 'deterministic']),
    /** The prediction the assessment was recorded as, for measuring its accuracy later. */
    predictionId: z.string().min(1),
    assessedAt: z.iso.datetime({ offset: true }),
  }),
});

/** A quality-gate validation: a verdict per criterion and for the gate, recorded as a prediction of the gate's next outcome. */
export const gateValidationAdvised = defineEvent({
  type: 'flightdeck.gates.validation.advised',
  version: 1,
  schema: z.object({
    releaseId: z.string().min(1),
    gate: z.string().min(1),
    verdict: z.enum(['PASS', 'FAIL', 'CONDITIONAL']),
    /** Which advisor answered: the AI or the deterministic baseline. */
    source: z.enum(['ai', 'deterministic']),
    confidence: z.number().min(0).max(1),
    predictionId: z.string().min(1),
    advisedAt: z.iso.datetime({ offset: true }),
  }),
});

export const gatesEvents = [
  gateEvaluationCompleted,
  gateApprovalGranted,
  gateApprovalWithdrawn,
  readinessAssessed,
  gateValidationAdvised,
];
