import { request } from 'node:https';
import type { Child } from './child.js';
import { failureOf } from './failure.js';

/** Start-up went wrong: the message says why, in words a person can act on. */
export class StartError extends Error {}

/**
 * Polls `probe` until it answers, failing at once when one of `children` exits (with what that child said) and
 * after `timeoutMs` otherwise (with the last problem the probe saw).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  children: Child[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (signal?.aborted) throw new StartError(`stopped while starting (${String(signal.reason ?? 'aborted')})`);
    for (const c of children) {
      if (!c.running) throw new StartError(`${what}: ${failureOf(c, await c.exited)}`);
    }
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      const running = children.map((c) => failureOf(c)).join('\n');
      throw new StartError(
        `${what} took longer than ${Math.round(timeoutMs / 1000)} s${last ? ` (last answer: ${last})` : ''}\n${running}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A GET over HTTPS that trusts `ca` and signs in with a client certificate. */
export function httpsGet(
  url: string,
  tls: { ca: string; cert: string; key: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...tls, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}
