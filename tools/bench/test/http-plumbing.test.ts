import { describe, expect, it } from 'vitest';
import { runHttpPlumbingBench } from '../src/http-plumbing.js';

describe('http-plumbing benchmark', () => {
  it('runs end to end at a tiny size with every request answered with the release, on both apps', async () => {
    const result = await runHttpPlumbingBench({ durationSeconds: 1, connections: 2 });
    for (const side of [result.bare, result.telemetry]) {
      expect(side.requests.total).toBeGreaterThan(0);
      expect({ non2xx: side.non2xx, errors: side.errors, wrongBodies: side.mismatches }).toEqual({
        non2xx: 0,
        errors: 0,
        wrongBodies: 0,
      });
    }
  });
});
