/** Talks GraphQL to the Flightdeck gateway with the pipeline's token. */

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  url: string;
  token?: string;
  timeoutMs?: number;
}

/** FLIGHTDECK_URL may be the gateway's base URL or its /graphql endpoint. */
export function graphqlUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ApiError(
      `FLIGHTDECK_URL "${raw}" is not a URL; expected the gateway, e.g. https://flightdeck.example.com or http://127.0.0.1:4000/graphql`,
    );
  }
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/graphql';
  return u.toString();
}

export async function graphql<T>(opts: ApiOptions, query: string, variables: Record<string, unknown>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new ApiError(`could not reach Flightdeck at ${opts.url}: ${cause ?? (err as Error).message}`);
  }
  const body = (await res.json().catch(() => undefined)) as
    { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
  if (!body) throw new ApiError(`Flightdeck at ${opts.url} answered HTTP ${res.status} without a GraphQL response`);
  if (body.errors?.length) {
    const e = body.errors[0]!;
    throw new ApiError(e.message, e.extensions?.code);
  }
  if (!body.data) throw new ApiError(`Flightdeck answered HTTP ${res.status} with no data`);
  return body.data;
}
