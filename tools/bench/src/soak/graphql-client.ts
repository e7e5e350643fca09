/** One GraphQL request through the gateway: the data, or an error saying what the gateway answered. */
export class GraphQLFailure extends Error {}

export interface GraphQLClient {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export function graphqlClient(url: string, token: string): GraphQLClient {
  return {
    async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      let body: { data?: T; errors?: { message: string }[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new GraphQLFailure(`HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
      }
      if (res.status !== 200 || body.errors?.length || !body.data) {
        throw new GraphQLFailure(`HTTP ${res.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
      }
      return body.data;
    },
  };
}

/** Polls `probe` until it gives a value, up to `timeoutMs`; errors count as "not yet" until then. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
