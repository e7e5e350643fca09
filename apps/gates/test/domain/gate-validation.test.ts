import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/domain/index.js';
import { gateValidationBaseline } from '../../src/domain/gate-validation.js';
import { benchmark, evidenceFrom, input, template } from './helpers.js';

describe('quality-gate validation baseline', () => {
  it('gives PASS / FAIL / CONDITIONAL per criterion with the risks of proceeding', async () => {
    const e = evaluateGate(
      input(template('ALPHA'), {
        upstream: { FEATURE_COMPLETE: 'PASS' },
        evidence: [
          await evidenceFrom('JUNIT', 'jest-junit.xml'),
          await evidenceFrom('SARIF', 'trivy-alpine-310.sarif'),
          benchmark({ p95_latency_ms: 300 }),
        ],
      }),
    );
    const v = gateValidationBaseline(e);
    expect(v.verdict).toBe('FAIL');
    expect(Object.fromEntries(v.criteria.map((c) => [c.criterionId, c.verdict]))).toEqual({
      'feature-complete-passed': 'PASS',
      'system-tests': 'FAIL',
      benchmarks: 'PASS',
      'security-scan': 'PASS',
      'security-warnings': 'PASS',
    });
    expect(v.risksOfProceeding[0]).toMatch(/^System tests done and passing: a hard criterion not met: /);
    expect(v.risksOfProceeding.at(-1)).toBe('proceeding without the sign-off of QA_LEAD, TECHNICAL_LEAD');
  });
});
