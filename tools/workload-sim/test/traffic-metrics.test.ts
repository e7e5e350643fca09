import { describe, expect, it } from 'vitest';
import { builtInDefault, TrafficMetrics } from '../src/index.js';

/** The buckets of one pod's request-duration histogram, by `le`, from the exposition text. */
function buckets(text: string): Record<string, number> {
  return Object.fromEntries(
    [...text.matchAll(/^http_request_duration_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\S+)$/gm)].map((m) => [
      m[1]!,
      Number(m[2]),
    ]),
  );
}

describe('the traffic of simulated pods as Prometheus metrics', () => {
  it('counts a new pod’s first requests into the buckets its latency puts them in, not one of them above 5 s', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const traffic = new TrafficMetrics({ now: () => new Date(now) });
    traffic.podReady(
      { uid: 'u1', namespace: 'shop', deployment: 'web', pod: 'web-1', version: '1.0.0' },
      { ...builtInDefault, rps: 20, p99Seconds: 0.25 },
    );
    now += 1000; // 20 requests
    const first = buckets(await traffic.text());
    expect(first['+Inf']).toBe(20);
    // A p99 of 0.25 s: none of 20 requests takes 1 s or more, so every bucket from 1 s up holds all 20.
    for (const le of ['1', '1.5', '2', '2.5', '5', '10']) expect(first[le], `le=${le}`).toBe(20);
    now += 1000;
    const second = buckets(await traffic.text());
    expect(second['+Inf']! - first['+Inf']!).toBe(20);
    expect(second['5']! - first['5']!).toBe(20);
  });
});
