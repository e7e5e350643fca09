import { describe, expect, it } from 'vitest';
import { EvidenceParseError, parseJUnit } from '../../src/adapters/parsers/index.js';
import { stream, text, truncated } from './fixtures.js';

describe('JUnit XML on real reports', () => {
  it('Maven Surefire: 9 cases, 5 errors and 2 failures, messages with non-ASCII', async () => {
    const s = await parseJUnit('surefire.xml', stream('maven-surefire-EmailAddressTest.xml'));
    expect(s).toMatchObject({ tests: 9, passed: 2, failures: 2, errors: 5, skipped: 0, suites: 1 });
    expect(s.failed).toHaveLength(7);
    expect(s.failed.filter((f) => f.kind === 'error')).toHaveLength(5);
    expect(s.failed.every((f) => f.suite === 'action.surefire.report.email.EmailAddressTest')).toBe(true);
  });

  it('pytest: counts the 10 <testcase> elements, not the suite\'s tests="15", and says so', async () => {
    const s = await parseJUnit('pytest.xml', stream('pytest-junitxml.xml'));
    expect(s).toMatchObject({ tests: 10, passed: 6, failures: 2, errors: 0, skipped: 2, suites: 1 });
    expect(s.warnings).toEqual([
      'suite "pytest" declares tests="15" but holds 10 <testcase> elements; counted the elements',
    ]);
    expect(s.failed.map((f) => f.message)).toEqual(['assert False', 'Exception: error']);
  });

  it('jest-junit: 2 suites, 4 failures whose message is the stack in the body, 1 skipped', async () => {
    const s = await parseJUnit('jest.xml', stream('jest-junit.xml'));
    expect(s).toMatchObject({ tests: 6, passed: 1, failures: 4, errors: 0, skipped: 1, suites: 2 });
    expect(s.failed[0]!.message).toMatch(
      /^Error: expect\(received\)\.toBeTruthy\(\)\n\nReceived: false\n    at Object\.<anonymous> \(C:\\Users\\/,
    );
    expect(s.failed.map((f) => f.suite)).toContain('__tests__\\main.test.js');
  });

  it('PHPUnit: nested suites, 12 cases, 2 failures', async () => {
    const s = await parseJUnit('phpunit.xml', stream('phpunit-nested-testsuites.xml'));
    expect(s).toMatchObject({ tests: 12, passed: 10, failures: 2, errors: 0, skipped: 0, suites: 4 });
    expect(s.warnings).toEqual([]);
  });
});

describe('JUnit XML that cannot be read', () => {
  it('refuses a truncated report, naming the file and the line', async () => {
    const err = await parseJUnit('reports/surefire.xml', truncated('maven-surefire-EmailAddressTest.xml')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EvidenceParseError);
    expect((err as EvidenceParseError).message).toMatch(/^reports\/surefire\.xml:\d+:\d+: malformed XML: /);
    expect((err as EvidenceParseError).line).toBeGreaterThan(1);
  });

  it('refuses malformed XML (a mismatched closing tag) at the line where it broke', async () => {
    const broken = text('jest-junit.xml').replace('</testcase>', '</testcas>');
    const lineOfBreak = broken.slice(0, broken.indexOf('</testcas>')).split('\n').length;
    const err = (await parseJUnit('jest.xml', [broken]).catch((e: unknown) => e)) as EvidenceParseError;
    expect(err).toBeInstanceOf(EvidenceParseError);
    expect(err.line).toBe(lineOfBreak);
  });

  it('refuses a document that is XML but not JUnit, and an empty file', async () => {
    await expect(parseJUnit('cov.xml', stream('cobertura-2.1.1-java.xml'))).rejects.toThrow(
      /cov\.xml:4:\d+: not a JUnit XML report: the root element is <coverage>/,
    );
    await expect(parseJUnit('empty.xml', [''])).rejects.toThrow(/empty\.xml: the file is empty/);
  });
});
