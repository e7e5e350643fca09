export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };

/**
 * How long to wait after failed attempt number `attempt` (1 for the first): doubling from the base, capped, and never
 * less than what the receiver asked for (Retry-After). No jitter: deliveries are spread by when their events came.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(exponential, Math.min(retryAfterMs ?? 0, policy.maxDelayMs));
}
