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
