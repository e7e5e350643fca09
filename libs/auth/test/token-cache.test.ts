import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  createTokenVerifier,
  mintToken,
  withTokenCache,
  type VerifiedToken,
} from '../src/index.js';

const secret = 'cache-test-secret-that-is-at-least-32-characters';
const start = Date.parse('2026-12-01T09:00:00Z');

/** A clock the test moves by hand. */
function manualClock() {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** The uncached verifier, counting how often a signature is really checked. */
function countingCheck(now: () => number) {
  const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck', cache: false, now });
  const counter = {
    checks: 0,
    async check(token: string): Promise<VerifiedToken> {
      counter.checks++;
      const identity = await verifier.verify(token);
      const exp = decodeJwt(token).exp;
      return { identity, ...(exp !== undefined ? { expiresAt: exp * 1000 } : {}) };
    },
  };
  return counter;
}

function tokenExpiringAt(expSeconds: number, subject = 'alice') {
  return new SignJWT({ roles: ['RELEASE_MANAGER'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer('flightdeck')
    .setAudience('flightdeck')
    .setIssuedAt(Math.floor(start / 1000))
    .setExpirationTime(expSeconds)
    .sign(new TextEncoder().encode(secret));
}

describe('withTokenCache', () => {
  it('checks a token once, then answers from the cache for maxAgeMs, then checks it again', async () => {
    const clock = manualClock();
    const counter = countingCheck(clock.now);
    const cached = withTokenCache(counter.check, { maxAgeMs: 60_000, now: clock.now });
    const token = await tokenExpiringAt(Math.floor(start / 1000) + 3600);

    for (let i = 0; i < 5; i++)
      expect(await cached.verify(token)).toEqual({ subject: 'alice', roles: ['RELEASE_MANAGER'], machine: false });
    expect(counter.checks).toBe(1);
    clock.advance(59_000);
    await cached.verify(token);
    expect(counter.checks).toBe(1);
    clock.advance(2_000);
    await cached.verify(token);
    expect(counter.checks).toBe(2);
  });

  it('never trusts a token from the cache past its exp: it is refused as expired', async () => {
    const clock = manualClock();
    const counter = countingCheck(clock.now);
    const cached = withTokenCache(counter.check, { maxAgeMs: 600_000, now: clock.now });
    const exp = Math.floor(start / 1000) + 120;
    const token = await tokenExpiringAt(exp);
    await cached.verify(token);
    clock.advance(121_000);
    const refusal = await cached.verify(token).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(AuthenticationError);
    expect((refusal as AuthenticationError).message).toBe(
      `token expired at ${new Date(exp * 1000).toISOString()}: get a new one`,
    );
    expect(counter.checks).toBe(2);
  });

  it('never caches a refused token: each attempt is checked and says why', async () => {
    const clock = manualClock();
    const counter = countingCheck(clock.now);
    const cached = withTokenCache(counter.check, { now: clock.now });
    const forged = await mintToken({
      secret: 'another-secret-of-at-least-32-characters!!',
      subject: 'mallory',
      roles: ['RELEASE_MANAGER'],
    });
    for (let i = 0; i < 3; i++) await expect(cached.verify(forged)).rejects.toThrow('bad signature');
    expect(counter.checks).toBe(3);
  });

  it('keeps at most maxEntries tokens, dropping the least recently used', async () => {
    const clock = manualClock();
    const counter = countingCheck(clock.now);
    const cached = withTokenCache(counter.check, { maxEntries: 2, now: clock.now });
    const exp = Math.floor(start / 1000) + 3600;
    const [a, b, c] = await Promise.all([
      tokenExpiringAt(exp, 'a'),
      tokenExpiringAt(exp, 'b'),
      tokenExpiringAt(exp, 'c'),
    ]);
    await cached.verify(a);
    await cached.verify(b);
    await cached.verify(a); // a is now the most recently used
    await cached.verify(c); // drops b
    expect(counter.checks).toBe(3);
    await cached.verify(a);
    expect(counter.checks).toBe(3);
    await cached.verify(b);
    expect(counter.checks).toBe(4);
  });

  it('gives every caller its own identity: changing one does not change the next', async () => {
    const clock = manualClock();
    const cached = withTokenCache(countingCheck(clock.now).check, { now: clock.now });
    const token = await tokenExpiringAt(Math.floor(start / 1000) + 3600);
    const first = await cached.verify(token);
    first.roles.push('SRE');
    first.subject = 'mallory';
    expect(await cached.verify(token)).toEqual({ subject: 'alice', roles: ['RELEASE_MANAGER'], machine: false });
  });
});

describe('createTokenVerifier with its cache', () => {
  it('refuses a token it accepted once its exp has passed', async () => {
    const clock = manualClock();
    const verifier = createTokenVerifier({
      secret,
      issuer: 'flightdeck',
      audience: 'flightdeck',
      cache: { maxAgeMs: 600_000 },
      now: clock.now,
    });
    const exp = Math.floor(start / 1000) + 30;
    const token = await tokenExpiringAt(exp);
    expect((await verifier.verify(token)).subject).toBe('alice');
    clock.advance(31_000);
    await expect(verifier.verify(token)).rejects.toThrow(`token expired at ${new Date(exp * 1000).toISOString()}`);
  });
});
