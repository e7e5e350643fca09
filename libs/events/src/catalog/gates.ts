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
  }),
});

export const gatesEvents = [gateEvaluationCompleted];
