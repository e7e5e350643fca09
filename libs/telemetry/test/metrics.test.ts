import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/index.js';

describe('createMetrics', () => {
  it('keeps services apart when several share one process (the embedded mode)', async () => {
    const planning = createMetrics({ service: 'planning' });
    const gates = createMetrics({ service: 'gates' });
    planning.httpRequestsTotal.inc({ method: 'GET', route: '/x', status: '200' });
    const p = await planning.registry.metrics();
    const g = await gates.registry.metrics();
    expect(p).toContain('http_requests_total{method="GET",route="/x",status="200",service="planning"} 1');
    expect(g).not.toContain('route="/x"');
    expect(g).toMatch(/^process_resident_memory_bytes\{service="gates"\} \d+/m);
  });
});
