import { GraphQLError } from 'graphql';

export type AuthFailure =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'bad_algorithm'
  | 'unknown_key'
  | 'jwks_unavailable'
  | 'bad_claims';

/**
 * A token was refused. It is a GraphQLError (code UNAUTHENTICATED, HTTP 401) so that thrown from an Apollo
 * context function or a resolver it reaches the client as is; `reason` says what was wrong for code and tests.
 */
export class AuthenticationError extends GraphQLError {
  override readonly name = 'AuthenticationError';
  constructor(
    message: string,
    readonly reason: AuthFailure,
  ) {
    super(message, { extensions: { code: 'UNAUTHENTICATED', reason, http: { status: 401 } } });
  }
}
