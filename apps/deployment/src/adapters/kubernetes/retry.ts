import { ApiException } from '@kubernetes/client-node';
import { refusalOf, statusOf, type ApiCall } from './api-errors.js';

/** Throttling, server errors and network failures are worth another try; the cluster's refusals (4xx) are not. */
export function retryable(err: unknown): boolean {
  if (err instanceof ApiException) return err.code === 429 || err.code >= 500;
  const e = err as { name?: string; code?: string };
  return (
    e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.name === 'FetchError' || typeof e?.code === 'string'
  );
}

/**
 * Runs one API call with exponential backoff on retryable errors (100 ms doubling, `attempts` tries). A refusal
 * (403, 404, 409, 422) becomes the port's error at once; anything else, once the tries are used up, an error
 * saying what was tried.
 */
export async function withRetry<T>(call: ApiCall, fn: () => Promise<T>, attempts = 5): Promise<T> {
  let delay = 100;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const refusal = refusalOf(err, call);
      if (refusal) throw refusal;
      if (i >= attempts || !retryable(err)) {
        const detail =
          err instanceof ApiException
            ? `HTTP ${err.code}: ${statusOf(err.body).message ?? 'no message'}`
            : (err as Error).message;
        throw new Error(`${call.verb} ${call.object} failed after ${i} attempt${i === 1 ? '' : 's'}: ${detail}`, {
          cause: err,
        });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}
