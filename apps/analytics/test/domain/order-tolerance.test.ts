import { describe, expect, it } from 'vitest';
import { doraMetrics, releaseKpis } from '../../src/domain/index.js';
import { historyOf, project, Story } from './history-builder.js';

/** A deterministic shuffle (mulberry32), so a failure can be reproduced from its seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const window = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };

describe('projections are idempotent and order-tolerant', () => {
  const s = new Story()
    .release('r', '2026-03-01T00:00:00Z')
    .feature('r', 'f', 'IN_PROGRESS', '2026-03-02T00:00:00Z')
    .status('r', 'CODE_FREEZE', '2026-03-05T00:00:00Z')
    .rollout('r', 'a', '2026-03-06T00:00:00Z', { rolledBackAt: '2026-03-06T00:20:00Z' })
    .rollout('r', 'b', '2026-03-06T01:00:00Z', { succeededAt: '2026-03-06T02:00:00Z' })
    .incident('i', '2026-03-06T05:00:00Z', { resolvedAt: '2026-03-06T06:00:00Z' })
    .status('r', 'RELEASED', '2026-03-06T03:00:00Z');

  it('shuffled and duplicated delivery gives the same records and metrics as in-order delivery', () => {
    const inOrder = project(s.events);
    const expected = {
      dora: doraMetrics(historyOf(s.events), {}, window),
      kpis: releaseKpis(historyOf(s.events), {}, window),
    };
    expect(expected.dora.changeFailureRate).toMatchObject({ deployments: 2, failed: 2 });
    for (let seed = 1; seed <= 25; seed++) {
      const delivery = shuffled([...s.events, ...s.events.slice(0, 1 + (seed % s.events.length))], seed);
      expect(project(delivery)).toEqual(inOrder);
      expect({
        dora: doraMetrics(historyOf(delivery), {}, window),
        kpis: releaseKpis(historyOf(delivery), {}, window),
      }).toEqual(expected);
    }
  });

  it('a release whose version changed between events has the later one, whatever order they arrive in', () => {
    const renamed = new Story()
      .release('v', '2026-03-01T00:00:00Z', { version: '1.2.0' })
      .status('v', 'CODE_FREEZE', '2026-03-05T00:00:00Z', { version: '1.3.0' })
      .status('v', 'RELEASED', '2026-03-09T00:00:00Z', { version: '1.3.0' }).events;
    const records = project(renamed);
    for (let seed = 1; seed <= 10; seed++) {
      const delivery = shuffled([...renamed, renamed[0]!], seed);
      expect(project(delivery)).toEqual(records);
      expect(historyOf(delivery).releases.get('v')!.version).toBe('1.3.0');
    }
  });
});
