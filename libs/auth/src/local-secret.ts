import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The HS256 secret of the embedded stack (`npm start`), kept in its data directory so tokens stay valid across
 * restarts and `npm run mint-token` signs with the same one. Local use only: production sets AUTH_JWT_SECRET or
 * AUTH_JWKS_URL.
 */
export function localSecretFile(dataDir: string): string {
  return join(resolve(dataDir), 'jwt-secret');
}

/** The stack's secret, or undefined when the stack has not written one there yet. */
export function readLocalSecret(dataDir: string): string | undefined {
  const file = localSecretFile(dataDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** The stack's secret, generated (32 random bytes, hex) and written on first use. */
export function ensureLocalSecret(dataDir: string): string {
  const existing = readLocalSecret(dataDir);
  if (existing) return existing;
  mkdirSync(resolve(dataDir), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(localSecretFile(dataDir), `${secret}\n`, { mode: 0o600 });
  return secret;
}
