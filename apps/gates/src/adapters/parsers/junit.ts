import type { SaxesTagPlain } from 'saxes';
import { noTests, type TestSummary, type FailedCase } from '../../domain/evidence.js';
import { excerpt, shorten, type ReportSource } from './evidence-error.js';
import { ContentError, attr, numberAttr, streamXml } from './xml-stream.js';

const MAX_SAMPLES = 20;
const MAX_MESSAGE = 500;

type Outcome = 'passed' | 'failure' | 'error' | 'skipped';

/** A test case's `time` in seconds; absent or unreadable (some tools write "1,234.5") counts 0, a negative one is refused. */
function duration(tag: SaxesTagPlain): number {
  const time = numberAttr(tag, 'time') ?? 0;
  if (time < 0)
    throw new ContentError(
      `the attribute time=${excerpt(attr(tag, 'time') ?? '')} of <testcase> is negative; expected a duration in seconds`,
    );
  return time;
}

/**
 * Reads a JUnit XML report (Surefire, pytest, Jest, Go, Gradle, PHPUnit flavours; nested suites).
 * Counts come from the <testcase> elements themselves, not from the suites' attributes, which some
 * tools get wrong; a mismatch is reported as a warning. A case with an <error> counts as an error,
 * else with a <failure> as a failure, else with <skipped> as skipped.
 */
export async function parseJUnit(file: string, source: ReportSource): Promise<TestSummary> {
  const summary: TestSummary = noTests();
  // The open suites, innermost last; `cases` counts the cases directly inside and, once closed, those of nested suites.
  const suites: { name: string; declared?: number; cases: number }[] = [];
  let rootSeen = false;
  let current: { suite: string; classname: string; name: string; outcome: Outcome; time: number } | undefined;
  let sample: FailedCase | undefined;
  let collectText = false;

  const finishCase = () => {
    if (!current) return;
    summary.tests++;
    if (current.outcome === 'passed') summary.passed++;
    else if (current.outcome === 'failure') summary.failures++;
    else if (current.outcome === 'error') summary.errors++;
    else summary.skipped++;
    summary.durationSeconds += current.time;
    if (!Number.isFinite(summary.durationSeconds))
      throw new ContentError('the test case durations add up to more than a number holds; a time is in seconds');
    const suite = suites.at(-1);
    if (suite) suite.cases++;
    current = undefined;
  };

  const marks = (tag: SaxesTagPlain, outcome: Exclude<Outcome, 'passed'>) => {
    if (!current) return;
    const rank = { skipped: 1, failure: 2, error: 3 } as const;
    const was = current.outcome === 'passed' ? 0 : rank[current.outcome];
    if (rank[outcome] > was) current.outcome = outcome;
    if (outcome !== 'skipped' && summary.failed.length < MAX_SAMPLES && !sample) {
      sample = {
        suite: current.suite,
        classname: current.classname,
        name: current.name,
        kind: outcome,
        message: (attr(tag, 'message') ?? '').slice(0, MAX_MESSAGE),
      };
      collectText = !sample.message;
    }
  };

  await streamXml(file, source, {
    open(tag) {
      if (!rootSeen) {
        rootSeen = true;
        if (tag.name !== 'testsuites' && tag.name !== 'testsuite') {
          throw new ContentError(
            `not a JUnit XML report: the root element is <${shorten(tag.name, 60)}>, expected <testsuites> or <testsuite>`,
          );
        }
      }
      switch (tag.name) {
        case 'testsuite':
          summary.suites++;
          suites.push({ name: attr(tag, 'name') ?? '(unnamed suite)', declared: numberAttr(tag, 'tests'), cases: 0 });
          break;
        case 'testcase':
          current = {
            suite: suites.at(-1)?.name ?? '',
            classname: attr(tag, 'classname') ?? '',
            name: attr(tag, 'name') ?? '(unnamed case)',
            outcome: 'passed',
            time: duration(tag),
          };
          break;
        case 'failure':
          marks(tag, 'failure');
          break;
        case 'error':
          marks(tag, 'error');
          break;
        case 'skipped':
          marks(tag, 'skipped');
          break;
      }
    },
    close(name) {
      if (name === 'testcase') finishCase();
      else if (name === 'testsuite') {
        const s = suites.pop()!;
        const parent = suites.at(-1);
        if (parent) parent.cases += s.cases;
        if (s.declared !== undefined && s.declared !== s.cases) {
          summary.warnings.push(
            `suite "${s.name}" declares tests="${s.declared}" but holds ${s.cases} <testcase> elements; counted the elements`,
          );
        }
      } else if ((name === 'failure' || name === 'error') && sample) {
        sample.message = sample.message.trim().slice(0, MAX_MESSAGE);
        summary.failed.push(sample);
        sample = undefined;
        collectText = false;
      }
    },
    wantText: () => collectText,
    text(t) {
      if (sample && sample.message.length < MAX_MESSAGE) sample.message += t;
    },
  });
  // Milliseconds are the finest unit kept; a total too large to scale stays as summed.
  const rounded = Math.round(summary.durationSeconds * 1000) / 1000;
  if (Number.isFinite(rounded)) summary.durationSeconds = rounded;
  return summary;
}
