import type { RequestHandler } from 'express';

export interface ReadinessCheck {
  name: string;
  check(): boolean | Promise<boolean>;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  error?: string;
}

export const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(c: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const ok = await Promise.race([Promise.resolve().then(() => c.check()), timeout]);
    return ok ? { name: c.name, ok: true } : { name: c.name, ok: false, error: 'check reported not ready' };
  } catch (err) {
    return { name: c.name, ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Every check's result, plus a failing `shutdown` entry while the server shuts down. */
export async function runChecks(
  checks: ReadinessCheck[],
  isDraining: () => boolean,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<CheckResult[]> {
  const results = await Promise.all(checks.map((c) => runCheck(c, timeoutMs)));
  if (isDraining()) results.push({ name: 'shutdown', ok: false, error: 'the server is shutting down' });
  return results;
}

/** GET /readyz: 200 only while every check passes in time (and the server is not shutting down); 503 otherwise. */
export function readyzHandler(
  checks: ReadinessCheck[],
  isDraining: () => boolean,
  timeoutMs = CHECK_TIMEOUT_MS,
): RequestHandler {
  return async (_req, res) => {
    const results = await runChecks(checks, isDraining, timeoutMs);
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  };
}
