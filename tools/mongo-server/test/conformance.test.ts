/**
 * MongoDB's own CRUD specification tests (unified format, test/fixtures/mongodb-crud) through the
 * official driver against the embedded server, or against MONGODB_URI when set.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ConformanceSummary, runConformance } from '../src/conformance/runner.js';

const fixtures = fileURLToPath(new URL('./fixtures/mongodb-crud', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('MongoDB CRUD unified spec tests', () => {
  let summary: ConformanceSummary;

  it('passes every case that is not skipped', async () => {
    summary = await runConformance(fixtures, { timeoutMs: 15_000 });
    const failures = summary.results
      .filter((r) => r.status === 'failed')
      .map((r) => `${r.file}: ${r.description}\n  ${r.reason}`);
    expect(failures).toEqual([]);
    expect(summary.results.length).toBe(122);
    expect(summary.passed + summary.skipped).toBe(summary.results.length);
  }, 120_000);

  it('skips at most 10% of the cases, each for a named requirement or unsupported feature', () => {
    expect(summary).toBeDefined();
    const skipped = summary.results.filter((r) => r.status === 'skipped');
    expect(skipped.length / summary.results.length).toBeLessThanOrEqual(0.1);
    for (const s of skipped)
      expect(s.reason).toMatch(/^(runOnRequirements not met: .+|needs .+, which (is|are) not supported)$/);
  });

  it('lists every skipped case with its reason in the README', async () => {
    expect(summary).toBeDefined();
    const text = await readFile(readme, 'utf8');
    const section = text.slice(text.indexOf('## Conformance'));
    for (const s of summary.results.filter((r) => r.status === 'skipped')) {
      expect(section, `README lists "${s.file}: ${s.description}"`).toContain(`\`${s.file}\` — ${s.description}`);
    }
  });
});
