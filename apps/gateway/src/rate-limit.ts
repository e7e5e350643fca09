import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { identityOf, sendGraphQLError } from '@flightdeck/subgraph';

export interface RateLimitSettings {
  /** Requests one identity (a token's subject) may make per window; 0 turns the limit off. */
  requests: number;
  /** Requests per window from one network address without a token; 0 turns that limit off. */
  anonymousRequests: number;
  windowSeconds: number;
}

export const defaultRateLimit: RateLimitSettings = { requests: 600, anonymousRequests: 120, windowSeconds: 60 };

/**
 * Per-identity rate limiting at the edge (rate-limiter-flexible, in this process's memory): a caller with a verified
 * token is counted by its subject, whatever address it comes from; an anonymous caller by its network address.
 * Mount it after `authenticate`, so a forged token is refused before it counts. Over the limit: HTTP 429 with
 * `Retry-After` and a GraphQL error coded RATE_LIMITED saying who, the limit and when to retry.
 */
export function rateLimit(settings: RateLimitSettings, logger?: Logger): RequestHandler {
  const perIdentity =
    settings.requests > 0
      ? new RateLimiterMemory({ points: settings.requests, duration: settings.windowSeconds })
      : undefined;
  const perAddress =
    settings.anonymousRequests > 0
      ? new RateLimiterMemory({ points: settings.anonymousRequests, duration: settings.windowSeconds })
      : undefined;
  return async (req, res, next) => {
    const identity = identityOf(res);
    const limiter = identity ? perIdentity : perAddress;
    if (!limiter) return next();
    const who = identity ? identity.subject : (req.socket.remoteAddress ?? 'unknown');
    try {
      const state = await limiter.consume(identity ? `subject:${identity.subject}` : `address:${who}`);
      res.setHeader('ratelimit-limit', String(limiter.points));
      res.setHeader('ratelimit-remaining', String(state.remainingPoints));
      next();
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) return next(refusal);
      const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      const limit = limiter.points;
      logger?.warn(
        { who, anonymous: !identity, limit, windowSeconds: settings.windowSeconds, retryAfter },
        'rate limit reached',
      );
      res.setHeader('retry-after', String(retryAfter));
      res.setHeader('ratelimit-limit', String(limit));
      res.setHeader('ratelimit-remaining', '0');
      const caller = identity ? identity.subject : `anonymous callers from ${who}`;
      sendGraphQLError(
        res,
        429,
        `Too many requests: ${caller} may make ${limit} requests per ${settings.windowSeconds} s; retry in ${retryAfter} s.${identity ? '' : ' With a token, requests count per person instead.'}`,
        'RATE_LIMITED',
        { retryAfterSeconds: retryAfter, limit, windowSeconds: settings.windowSeconds },
      );
    }
  };
}
