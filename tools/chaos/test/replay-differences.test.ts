import { describe, expect, it } from 'vitest';
import { differences } from '../src/replay.js';

describe('differences between the live and the replayed answers', () => {
  it('names each differing path with both values, and nothing when they are equal', () => {
    const live = {
      metrics: { doraMetrics: { changeFailureRate: { deployments: 4, failed: 1 } } },
      r1: { findings: ['a'] },
    };
    expect(differences(live, structuredClone(live))).toEqual([]);
    const replay = {
      metrics: { doraMetrics: { changeFailureRate: { deployments: 5, failed: 1 } } },
      r1: { findings: ['a', 'b'] },
    };
    expect(differences(live, replay)).toEqual([
      '.metrics.doraMetrics.changeFailureRate.deployments: live 4, replay 5',
      '.r1.findings.1: live undefined, replay "b"',
    ]);
  });
});
