import { describe, expect, it } from 'vitest';
import { runAlertBench } from '../src/alert-rollback.js';

// Needs the real prometheus and prometheus-alertmanager binaries (Debian packages, installed by .ci/run).
describe('alert rollback benchmark', () => {
  it('runs end to end at a tiny size: alerted rollouts rolled back for the alert, the others by analysis', async () => {
    const r = await runAlertBench({ alerted: 2, analysed: 2, intervalSeconds: 2, timeScale: 20 });
    expect(r.alert.samples).toHaveLength(2);
    expect(r.analysis.samples).toHaveLength(2);
    expect(
      [...r.alert.samples, ...r.analysis.samples, ...r.alertmanager.samples].every((s) => Number.isFinite(s) && s >= 0),
    ).toBe(true);
    expect(r.causes).toEqual({ alert: ['ALERT', 'ALERT'], analysis: ['ANALYSIS', 'ANALYSIS'] });
  }, 180_000);
});
