import { describe, expect, it } from 'vitest';
import { runTokenVerifyBench } from '../src/token-verify.js';

describe('token-verify benchmark', () => {
  it('runs end to end at a tiny size', async () => {
    const result = await runTokenVerifyBench({ iterations: 20 });
    expect(result.iterations).toBe(20);
    expect(result.joseOpsPerSecond).toBeGreaterThan(0);
    expect(result.verifierOpsPerSecond).toBeGreaterThan(0);
    expect(result.ratio).toBeGreaterThan(0);
  });
});
