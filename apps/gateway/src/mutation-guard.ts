import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Identity } from '@flightdeck/auth';

/**
 * Anonymous callers may read but not write: a mutation without a valid token is refused at the
 * edge (HTTP 401, UNAUTHENTICATED) before any subgraph is called. Roles are checked by the subgraphs.
 */
export function mutationsNeedIdentity<T extends { identity?: Identity }>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation' || contextValue.identity) return;
          throw new GraphQLError(
            'Mutations need a valid token: send "Authorization: Bearer <token>" (for local use mint one with `npm run mint-token -- --user <name> --roles <ROLE,...>`).',
            { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } },
          );
        },
      };
    },
  };
}
