import { LRUCache } from 'lru-cache';
import type { Identity } from './roles.js';
import type { TokenVerifier } from './token-verifier.js';

export interface TokenCacheOptions {
  /** Verified tokens kept, least recently used dropped first (default 10,000: about 10 MB at most). */
  maxEntries?: number;
  /** How long a verified token is trusted without checking it again, in ms (default 60 s); never past its `exp`. */
  maxAgeMs?: number;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
}

/** What a verifier reports besides the identity, so a cache knows how long the answer holds. */
export interface VerifiedToken {
  identity: Identity;
  /** The token's `exp` in ms since the epoch; undefined when it has none. */
  expiresAt?: number;
}

interface Entry {
  identity: Identity;
  validUntil: number;
}

/**
 * Remembers tokens `verify` accepted, so a caller's next requests (and the gateway's forwarded ones, verified again in
 * every subgraph) skip the signature check: an HS256 check through WebCrypto is a round trip to libuv's thread pool,
 * and a busy gateway spent more CPU on it than on planning the query. A token is trusted from the cache for at most
 * `maxAgeMs` and never past its `exp`; a refused token is never cached, so every refusal says why afresh.
 * A key removed from a JWKS stops being trusted within `maxAgeMs`.
 */
export function withTokenCache(
  verify: (token: string) => Promise<VerifiedToken>,
  opts: TokenCacheOptions = {},
): TokenVerifier {
  const maxAgeMs = opts.maxAgeMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const cache = new LRUCache<string, Entry>({ max: Math.max(1, opts.maxEntries ?? 10_000) });
  return {
    async verify(token) {
      const hit = cache.get(token);
      if (hit && hit.validUntil > now()) return copy(hit.identity);
      if (hit) cache.delete(token);
      const verified = await verify(token);
      const validUntil = Math.min(now() + maxAgeMs, verified.expiresAt ?? Number.POSITIVE_INFINITY);
      cache.set(token, { identity: copy(verified.identity), validUntil });
      return verified.identity;
    },
  };
}

/** Each caller gets its own copy: a resolver that changed its identity must not change the next request's. */
function copy(identity: Identity): Identity {
  return { ...identity, roles: [...identity.roles] };
}
