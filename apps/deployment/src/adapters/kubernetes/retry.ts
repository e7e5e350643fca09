import { ApiException } from '@kubernetes/client-node';

/** Conflicts, server errors, throttling and network failures are worth another try; 4xx otherwise are not. */
export function retryable(err: unknown): boolean {
  if (err instanceof ApiException) return err.code === 409 || err.code === 429 || err.code >= 500;
  const e = err as { name?: string; code?: string };
  return e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.name === 'FetchError' || typeof e?.code === 'string';
}

/** Runs `fn` with exponential backoff on retryable errors (100 ms doubling, `attempts` tries). */
export async function withRetry<T>(what: string, fn: () => Promise<T>, attempts = 5): Promise<T> {
  let delay = 100;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !retryable(err)) {
        const detail = err instanceof ApiException ? `HTTP ${err.code}: ${bodyMessage(err.body)}` : (err as Error).message;
        throw new Error(`${what} failed after ${i} attempt${i === 1 ? '' : 's'}: ${detail}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}

function bodyMessage(body: unknown): string {
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body.slice(0, 200);
    } catch {
      return body.slice(0, 200);
    }
  }
  return (body as { message?: string })?.message ?? 'no message';
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiException && err.code === 404;
}

/** A 409 from the API server (already exists, or modified meanwhile), thrown as is or as the cause of withRetry's error. */
export function isConflict(err: unknown): boolean {
  const e = err instanceof Error && !(err instanceof ApiException) && err.cause !== undefined ? err.cause : err;
  return e instanceof ApiException && e.code === 409;
}
