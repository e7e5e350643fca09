import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { identityFromClaims } from './claims.js';
import { AuthenticationError } from './errors.js';
import { withTokenCache, type TokenCacheOptions, type VerifiedToken } from './token-cache.js';
import type { TokenVerifier } from './token-verifier.js';

export interface TokenVerifierOptions {
  /** HS256 shared secret (local use). */
  secret?: string;
  /** JWKS URL of the identity provider (production). */
  jwksUrl?: string;
  /** Expected `iss`; not checked when omitted. */
  issuer?: string;
  /** Expected `aud`; not checked when omitted. */
  audience?: string;
  /**
   * Accepted tokens are remembered (see token-cache.ts) so the next request with the same token skips the signature
   * check; `false` checks every time. Default: 10,000 tokens, each trusted for 60 s at most and never past its `exp`.
   */
  cache?: Omit<TokenCacheOptions, 'now'> | false;
  /** The clock, in ms since the epoch (tests); default Date.now. */
  now?: () => number;
}

export type { TokenVerifier };

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Verifies JWTs with an HS256 secret or the keys of a JWKS URL, and turns them into an Identity. */
export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  if (!opts.secret === !opts.jwksUrl) {
    throw new Error('createTokenVerifier needs exactly one of `secret` (HS256, local use) or `jwksUrl` (production)');
  }
  // The HS256 key is imported into WebCrypto once; given as bytes, jose would import it again for every token.
  const key: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey = opts.secret
    ? webcrypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(opts.secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      )
    : createRemoteJWKSet(new URL(opts.jwksUrl as string), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  const algorithms = opts.secret ? ['HS256'] : ASYMMETRIC;
  const now = opts.now ?? Date.now;

  async function verifyToken(token: string): Promise<VerifiedToken> {
    if (typeof token !== 'string' || token.split('.').length !== 3) {
      throw new AuthenticationError(
        'malformed token: expected a JWT (three base64url parts separated by dots)',
        'malformed',
      );
    }
    try {
      const checks = {
        algorithms,
        currentDate: new Date(now()),
        ...(opts.issuer !== undefined ? { issuer: opts.issuer } : {}),
        ...(opts.audience !== undefined ? { audience: opts.audience } : {}),
      };
      const { payload } =
        typeof key === 'function' ? await jwtVerify(token, key, checks) : await jwtVerify(token, await key, checks);
      return {
        identity: identityFromClaims(payload),
        ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
      };
    } catch (err) {
      throw toAuthenticationError(err, opts);
    }
  }

  if (opts.cache === false) return { verify: async (token) => (await verifyToken(token)).identity };
  return withTokenCache(verifyToken, { ...opts.cache, now });
}

function shownClaim(value: unknown): string {
  return value === undefined ? 'none' : JSON.stringify(value);
}

function toAuthenticationError(err: unknown, opts: TokenVerifierOptions): AuthenticationError {
  if (err instanceof AuthenticationError) return err;
  if (err instanceof errors.JWTExpired) {
    const exp =
      typeof err.payload.exp === 'number' ? new Date(err.payload.exp * 1000).toISOString() : 'an unknown time';
    return new AuthenticationError(`token expired at ${exp}: get a new one`, 'expired');
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') {
      return new AuthenticationError(
        `wrong audience: the token is for ${shownClaim(err.payload.aud)}, this service expects '${opts.audience}'`,
        'wrong_audience',
      );
    }
    if (err.claim === 'iss') {
      return new AuthenticationError(
        `wrong issuer: the token was issued by ${shownClaim(err.payload.iss)}, this service expects '${opts.issuer}'`,
        'wrong_issuer',
      );
    }
    if (err.claim === 'nbf') {
      const nbf = typeof err.payload.nbf === 'number' ? new Date(err.payload.nbf * 1000).toISOString() : 'later';
      return new AuthenticationError(`token not valid before ${nbf}`, 'not_yet_valid');
    }
    return new AuthenticationError(`token claim \`${err.claim}\` is invalid: ${err.reason}`, 'bad_claims');
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthenticationError(
      'bad signature: the token was not signed with the key this service trusts',
      'bad_signature',
    );
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new AuthenticationError(
      `token algorithm not allowed: this service accepts ${opts.secret ? 'HS256' : 'asymmetric algorithms from its JWKS'}`,
      'bad_algorithm',
    );
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return new AuthenticationError(
      'no key of the JWKS matches the token (`kid`/`alg`): it was signed by an unknown key',
      'unknown_key',
    );
  }
  if (
    opts.jwksUrl &&
    (err instanceof errors.JWKSTimeout ||
      err instanceof errors.JWKSInvalid ||
      isGenericJose(err) ||
      isFetchFailure(err))
  ) {
    return new AuthenticationError(
      `cannot check the token: the JWKS at ${opts.jwksUrl} could not be fetched (${(err as Error).message})`,
      'jwks_unavailable',
    );
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported) {
    return new AuthenticationError(`malformed token: ${(err as Error).message}`, 'malformed');
  }
  return new AuthenticationError(`token refused: ${err instanceof Error ? err.message : String(err)}`, 'malformed');
}

/** jose reports a non-200 JWKS response as a plain JOSEError. */
function isGenericJose(err: unknown): boolean {
  return err instanceof errors.JOSEError && err.code === 'ERR_JOSE_GENERIC';
}

function isFetchFailure(err: unknown): boolean {
  return err instanceof TypeError && /fetch/i.test(err.message);
}
