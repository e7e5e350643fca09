import { describe, expect, it } from 'vitest';
import {
  baselineHealth,
  createRollout,
  newRun,
  recordCheck,
  recordMeasurements,
  validationChecklist,
  withAdvice,
  type Rollout,
} from '../../src/domain/index.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const metric = {
  name: 'errors',
  query: 'q',
  failureCondition: 'result > 0.05',
  intervalSeconds: 1,
  count: 1,
  failureLimit: 0,
  inconclusiveLimit: 0,
  weight: 1,
};

describe('deployment-health advice', () => {
  it('has the analysis verdict as its offline baseline', () => {
    const failed = recordMeasurements(
      newRun('r1', 1, [metric], {}, { pass: 90, warning: 75 }, t0),
      { errors: { ok: true, value: 0.3 } },
      t0,
    );
    expect(baselineHealth(failed).recommendation).toBe('ROLLBACK');
    const passed = recordMeasurements(
      newRun('r2', 1, [metric], {}, { pass: 90, warning: 75 }, t0),
      { errors: { ok: true, value: 0.01 } },
      t0,
    );
    expect(baselineHealth(passed).recommendation).toBe('PROMOTE');
    const unknown = recordMeasurements(
      newRun('r3', 1, [metric], {}, { pass: 90, warning: 75 }, t0),
      { errors: { ok: false, reason: 'no data' } },
      t0,
    );
    expect(baselineHealth(unknown).recommendation).toBe('HOLD');
  });

  it('records disagreeing advice on the run and says the verdict stands, changing nothing else', () => {
    const base = createRollout(
      {
        id: 'ro',
        releaseId: 'rel',
        environment: 'production',
        target: { cluster: '', namespace: 'ns', deployment: 'web', container: 'app' },
        image: 'web:2',
        strategy: 'CANARY',
        createdBy: { subject: 'sam', name: 'sam' },
      },
      { image: 'web:1', replicas: 2 },
      t0,
    );
    const run = recordMeasurements(
      newRun('run-1', 1, [metric], {}, { pass: 90, warning: 75 }, t0),
      { errors: { ok: true, value: 0.3 } },
      t0,
    );
    const r: Rollout = { ...base, phase: 'ROLLING_BACK', analysisRuns: [run] };
    const advised = withAdvice(
      r,
      'run-1',
      { recommendation: 'PROMOTE', rationale: 'looks fine', source: 'AI', confidence: 0.9, predictionId: 'p1' },
      t0,
    );
    expect(advised.analysisRuns[0]!.advice?.recommendation).toBe('PROMOTE');
    expect(advised.phase).toBe('ROLLING_BACK');
    expect(advised.decisions.at(-1)?.message).toMatch(
      /the AI advisor recommends PROMOTE .* differs from the analysis verdict FAILED, which stands/,
    );
    expect(withAdvice(r, 'no-such-run', advised.analysisRuns[0]!.advice!, t0)).toBe(r);
  });
});

describe('post-deployment validation checklist', () => {
  it('starts at promotion with immediate checks due in 2 h and extended ones in 8 h, and records each by a person', () => {
    const checks = validationChecklist(t0);
    expect(checks.filter((c) => c.window === 'IMMEDIATE').every((c) => c.dueAt === '2026-01-01T02:00:00.000Z')).toBe(
      true,
    );
    expect(checks.filter((c) => c.window === 'EXTENDED').every((c) => c.dueAt === '2026-01-01T08:00:00.000Z')).toBe(
      true,
    );
    expect(checks.filter((c) => c.window === 'BUSINESS').every((c) => c.dueAt === '2026-01-02T00:00:00.000Z')).toBe(
      true,
    );
    expect(checks.map((c) => c.window).filter((w, i, all) => all.indexOf(w) === i)).toEqual([
      'IMMEDIATE',
      'EXTENDED',
      'BUSINESS',
    ]);
    expect(checks).toHaveLength(15);
    const base = createRollout(
      {
        id: 'ro',
        releaseId: 'rel',
        environment: 'production',
        target: { cluster: '', namespace: 'ns', deployment: 'web', container: 'app' },
        image: 'web:2',
        strategy: 'CANARY',
        createdBy: { subject: 'sam', name: 'sam' },
      },
      { image: 'web:1', replicas: 2 },
      t0,
    );
    expect(() => recordCheck(base, 'logs-clean', true, { subject: 'qa', name: 'qa' }, '', t0)).toThrow(
      /starts when a rollout is promoted/,
    );
    const promoted: Rollout = { ...base, phase: 'PROMOTED', validation: checks };
    const late = new Date('2026-01-01T03:00:00Z');
    const r = recordCheck(
      promoted,
      'logs-clean',
      false,
      { subject: 'qa-quinn', name: 'qa-quinn' },
      'new NullPointerException in checkout',
      late,
    );
    expect(r.validation!.find((c) => c.id === 'logs-clean')).toMatchObject({ status: 'FAILED', by: 'qa-quinn' });
    expect(r.decisions.at(-1)?.message).toMatch(
      /qa-quinn marked "Logs show no new errors or warnings" FAILED \(after its due time 2026-01-01T02:00:00.000Z\): new NullPointerException/,
    );
    expect(() => recordCheck(promoted, 'nope', true, { subject: 'qa', name: 'qa' }, '', t0)).toThrow(
      /"nope" is not on the checklist; it has: health-checks, error-rate-latency/,
    );
    expect(() => recordCheck(promoted, 'logs-clean', false, { subject: 'qa', name: 'qa' }, ' ', t0)).toThrow(
      /say what failed/,
    );
  });
});
