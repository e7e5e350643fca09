import { describe, expect, it } from 'vitest';
import { resolvePrediction, summariseAccuracy, type Prediction } from '../src/index.js';

const at = new Date('2025-01-01T00:00:00Z');
const prediction = (
  id: string,
  kind: Prediction['kind'],
  source: Prediction['source'],
  value: unknown,
): Prediction => ({
  id,
  kind,
  subject: `release-${id}`,
  value,
  confidence: 0.7,
  source,
  at,
});

describe('prediction accuracy', () => {
  it('scores numbers by error ratio within the 15% tolerance', () => {
    expect(resolvePrediction(prediction('a', 'timeline-risk', 'ai', 10), 11)).toMatchObject({
      hit: true,
      errorRatio: 1 / 11,
    });
    expect(resolvePrediction(prediction('b', 'timeline-risk', 'ai', 10), 20)).toMatchObject({
      hit: false,
      errorRatio: 0.5,
    });
    expect(resolvePrediction(prediction('c', 'timeline-risk', 'ai', 10), 20, { tolerance: 0.5 }).hit).toBe(true);
    expect(resolvePrediction(prediction('d', 'timeline-risk', 'ai', 0), 0)).toMatchObject({ hit: true, errorRatio: 0 });
    expect(resolvePrediction(prediction('e', 'timeline-risk', 'ai', 3), 0)).toMatchObject({
      hit: false,
      errorRatio: 1,
    });
  });

  it('scores anything else by deep equality', () => {
    const resolved = resolvePrediction(prediction('f', 'readiness', 'deterministic', { verdict: 'PASS' }), {
      verdict: 'PASS',
    });
    expect(resolved).toEqual({
      predictionId: 'f',
      kind: 'readiness',
      subject: 'release-f',
      source: 'deterministic',
      predicted: { verdict: 'PASS' },
      actual: { verdict: 'PASS' },
      hit: true,
    });
    expect(resolvePrediction(prediction('g', 'readiness', 'ai', 'PASS'), 'FAIL').hit).toBe(false);
  });

  it('summarises hit rate and mean error ratio per kind and source', () => {
    const summary = summariseAccuracy([
      resolvePrediction(prediction('1', 'timeline-risk', 'ai', 10), 10),
      resolvePrediction(prediction('2', 'timeline-risk', 'ai', 10), 20),
      resolvePrediction(prediction('3', 'timeline-risk', 'deterministic', 10), 8),
      resolvePrediction(prediction('4', 'readiness', 'ai', 'PASS'), 'PASS'),
    ]);
    expect(summary).toEqual([
      { kind: 'readiness', source: 'ai', resolved: 1, hits: 1, hitRate: 1 },
      { kind: 'timeline-risk', source: 'ai', resolved: 2, hits: 1, hitRate: 0.5, meanErrorRatio: 0.25 },
      { kind: 'timeline-risk', source: 'deterministic', resolved: 1, hits: 0, hitRate: 0, meanErrorRatio: 0.25 },
    ]);
    expect(summariseAccuracy([])).toEqual([]);
  });
});
