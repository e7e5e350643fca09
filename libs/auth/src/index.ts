export { ROLES, isRole, type Role, type Identity } from './roles.js';
export { AuthenticationError, type AuthFailure } from './errors.js';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './verifier.js';
export { withTokenCache, type TokenCacheOptions, type VerifiedToken } from './token-cache.js';
export { identityFromClaims } from './claims.js';
export { personOf, type Person } from './people.js';
export { identityFromRequest } from './request.js';
export { mintToken, DEFAULT_ISSUER, DEFAULT_AUDIENCE, type MintTokenOptions } from './mint.js';
export { localSecretFile, readLocalSecret, ensureLocalSecret } from './local-secret.js';
