import { SignJWT, UnsecuredJWT, exportJWK, exportSPKI, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import type { Role } from '@flightdeck/auth';
import type { IdentityProvider } from './security-stack.js';

/** A token the identity provider really issues: RS256 with its key, for the stack's issuer and audience. */
export async function issuedToken(
  idp: IdentityProvider,
  subject: string,
  roles: Role[],
  claims: { expiresIn?: string | number; audience?: string; issuer?: string } = {},
): Promise<string> {
  return new SignJWT({ roles, ...(roles.includes('CI') ? { machine: true } : {}) })
    .setProtectedHeader({ alg: 'RS256', kid: idp.kid, typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(claims.issuer ?? 'flightdeck')
    .setAudience(claims.audience ?? 'flightdeck')
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '1h')
    .sign(idp.privateKey);
}

/** Tokens an attacker can make, each claiming a Release Manager; every one must be refused. */
export const ATTACKS = [
  'expired',
  'other audience',
  'other issuer',
  'alg none',
  'HS256, shared secret',
  'HS256, JWKS public key as secret',
  'known kid, forged signature',
  'unknown kid',
  'embedded jwk',
] as const;
export type Attack = (typeof ATTACKS)[number];

export async function forgedTokens(idp: IdentityProvider): Promise<Record<Attack, string>> {
  const claims = { roles: ['RELEASE_MANAGER'] as Role[] };
  const mallory = await generateKeyPair('RS256', { extractable: true });
  const forged = (header: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header })
      .setSubject('mallory')
      .setIssuer('flightdeck')
      .setAudience('flightdeck')
      .setIssuedAt()
      .setExpirationTime('1h');
  const hs256 = (secret: Uint8Array) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: idp.kid, typ: 'JWT' })
      .setSubject('mallory')
      .setIssuer('flightdeck')
      .setAudience('flightdeck')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);
  const publicPem = await exportSPKI((await importJWK(idp.publicJwk, 'RS256')) as CryptoKey);
  return {
    expired: await issuedToken(idp, 'mallory', ['RELEASE_MANAGER'], { expiresIn: Math.floor(Date.now() / 1000) - 300 }),
    'other audience': await issuedToken(idp, 'mallory', ['RELEASE_MANAGER'], { audience: 'billing' }),
    'other issuer': await issuedToken(idp, 'mallory', ['RELEASE_MANAGER'], { issuer: 'https://evil.example.com' }),
    'alg none': new UnsecuredJWT(claims)
      .setSubject('mallory')
      .setIssuer('flightdeck')
      .setAudience('flightdeck')
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode(),
    // The local-development secret a careless deployment might still trust; the gateway must take only its JWKS keys.
    'HS256, shared secret': await hs256(new TextEncoder().encode('e2e-secret-that-is-at-least-32-characters-long')),
    // The classic algorithm confusion: HMAC keyed with the public key everyone can fetch.
    'HS256, JWKS public key as secret': await hs256(new TextEncoder().encode(publicPem)),
    'known kid, forged signature': await forged({ kid: idp.kid }).sign(mallory.privateKey),
    'unknown kid': await forged({ kid: '../../../../dev/null' }).sign(mallory.privateKey),
    'embedded jwk': await forged({ kid: 'mallory', jwk: await exportJWK(mallory.publicKey) }).sign(mallory.privateKey),
  };
}
