import type { RequestHandler, Response } from 'express';
import { AuthenticationError, identityFromRequest, type Identity, type TokenVerifier } from '@flightdeck/auth';
import { sendGraphQLError } from './graphql-error-response.js';

/**
 * Express middleware: verifies the Bearer token of the request (if any) and keeps the identity
 * in `res.locals.identity`. A bad or expired token is refused with HTTP 401 and a GraphQL error
 * coded UNAUTHENTICATED; a request without a token goes on as anonymous.
 */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    let identity: Identity | undefined;
    try {
      identity = await identityFromRequest(req.headers.authorization, verifier);
    } catch (error) {
      const reason = error instanceof AuthenticationError ? error.reason : 'malformed';
      const message = error instanceof Error ? error.message : String(error);
      if (reason === 'jwks_unavailable') {
        // Not the caller's fault: the identity provider's keys could not be fetched.
        sendGraphQLError(res, 503, `Cannot authenticate right now: ${message}`, 'SERVICE_UNAVAILABLE', { reason });
        return;
      }
      res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
      sendGraphQLError(
        res,
        401,
        `Authentication failed: ${message}. Send a valid token as "Authorization: Bearer <token>", or no token to act anonymously.`,
        'UNAUTHENTICATED',
        { reason },
      );
      return;
    }
    res.locals.identity = identity;
    next();
  };
}

/** The identity `authenticate` found for this request, or undefined for an anonymous caller. */
export function identityOf(res: Response): Identity | undefined {
  return res.locals.identity as Identity | undefined;
}
