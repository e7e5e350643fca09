import { describe, expect, it } from 'vitest';
import { runRollbackBench } from '../src/deployment-rollback.js';

// Needs the real prometheus binary (Debian package prometheus, installed by .ci/run).
describe('deployment rollback benchmark', () => {
  it('runs end to end at a tiny size: every bad rollout rolled back, every good one promoted', async () => {
    const r = await runRollbackBench({ badRollouts: 2, intervalSeconds: 1, concurrentRollouts: 2, timeScale: 20 });
    expect(r.detections).toHaveLength(2);
    expect(r.detections.every((d) => Number.isFinite(d))).toBe(true);
    expect(r.rollbacks).toEqual([{ cause: 'ANALYSIS' }, { cause: 'ANALYSIS' }]);
    expect(r.concurrent).toMatchObject({ rollouts: 2, promoted: 2 });
  }, 120_000);
});
