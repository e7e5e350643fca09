/**
 * Token verification cost: jose's jwtVerify with an HS256 key (baseline) next to createTokenVerifier().verify
 * (the same check plus issuer/audience, claim validation and the Identity) with its cache off, on the same token, in
 * the same run; and the verifier as services use it, whose cache answers a token it has already accepted.
 */
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { jwtVerify } from 'jose';
import { createTokenVerifier, mintToken, type Identity } from '@flightdeck/auth';

export interface TokenVerifyResult {
  iterations: number;
  joseOpsPerSecond: number;
  /** createTokenVerifier with `cache: false`: every call checks the signature. */
  verifierOpsPerSecond: number;
  /** Uncached verifier throughput divided by raw jose throughput. */
  ratio: number;
  /** createTokenVerifier as services use it (cached), on the same token again and again. */
  cachedOpsPerSecond: number;
  /** What the last verification of each side found in the token: all must have read the same claims. */
  verified: { jose: { sub?: string; roles?: unknown }; verifier: Identity; cached: Identity };
}

async function opsPerSecond(iterations: number, fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return iterations / (Number(process.hrtime.bigint() - started) / 1e9);
}

export async function runTokenVerifyBench(opts: { iterations: number }): Promise<TokenVerifyResult> {
  const secret = 'bench-secret-of-at-least-32-characters!';
  const token = await mintToken({ secret, subject: 'alice', name: 'Alice', roles: ['RELEASE_MANAGER', 'SRE'] });
  const key = new TextEncoder().encode(secret);
  const verifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck', cache: false });
  const cachedVerifier = createTokenVerifier({ secret, issuer: 'flightdeck', audience: 'flightdeck' });
  let jose: { sub?: string; roles?: unknown } = {};
  let identity: Identity | undefined;
  let cachedIdentity: Identity | undefined;
  const raw = async () => (jose = (await jwtVerify(token, key, { algorithms: ['HS256'] })).payload);
  const ours = async () => (identity = await verifier.verify(token));
  const cached = async () => (cachedIdentity = await cachedVerifier.verify(token));
  // Warm-up both, then alternate the measurements so drift on a shared machine hits both alike.
  await opsPerSecond(Math.min(1000, opts.iterations), raw);
  await opsPerSecond(Math.min(1000, opts.iterations), ours);
  const half = Math.max(1, Math.floor(opts.iterations / 2));
  const jose1 = await opsPerSecond(half, raw);
  const ours1 = await opsPerSecond(half, ours);
  const jose2 = await opsPerSecond(half, raw);
  const ours2 = await opsPerSecond(half, ours);
  const joseOpsPerSecond = (jose1 + jose2) / 2;
  const verifierOpsPerSecond = (ours1 + ours2) / 2;
  const cachedOpsPerSecond = await opsPerSecond(half * 2, cached);
  return {
    iterations: half * 2,
    joseOpsPerSecond,
    verifierOpsPerSecond,
    ratio: verifierOpsPerSecond / joseOpsPerSecond,
    cachedOpsPerSecond,
    verified: { jose: { sub: jose.sub, roles: jose.roles }, verifier: identity!, cached: cachedIdentity! },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const program = new Command('token-verify')
    .description(
      'HS256 token verifications per second: raw jose jwtVerify next to createTokenVerifier().verify (cache off, then on), in the same run.',
    )
    .option('--iterations <n>', 'verifications per measurement', '50000')
    .parse();
  const o = program.opts<{ iterations: string }>();
  const r = await runTokenVerifyBench({ iterations: Number(o.iterations) });
  console.log(`jose jwtVerify (HS256)      ${r.joseOpsPerSecond.toFixed(0).padStart(8)} verifications/s`);
  console.log(
    `createTokenVerifier.verify  ${r.verifierOpsPerSecond.toFixed(0).padStart(8)} verifications/s   (cache: false)`,
  );
  console.log(`verifier / jose throughput: ${r.ratio.toFixed(2)}   (${r.iterations} verifications each)`);
  console.log(
    `cached, the same token      ${r.cachedOpsPerSecond.toFixed(0).padStart(8)} verifications/s   (what services use)`,
  );
}
