import { describe, expect, it } from 'vitest';
import { runTokenVerifyBench } from '../src/token-verify.js';

describe('token-verify benchmark', () => {
  it('runs end to end at a tiny size, every side reading the same claims from the token', async () => {
    const result = await runTokenVerifyBench({ iterations: 20 });
    expect(result.iterations).toBe(20);
    expect(result.verified).toEqual({
      jose: { sub: 'alice', roles: ['RELEASE_MANAGER', 'SRE'] },
      verifier: { subject: 'alice', name: 'Alice', roles: ['RELEASE_MANAGER', 'SRE'], machine: false },
      cached: { subject: 'alice', name: 'Alice', roles: ['RELEASE_MANAGER', 'SRE'], machine: false },
    });
  });
});
