import fc from 'fast-check';
import type { TestSummary } from '@flightdeck/gates/parsers';
import { hostileText, hostileWord, xmlAttr, xmlText } from '../text.js';

type Marker = 'failure' | 'error' | 'skipped';

interface Case {
  classname?: string;
  name?: string;
  /** Milliseconds; written as seconds with three decimals. */
  ms?: number;
  markers: { kind: Marker; message?: string; how: 'attribute' | 'body' | 'cdata' }[];
}

interface Suite {
  name?: string;
  /** How the suite's tests="" attribute relates to the cases it holds (nested suites' included). */
  declared: { how: 'absent' } | { how: 'right' } | { how: 'off'; by: number };
  items: (Case | Suite)[];
}

const isSuite = (x: Case | Suite): x is Suite => 'items' in x;

/** A long message with no whitespace, so the 500-character sample is cut inside it. */
const message = fc.oneof(
  { weight: 5, arbitrary: hostileText() },
  { weight: 1, arbitrary: fc.array(hostileWord(40), { minLength: 10, maxLength: 40 }).map((w) => w.join('')) },
);

const testCase: fc.Arbitrary<Case> = fc.record(
  {
    classname: hostileText(2),
    name: hostileText(3),
    ms: fc.nat({ max: 3_600_000 }),
    markers: fc.array(
      fc.record({
        kind: fc.constantFrom<Marker>('failure', 'error', 'skipped'),
        message: fc.option(message, { nil: undefined }),
        how: fc.constantFrom('attribute' as const, 'body' as const, 'cdata' as const),
      }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['markers'] },
);

const suite: fc.Memo<Suite> = fc.memo((n) =>
  fc.record(
    {
      name: hostileText(3),
      declared: fc.oneof(
        fc.constant({ how: 'absent' as const }),
        fc.constant({ how: 'right' as const }),
        fc.integer({ min: 1, max: 5 }).map((by) => ({ how: 'off' as const, by })),
      ),
      items: fc.array(
        n <= 1 ? testCase : fc.oneof({ weight: 4, arbitrary: testCase }, { weight: 1, arbitrary: suite(n - 1) }),
        { maxLength: 8 },
      ),
    },
    { requiredKeys: ['declared', 'items'] },
  ),
);

export interface JUnitReport {
  text: string;
  expected: TestSummary;
}

function countCases(s: Suite): number {
  return s.items.reduce((n, i) => n + (isSuite(i) ? countCases(i) : 1), 0);
}

/** Writes the report and, independently of the parser, the summary it must give. */
function render(root: 'testsuites' | 'testsuite', suites: Suite[], crlf: boolean): JUnitReport {
  const expected: TestSummary = {
    tests: 0,
    passed: 0,
    failures: 0,
    errors: 0,
    skipped: 0,
    suites: 0,
    durationSeconds: 0,
    failed: [],
    warnings: [],
  };
  const nl = crlf ? '\r\n' : '\n';
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];

  const writeCase = (c: Case, suiteName: string) => {
    const attrs = [
      c.classname !== undefined && `classname="${xmlAttr(c.classname)}"`,
      c.name !== undefined && `name="${xmlAttr(c.name)}"`,
      c.ms !== undefined && `time="${c.ms / 1000}"`,
    ]
      .filter(Boolean)
      .join(' ');
    if (!c.markers.length) out.push(`<testcase ${attrs}/>`);
    else {
      out.push(`<testcase ${attrs}>`);
      for (const m of c.markers) {
        const sampled = m.kind !== 'skipped' && expected.failed.length < 20;
        if (m.how === 'attribute' || m.message === undefined) {
          out.push(`<${m.kind}${m.message !== undefined ? ` message="${xmlAttr(m.message)}"` : ''}/>`);
          if (sampled)
            expected.failed.push({
              suite: suiteName,
              classname: c.classname ?? '',
              name: c.name ?? '(unnamed case)',
              kind: m.kind as 'failure' | 'error',
              message: (m.message ?? '').slice(0, 500),
            });
        } else {
          const body =
            m.how === 'cdata' ? `<![CDATA[${m.message.replaceAll(']]>', ']]]]><![CDATA[>')}]]>` : xmlText(m.message);
          out.push(`<${m.kind} type="AssertionError">${body}</${m.kind}>`);
          if (sampled)
            expected.failed.push({
              suite: suiteName,
              classname: c.classname ?? '',
              name: c.name ?? '(unnamed case)',
              kind: m.kind as 'failure' | 'error',
              message: m.message.slice(0, 500),
            });
        }
      }
      out.push('</testcase>');
    }
    const rank = { skipped: 1, failure: 2, error: 3 } as const;
    const worst = c.markers.reduce<Marker | undefined>(
      (w, m) => (!w || rank[m.kind] > rank[w] ? m.kind : w),
      undefined,
    );
    expected.tests++;
    if (!worst) expected.passed++;
    else if (worst === 'failure') expected.failures++;
    else if (worst === 'error') expected.errors++;
    else expected.skipped++;
    expected.durationSeconds += (c.ms ?? 0) / 1000;
  };

  const writeSuite = (s: Suite) => {
    expected.suites++;
    const held = countCases(s);
    const declared = s.declared.how === 'absent' ? undefined : s.declared.how === 'right' ? held : held + s.declared.by;
    out.push(
      `<testsuite${s.name !== undefined ? ` name="${xmlAttr(s.name)}"` : ''}${declared !== undefined ? ` tests="${declared}"` : ''}>`,
    );
    for (const item of s.items) {
      if (isSuite(item)) writeSuite(item);
      else writeCase(item, s.name ?? '(unnamed suite)');
    }
    out.push('</testsuite>');
    const name = s.name ?? '(unnamed suite)';
    if (declared !== undefined && declared !== held)
      expected.warnings.push(
        `suite "${name}" declares tests="${declared}" but holds ${held} <testcase> elements; counted the elements`,
      );
  };

  if (root === 'testsuites') {
    out.push('<testsuites>');
    suites.forEach(writeSuite);
    out.push('</testsuites>');
  } else writeSuite(suites[0]!);
  expected.durationSeconds = Math.round(expected.durationSeconds * 1000) / 1000;
  return { text: out.join(nl) + nl, expected };
}

/** A valid JUnit report (nested suites, every outcome, hostile names and messages) with the summary it must give. */
export const junitReport: fc.Arbitrary<JUnitReport> = fc
  .record({
    root: fc.constantFrom('testsuites' as const, 'testsuite' as const),
    suites: fc.array(suite(3), { minLength: 1, maxLength: 4 }),
    crlf: fc.boolean(),
  })
  .map(({ root, suites, crlf }) => render(root, suites, crlf));
