import type { WebhookCaller } from '../application/ports.js';
import type { HookResult } from '../domain/index.js';

/** POSTs the rollout as JSON; a 2xx answer within the time-out allows, anything else (or no answer) refuses. */
export class HttpWebhookCaller implements WebhookCaller {
  async call(url: string, payload: unknown, timeoutMs: number): Promise<HookResult> {
    const at = new Date().toISOString();
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = (await res.text()).slice(0, 300);
      return { ok: res.ok, status: res.status, detail: text || res.statusText || 'no body', at };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const detail =
        e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `unreachable: ${e.cause?.code ?? e.message}`;
      return { ok: false, status: 0, detail, at };
    }
  }
}
