import { AuthenticationError } from './errors.js';
import type { Identity } from './roles.js';
import type { TokenVerifier } from './token-verifier.js';

/**
 * The identity of an `Authorization: Bearer <token>` header: undefined when there is no header (anonymous),
 * AuthenticationError when there is one but it is not a valid Bearer token.
 */
export async function identityFromRequest(
  authorization: string | string[] | undefined,
  verifier: TokenVerifier,
): Promise<Identity | undefined> {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  if (!match?.[1]) {
    throw new AuthenticationError("the Authorization header must be 'Bearer <token>'", 'malformed');
  }
  return verifier.verify(match[1]);
}
