/**
 * GraphQL through the gateway while parts of the stack come and go. A request either answers (data, or the errors the
 * service gave: a refusal is an answer) or fails in transport (no connection, a 5xx, a subgraph that could not be
 * reached): only those are `Unreachable`, and the scenario retries them after checking what already happened.
 */
export class Unreachable extends Error {}

export class Refused extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('; '));
  }
}

export interface Client {
  /** The data, or throws Refused (the service said no) or Unreachable (no answer to trust). */
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** What the gateway says when a subgraph did not answer: the request's fate is unknown. */
const TRANSPORT =
  /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|other side closed|connect|unavailable|timed? ?out|UND_ERR|502|503|504|terminated|aborted/i;

export function gatewayClient(url: string, token: string, timeoutMs = 30_000): Client {
  return {
    async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new Unreachable(`no answer from ${url}: ${(err as Error).message}`);
      }
      const text = await res.text().catch((err: unknown) => {
        throw new Unreachable(`answer from ${url} cut off: ${(err as Error).message}`);
      });
      let body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new Unreachable(`HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
      }
      const errors = body.errors ?? [];
      if (res.status >= 500 && !errors.length) throw new Unreachable(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      if (errors.length) {
        const messages = errors.map((e) => e.message);
        const transport = errors.some(
          (e) =>
            TRANSPORT.test(e.message) ||
            e.extensions?.code === 'SUBREQUEST_HTTP_ERROR' ||
            e.extensions?.code === 'INTERNAL_SERVER_ERROR',
        );
        if (transport) throw new Unreachable(`HTTP ${res.status}: ${messages.join('; ')}`);
        throw new Refused(messages);
      }
      if (!body.data) throw new Unreachable(`HTTP ${res.status}: no data`);
      return body.data;
    },
  };
}

/**
 * Runs `step` until it gives a value, retrying while the stack does not answer (Unreachable) or `step` returns
 * undefined (not yet), up to `timeoutMs`; a Refused error that `step` does not handle ends it at once.
 */
export async function until<T>(
  what: string,
  step: () => Promise<T | undefined>,
  opts: { timeoutMs: number; everyMs?: number; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await step();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      last = err.message;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${Math.round(opts.timeoutMs / 1000)} s (last: ${last})`);
    if (opts.signal?.aborted) throw new Error(`${what}: stopped (last: ${last})`);
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 500));
  }
}
