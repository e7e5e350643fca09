import fc from 'fast-check';
import type { SecuritySummary } from '@flightdeck/gates/parsers';
import { hostileText } from '../text.js';

const LEVELS = ['error', 'warning', 'note', 'none'] as const;
type Level = (typeof LEVELS)[number];

/** A security-severity as tools write it: a number, a numeric string, or something that is no number. */
const severity = fc.oneof(
  fc.double({ min: 0, max: 10, noNaN: true }),
  fc.double({ min: 0, max: 10, noNaN: true }).map(String),
  fc.constantFrom('high', ''),
);
const level = fc.constantFrom<string>(...LEVELS, 'bogus');

interface Rule {
  level?: string;
  severity?: number | string;
}

interface Result {
  ref: 'index' | 'id' | 'sub-id' | 'unknown' | 'none';
  rule: number;
  level?: string;
  kind?: string;
  suppressions?: (string | undefined)[];
  severity?: number | string;
}

const rule: fc.Arbitrary<Rule> = fc.record({ level, severity }, { requiredKeys: [] });
const result: fc.Arbitrary<Result> = fc.record(
  {
    ref: fc.constantFrom('index' as const, 'id' as const, 'sub-id' as const, 'unknown' as const, 'none' as const),
    rule: fc.nat(),
    level,
    kind: fc.constantFrom('fail', 'pass', 'open', 'review', 'informational', 'notApplicable'),
    suppressions: fc.array(fc.constantFrom('accepted', 'underReview', 'rejected', undefined), { maxLength: 2 }),
    severity,
  },
  { requiredKeys: ['ref', 'rule'] },
);
const run = fc.record({
  tool: hostileText(2),
  rules: fc.array(rule, { maxLength: 6 }),
  results: fc.option(fc.array(result, { maxLength: 20 }), { nil: undefined }),
});

export interface SarifReport {
  text: string;
  expected: SecuritySummary;
}

const isLevel = (l: string | undefined): l is Level => (LEVELS as readonly string[]).includes(l ?? '');

/** A SARIF 2.1.0 log (rules found by index, id or "id/sub", levels from results, rules or the default, suppressions, severities) with its summary. */
export const sarifReport: fc.Arbitrary<SarifReport> = fc.array(run, { minLength: 1, maxLength: 3 }).map((runs) => {
  const expected: SecuritySummary = {
    runs: 0,
    tools: [],
    byLevel: { error: 0, warning: 0, note: 0, none: 0 },
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    suppressed: 0,
    total: 0,
  };
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: runs.map((r) => {
      expected.runs++;
      if (!expected.tools.includes(r.tool)) expected.tools.push(r.tool);
      const rules = r.rules.map((x, i) => ({
        id: `R${i}`,
        ...(x.level !== undefined ? { defaultConfiguration: { level: x.level } } : {}),
        ...(x.severity !== undefined ? { properties: { 'security-severity': x.severity, tags: ['security'] } } : {}),
      }));
      const results = r.results?.map((x) => {
        const target = r.rules.length ? x.rule % r.rules.length : undefined;
        const found = x.ref === 'unknown' || x.ref === 'none' || target === undefined ? undefined : r.rules[target];
        const ref =
          target === undefined || x.ref === 'none'
            ? {}
            : x.ref === 'index'
              ? { ruleIndex: target, ruleId: `R${target}` }
              : x.ref === 'id'
                ? { ruleId: `R${target}` }
                : x.ref === 'sub-id'
                  ? { ruleId: `R${target}/variant` }
                  : { ruleId: 'NOT-A-RULE' };
        expected.total++;
        const suppressed = x.suppressions?.some((s) => s === undefined || s === 'accepted') ?? false;
        if (suppressed) expected.suppressed++;
        else {
          const lvl: Level =
            x.kind !== undefined && x.kind !== 'fail'
              ? 'none'
              : isLevel(x.level)
                ? x.level
                : isLevel(found?.level)
                  ? found.level
                  : 'warning';
          expected.byLevel[lvl]++;
          const raw = x.severity ?? found?.severity;
          const sev = raw === undefined || raw === '' ? NaN : Number(raw);
          if (Number.isFinite(sev) && sev > 0) {
            if (sev >= 9) expected.bySeverity.critical++;
            else if (sev >= 7) expected.bySeverity.high++;
            else if (sev >= 4) expected.bySeverity.medium++;
            else expected.bySeverity.low++;
          }
        }
        return {
          ...ref,
          message: { text: 'found something' },
          ...(x.level !== undefined ? { level: x.level } : {}),
          ...(x.kind !== undefined ? { kind: x.kind } : {}),
          ...(x.suppressions !== undefined
            ? {
                suppressions: x.suppressions.map((status) => ({
                  kind: 'inSource',
                  ...(status !== undefined ? { status } : {}),
                })),
              }
            : {}),
          ...(x.severity !== undefined ? { properties: { 'security-severity': x.severity } } : {}),
          locations: [{ physicalLocation: { artifactLocation: { uri: 'src/app.ts' }, region: { startLine: 1 } } }],
        };
      });
      return { tool: { driver: { name: r.tool, rules } }, ...(results !== undefined ? { results } : {}) };
    }),
  };
  return { text: JSON.stringify(doc, null, 1), expected };
});
