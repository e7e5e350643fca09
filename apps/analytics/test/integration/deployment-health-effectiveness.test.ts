import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, gql } from '@flightdeck/testing';
import { MIN_OUTCOMES } from '../../src/domain/index.js';
import { Story } from '../domain/history-builder.js';
import { startStack, type Stack } from './stack.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;
const MARCH = 'from: "2026-03-01T00:00:00Z", to: "2026-03-31T00:00:00Z"';

// Ids of this file only: the stream is shared with the other test files.
const u = randomUUID().slice(0, 8);
const product = `health-${u}`;
const rel = `rel-${u}`;
const ro = (n: number) => `ro${n}-${u}`;

/**
 * Deployment-health advice as deployment publishes it, and the outcomes of the rollouts it was about. The baseline
 * advised five times (four right), the AI twice (once right): the baseline gets a number, the AI too few outcomes.
 */
function history(): Story {
  const opts = { namespace: product, deployment: 'api' };
  return (
    new Story()
      .release(rel, '2026-03-01T00:00:00Z', { product, target: '2026-03-30T00:00:00Z' })
      // promoted, quiet: the baseline's PROMOTE right, the AI's too
      .rollout(rel, ro(1), '2026-03-02T10:00:00Z', { succeededAt: '2026-03-02T11:00:00Z' }, opts)
      .healthAdvice(rel, ro(1), 'PROMOTE', 'deterministic', '2026-03-02T10:30:00Z')
      .healthAdvice(rel, ro(1), 'PROMOTE', 'ai', '2026-03-02T10:31:00Z')
      // rolled back: ROLLBACK right, the AI's PROMOTE wrong
      .rollout(rel, ro(2), '2026-03-03T10:00:00Z', { rolledBackAt: '2026-03-03T10:40:00Z' }, opts)
      .healthAdvice(rel, ro(2), 'ROLLBACK', 'deterministic', '2026-03-03T10:30:00Z')
      .healthAdvice(rel, ro(2), 'PROMOTE', 'ai', '2026-03-03T10:31:00Z')
      // promoted, then an incident on it two hours later: PROMOTE wrong
      .rollout(rel, ro(3), '2026-03-04T10:00:00Z', { succeededAt: '2026-03-04T11:00:00Z' }, opts)
      .healthAdvice(rel, ro(3), 'PROMOTE', 'deterministic', '2026-03-04T10:30:00Z')
      .incident(`inc-${u}`, '2026-03-04T13:00:00Z', { rolloutId: ro(3), product })
      // failed and left in place: HOLD right
      .rollout(rel, ro(4), '2026-03-08T10:00:00Z', { failedAt: '2026-03-08T10:45:00Z' }, opts)
      .healthAdvice(rel, ro(4), 'HOLD', 'deterministic', '2026-03-08T10:30:00Z')
      // promoted, quiet: PROMOTE right
      .rollout(rel, ro(5), '2026-03-10T10:00:00Z', { succeededAt: '2026-03-10T11:00:00Z' }, opts)
      .healthAdvice(rel, ro(5), 'PROMOTE', 'deterministic', '2026-03-10T10:30:00Z')
  );
}

let stack: Stack;
let viewer: string;

beforeAll(async () => {
  stack = await startStack('health-advice', { now: () => new Date('2026-03-31T00:00:00Z') });
  viewer = await stack.token(['VIEWER'], 'val');
  // Newest first: the scores must not depend on the order the outcomes and the advice arrive in.
  for (const e of [...history().events].reverse()) await stack.bus.publish(e);
});

afterAll(async () => {
  await stack?.stop();
});

const QUERY = `{ aiEffectiveness(product: "${product}", ${MARCH}) {
  rows { metric kind source samples value target met }
  tooFewOutcomes { metric kind source samples minimum target message }
  minimumOutcomes formulas } }`;

describe('deployment-health advice scored through real NATS, MongoDB and the gateway', () => {
  it('gives the baseline its hit rate against the target and says the AI has too few outcomes', async () => {
    const ai = await eventually('the baseline’s five outcomes scored', async () => {
      const res = await gql<{ aiEffectiveness: Answer }>(stack.gatewayUrl, QUERY, {}, viewer);
      expect(res.errors).toBeUndefined();
      const a = res.data!.aiEffectiveness;
      return a.rows.some((r: Answer) => r.kind === 'deployment-health' && r.samples === 5) ? a : undefined;
    });
    expect(ai.minimumOutcomes).toBe(MIN_OUTCOMES);
    // 4 of 5 right is 0.8: the target is to do better than 80 %, so it is not met
    expect(ai.rows).toEqual([
      {
        metric: 'RISK_PREDICTION',
        kind: 'deployment-health',
        source: 'DETERMINISTIC',
        samples: 5,
        value: 0.8,
        target: 0.8,
        met: false,
      },
    ]);
    expect(ai.tooFewOutcomes).toContainEqual({
      metric: 'RISK_PREDICTION',
      kind: 'deployment-health',
      source: 'AI',
      samples: 2,
      minimum: MIN_OUTCOMES,
      target: 0.8,
      message: `too few outcomes: 2 of the ${MIN_OUTCOMES} a score needs`,
    });
    expect(ai.formulas.join('\n')).toMatch(
      /deployment-health = advice in the window that matched its finished rollout/,
    );
  });
});
