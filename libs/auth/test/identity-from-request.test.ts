import { describe, expect, it } from 'vitest';
import { AuthenticationError, createTokenVerifier, identityFromRequest, mintToken } from '../src/index.js';

const secret = 'guards-test-secret-at-least-32-characters';
const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });

describe('identityFromRequest', () => {
  it('is undefined without an Authorization header, the identity for a valid Bearer token', async () => {
    expect(await identityFromRequest(undefined, verifier)).toBeUndefined();
    expect(await identityFromRequest('', verifier)).toBeUndefined();
    const token = await mintToken({ secret, subject: 'alice', roles: ['SRE'] });
    expect(await identityFromRequest(`Bearer ${token}`, verifier)).toEqual({
      subject: 'alice',
      roles: ['SRE'],
      machine: false,
    });
    expect(await identityFromRequest(`bearer  ${token} `, verifier)).toMatchObject({ subject: 'alice' });
  });

  it('throws AuthenticationError for a header that is not a valid Bearer token', async () => {
    await expect(identityFromRequest('Basic YWxpY2U6cHc=', verifier)).rejects.toThrow(
      new AuthenticationError("the Authorization header must be 'Bearer <token>'", 'malformed'),
    );
    await expect(identityFromRequest('Bearer nonsense', verifier)).rejects.toBeInstanceOf(AuthenticationError);
  });
});
