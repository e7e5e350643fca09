import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/index.js';

describe('backoff', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000 };
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(policy, a))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
  it("waits at least as long as the receiver's Retry-After, within the cap", () => {
    expect(backoffDelay(policy, 1, 7000)).toBe(7000);
    expect(backoffDelay(policy, 1, 60_000)).toBe(10_000);
  });
});
