import { mintToken } from '@flightdeck/auth';
import type { Role } from '@flightdeck/kernel';

export interface GraphQLResult<T = Record<string, unknown>> {
  /** The HTTP status of the answer. */
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One GraphQL operation over HTTP, as a client sends it (POST, JSON), with a Bearer token when given. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphQLResult<T>, 'status'>;
  return { status: res.status, ...body };
}

/** Tokens signed with a test stack's secret: `token(['SRE'], 'sam', { name: 'Sam', machine: false })`. */
export function tokensFor(
  secret: string,
  defaultSubject = 'alice',
): (roles: Role[], subject?: string, opts?: { machine?: boolean; name?: string }) => Promise<string> {
  return (roles, subject = defaultSubject, opts = {}) =>
    mintToken({ secret, subject, roles, machine: opts.machine ?? false, ...(opts.name ? { name: opts.name } : {}) });
}
