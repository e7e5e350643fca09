import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, createTokenVerifier, mintToken, type AuthFailure } from '../src/index.js';

const secret = 'test-secret-that-is-at-least-32-characters-long';
const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });
const key = new TextEncoder().encode(secret);

async function refusal(token: string): Promise<{ message: string; reason: AuthFailure }> {
  try {
    await verifier.verify(token);
  } catch (err) {
    expect(err).toBeInstanceOf(AuthenticationError);
    const e = err as AuthenticationError;
    expect(e.extensions.code).toBe('UNAUTHENTICATED');
    return { message: e.message, reason: e.reason };
  }
  throw new Error('the token was accepted');
}

function signed(
  claims: Record<string, unknown>,
  opts: { exp?: number | string; iss?: string; aud?: string; alg?: string } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
    .setSubject('alice')
    .setIssuer(opts.iss ?? 'flightdeck')
    .setAudience(opts.aud ?? 'flightdeck')
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '1h')
    .sign(key);
}

describe('createTokenVerifier with an HS256 secret', () => {
  it('accepts a minted token and returns the identity', async () => {
    const token = await mintToken({
      secret,
      subject: 'alice',
      name: 'Alice Example',
      roles: ['RELEASE_MANAGER', 'SRE'],
    });
    expect(await verifier.verify(token)).toEqual({
      subject: 'alice',
      name: 'Alice Example',
      roles: ['RELEASE_MANAGER', 'SRE'],
      machine: false,
    });
  });

  it('treats CI tokens as machine identities', async () => {
    const token = await mintToken({ secret, subject: 'github-actions', roles: ['CI'] });
    expect(await verifier.verify(token)).toEqual({ subject: 'github-actions', roles: ['CI'], machine: true });
  });

  it('refuses an expired token, saying when it expired', async () => {
    const exp = Math.floor(Date.now() / 1000) - 120;
    const { message, reason } = await refusal(await signed({ roles: ['VIEWER'] }, { exp }));
    expect(reason).toBe('expired');
    expect(message).toBe(`token expired at ${new Date(exp * 1000).toISOString()}: get a new one`);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await mintToken({
      secret: 'another-secret-of-at-least-32-characters!!',
      subject: 'mallory',
      roles: ['RELEASE_MANAGER'],
    });
    expect(await refusal(token)).toEqual({
      reason: 'bad_signature',
      message: 'bad signature: the token was not signed with the key this service trusts',
    });
  });

  it('refuses a token for another audience or from another issuer', async () => {
    expect(await refusal(await mintToken({ secret, subject: 'alice', roles: ['SRE'], audience: 'billing' }))).toEqual({
      reason: 'wrong_audience',
      message: `wrong audience: the token is for "billing", this service expects 'flightdeck'`,
    });
    expect(
      await refusal(await mintToken({ secret, subject: 'alice', roles: ['SRE'], issuer: 'someone-else' })),
    ).toEqual({
      reason: 'wrong_issuer',
      message: `wrong issuer: the token was issued by "someone-else", this service expects 'flightdeck'`,
    });
  });

  it('refuses unknown roles and a missing roles claim, listing the known roles', async () => {
    const known =
      'RELEASE_MANAGER, TECHNICAL_LEAD, QA_LEAD, PRODUCT_OWNER, DEVELOPER, SRE, BUSINESS_STAKEHOLDER, SUPPORT_LEAD, VIEWER, CI';
    expect(await refusal(await signed({ roles: ['SRE', 'ADMIN'] }))).toEqual({
      reason: 'bad_claims',
      message: `unknown role 'ADMIN' (known: ${known})`,
    });
    expect(await refusal(await signed({}))).toEqual({
      reason: 'bad_claims',
      message: `token has no \`roles\` claim (expected an array of roles, known: ${known})`,
    });
    expect((await refusal(await signed({ roles: 'SRE' }))).message).toMatch(
      /^token claim `roles` must be an array of roles/,
    );
  });

  it('refuses other algorithms and malformed tokens', async () => {
    expect((await refusal(await signed({ roles: ['SRE'] }, { alg: 'HS512' }))).reason).toBe('bad_algorithm');
    expect(await refusal('not-a-jwt')).toEqual({
      reason: 'malformed',
      message: 'malformed token: expected a JWT (three base64url parts separated by dots)',
    });
    expect((await refusal('a.b.c')).reason).toBe('malformed');
    // An unsigned token ("alg": "none") is never an identity.
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ sub: 'mallory', roles: ['RELEASE_MANAGER'], iss: 'flightdeck', aud: 'flightdeck' }),
    ).toString('base64url');
    expect((await refusal(`${header}.${body}.`)).reason).toMatch(/bad_algorithm|malformed/);
  });

  it('needs exactly one of a secret or a JWKS URL', () => {
    expect(() => createTokenVerifier({})).toThrow(/exactly one of `secret`.*or `jwksUrl`/);
    expect(() => createTokenVerifier({ secret, jwksUrl: 'http://127.0.0.1:1/jwks' })).toThrow(/exactly one/);
  });
});
