import { ConflictError } from './errors.js';

export interface RetryOnConflictOptions {
  /**
   * The revision the caller said it saw. When given, the change is the caller's claim about that revision:
   * a stale one, or a write that loses a race, is a ConflictError and is not retried.
   */
  expectedRevision?: number;
  /** Runs of `change` in all, the first included; default 8. */
  attempts?: number;
  /**
   * Milliseconds to wait before the n-th retry: a random wait up to `backoffMs * 2^(n-1)`, at most 1 s ("full jitter"),
   * so writers that lost the same race do not meet again at once; default 10, 0 retries at once.
   */
  backoffMs?: number;
}

const MAX_BACKOFF_MS = 1000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a read-apply-write `change` (read the aggregate, apply the change and check its rules, write at the
 * revision read) so that a writer who made no revision claim is not refused for someone else's write:
 * without `expectedRevision`, a ConflictError from the write (another write landed between the read and the
 * write, e.g. an event from another service) runs `change` again on a fresh read, so the change is re-applied
 * and its rules checked again on what is there now; only when it still conflicts after `attempts` runs does a
 * ConflictError (saying how many) reach the caller. With `expectedRevision` the first ConflictError stands.
 */
export async function retryOnConflict<R>(
  change: (attempt: number) => Promise<R>,
  options: RetryOnConflictOptions = {},
): Promise<R> {
  const attempts = options.attempts ?? 8;
  const backoffMs = options.backoffMs ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await change(attempt);
    } catch (err) {
      if (!(err instanceof ConflictError) || options.expectedRevision !== undefined) throw err;
      if (attempt >= attempts)
        throw new ConflictError(err.model, err.id, err.expectedVersion, err.actualVersion, attempt);
      if (backoffMs > 0) await pause(Math.random() * Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (attempt - 1)));
    }
  }
}

/** Refuses a change made from a revision the caller saw that is no longer the stored one: nothing is overwritten. */
export function checkRevision(
  model: string,
  id: string,
  expectedRevision: number | undefined,
  actualRevision: number,
): void {
  if (expectedRevision !== undefined && expectedRevision !== actualRevision)
    throw new ConflictError(model, id, expectedRevision, actualRevision);
}
