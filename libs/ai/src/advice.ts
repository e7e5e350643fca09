import type { ZodType } from 'zod';

/** The steps of a release the AI advises on (docs/ARCHITECTURE.md, "AI advice"). */
export const ADVICE_KINDS = [
  'prioritisation',
  'timeline-risk',
  'readiness',
  'deployment-health',
  'post-release',
  'test-planning',
  'progress-assessment',
  'gate-validation',
] as const;
export type AdviceKind = (typeof ADVICE_KINDS)[number];

export type AdviceSource = 'ai' | 'deterministic';

export interface AdviceRequest<T> {
  kind: AdviceKind;
  /** What the advice is about, usually a release id (or `release/rollout`). */
  subject: string;
  /** The shape of the answer; the AI's answer is validated against it. */
  schema: ZodType<T>;
  /** What to decide, in plain words, for the model. */
  instructions: string;
  /** The facts the advice is based on; must be JSON-serialisable. */
  input: unknown;
  /** The offline answer: used when no AI is configured and whenever the AI fails. */
  baseline: () => T | Promise<T>;
  /** How sure the baseline is, from 0 to 1 (default 0.5). */
  baselineConfidence?: number;
}

export interface Advice<T> {
  value: T;
  source: AdviceSource;
  /** The model that answered, when the AI did. */
  model?: string;
  /** From 0 to 1. */
  confidence: number;
  rationale?: string;
  /** Why the AI was not used or what went wrong with it, when the baseline answered. */
  fallbackReason?: string;
  /** The id of the prediction this advice was recorded as. */
  predictionId: string;
}

/** The port every service depends on. Implementations: OpenAIAdvisor, DeterministicAdvisor, FallbackAdvisor, RecordingAdvisor. */
export interface Advisor {
  advise<T>(request: AdviceRequest<T>): Promise<Advice<T>>;
}

/** Thrown by an AI advisor when it cannot produce a valid answer; `reason` is a sentence for people. */
export class AdviceFailedError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'AdviceFailedError';
  }
}

export const DEFAULT_BASELINE_CONFIDENCE = 0.5;
