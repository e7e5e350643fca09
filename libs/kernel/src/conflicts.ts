import { ConflictError } from './errors.js';

export interface RetryOnConflictOptions {
  /**
   * The revision the caller said it saw. When given, the change is the caller's claim about that revision:
   * a stale one, or a write that loses a race, is a ConflictError and is not retried.
   */
  expectedRevision?: number;
  /** Runs of `change` in all, the first included; default 5. */
  attempts?: number;
}

/**
 * Runs a read-apply-write `change` (read the aggregate, apply the change and check its rules, write at the
 * revision read) so that a writer who made no revision claim is not refused for someone else's write:
 * without `expectedRevision`, a ConflictError from the write (another write landed between the read and the
 * write, e.g. an event from another service) runs `change` again on a fresh read, so the change is re-applied
 * and its rules checked again on what is there now; only when it still conflicts after `attempts` runs does a
 * ConflictError (saying how many) reach the caller. With `expectedRevision` the first ConflictError stands.
 */
export async function retryOnConflict<R>(change: (attempt: number) => Promise<R>, options: RetryOnConflictOptions = {}): Promise<R> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await change(attempt);
    } catch (err) {
      if (!(err instanceof ConflictError) || options.expectedRevision !== undefined) throw err;
      if (attempt >= attempts) throw new ConflictError(err.model, err.id, err.expectedVersion, err.actualVersion, attempt);
    }
  }
}

/** Refuses a change made from a revision the caller saw that is no longer the stored one: nothing is overwritten. */
export function checkRevision(model: string, id: string, expectedRevision: number | undefined, actualRevision: number): void {
  if (expectedRevision !== undefined && expectedRevision !== actualRevision) throw new ConflictError(model, id, expectedRevision, actualRevision);
}
