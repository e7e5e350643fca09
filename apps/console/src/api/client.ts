import { Client, fetchExchange, type CombinedError } from '@urql/core';

/** The gateway's GraphQL endpoint: the console is served by the gateway, so it is on the same origin. */
export const GRAPHQL_PATH = './graphql';

export function createApiClient(getToken: () => string | undefined): Client {
  return new Client({
    url: GRAPHQL_PATH,
    exchanges: [fetchExchange],
    // POST with a JSON body: Apollo's CSRF prevention refuses a GET without a preflight header.
    preferGetMethod: false,
    // Every view asks the API again when it opens: what others changed shows without a reload.
    requestPolicy: 'network-only',
    fetchOptions: () => {
      const token = getToken();
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      return { headers };
    },
  });
}

/** The API's own words: each GraphQL error's message, or what went wrong on the way. */
export function apiMessages(error: CombinedError): string[] {
  if (error.graphQLErrors.length) return error.graphQLErrors.map((e) => e.message);
  const response = error.response as { status?: number } | undefined;
  if (error.networkError)
    return [
      `The gateway could not be reached: ${error.networkError.message}${response?.status ? ` (HTTP ${response.status})` : ''}`,
    ];
  return [error.message];
}
