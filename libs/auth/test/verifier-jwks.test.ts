import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, createTokenVerifier, mintToken } from '../src/index.js';

// A local identity provider: a real HTTP server publishing a JWKS, as Keycloak or Auth0 would.
let server: Server;
let jwksUrl: string;
let signingKey: CryptoKey;
let requests = 0;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  signingKey = privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    requests++;
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function rs256(key: CryptoKey, kid: string, claims: Record<string, unknown> = { roles: ['QA_LEAD'] }) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid })
    .setSubject('quinn')
    .setIssuer('https://idp.example')
    .setAudience('flightdeck')
    .setExpirationTime('10m')
    .sign(key);
}

async function reasonOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthenticationError);
  return `${(err as AuthenticationError).reason}: ${(err as AuthenticationError).message}`;
}

describe('createTokenVerifier with a JWKS URL (createRemoteJWKSet)', () => {
  it('verifies a token signed by a key of the JWKS', async () => {
    const verifier = createTokenVerifier({ jwksUrl, issuer: 'https://idp.example', audience: 'flightdeck' });
    const before = requests;
    expect(await verifier.verify(await rs256(signingKey, 'key-1'))).toEqual({
      subject: 'quinn',
      roles: ['QA_LEAD'],
      machine: false,
    });
    expect(await verifier.verify(await rs256(signingKey, 'key-1', { roles: ['CI'] }))).toMatchObject({
      roles: ['CI'],
      machine: true,
    });
    expect(requests - before).toBe(1);
  });

  it('refuses a token signed by a key that is not in the JWKS', async () => {
    const verifier = createTokenVerifier({ jwksUrl, audience: 'flightdeck' });
    const other = (await generateKeyPair('RS256')).privateKey;
    expect(await reasonOf(verifier.verify(await rs256(other, 'key-1')))).toBe(
      'bad_signature: bad signature: the token was not signed with the key this service trusts',
    );
    expect(await reasonOf(verifier.verify(await rs256(other, 'key-unknown')))).toMatch(
      /^unknown_key: no key of the JWKS matches the token/,
    );
  });

  it('refuses an HS256 token minted with a shared secret', async () => {
    const verifier = createTokenVerifier({ jwksUrl });
    const token = await mintToken({ secret: 'x'.repeat(32), subject: 'mallory', roles: ['RELEASE_MANAGER'] });
    expect(await reasonOf(verifier.verify(token))).toMatch(/^bad_algorithm: token algorithm not allowed/);
  });

  it('refuses a token for another audience', async () => {
    const verifier = createTokenVerifier({ jwksUrl, audience: 'gates' });
    expect(await reasonOf(verifier.verify(await rs256(signingKey, 'key-1')))).toBe(
      `wrong_audience: wrong audience: the token is for "flightdeck", this service expects 'gates'`,
    );
  });

  it('says so when the JWKS cannot be fetched', async () => {
    const verifier = createTokenVerifier({ jwksUrl: jwksUrl.replace('/.well-known/jwks.json', '/missing') });
    expect(await reasonOf(verifier.verify(await rs256(signingKey, 'key-1')))).toMatch(
      /^jwks_unavailable: cannot check the token: the JWKS at http:\/\/127\.0\.0\.1:\d+\/missing could not be fetched/,
    );
    const closedPort = createServer();
    await new Promise<void>((resolve) => closedPort.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closedPort.address() as AddressInfo).port}/jwks`;
    await new Promise((resolve) => closedPort.close(resolve));
    const down = createTokenVerifier({ jwksUrl: deadUrl });
    expect(await reasonOf(down.verify(await rs256(signingKey, 'key-1')))).toMatch(
      /^jwks_unavailable: cannot check the token: the JWKS at .* could not be fetched \(fetch failed\)/,
    );
  });
});
