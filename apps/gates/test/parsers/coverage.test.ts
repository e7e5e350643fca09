import { describe, expect, it } from 'vitest';
import { EvidenceParseError, parseCobertura, parseLcov } from '../../src/adapters/parsers/index.js';
import { summariseCoverage } from '../../src/domain/evidence.js';
import { stream, text, truncated } from './fixtures.js';

describe('lcov on real tracefiles', () => {
  it('istanbul/coveralls: 3 files, 16 of 17 lines and 7 of 8 branches; u64-max hit counts and odd paths read', async () => {
    const files = await parseLcov('lcov.info', stream('lcov-istanbul-coveralls.info'));
    expect([...files.keys()]).toContain('dist/<define:DATA>');
    expect(summariseCoverage('lcov', files)).toMatchObject({
      files: 3,
      lines: { covered: 16, total: 17 },
      branches: { covered: 7, total: 8 },
    });
  });

  it('coverlet: 15 files; a line repeated per method counts once (184 distinct lines, 118 hit), "-" branches not taken', async () => {
    const files = await parseLcov('lcov.info', stream('lcov-coverlet-csharp.info'));
    expect(summariseCoverage('lcov', files)).toMatchObject({
      files: 15,
      lines: { covered: 118, total: 184 },
      branches: { covered: 5, total: 8 },
    });
  });

  it('coverage of changed files, matched by path suffix across Windows and relative paths', async () => {
    const files = await parseLcov('lcov.info', stream('lcov-coverlet-csharp.info'));
    const s = summariseCoverage('lcov', files, ['temp/TestClass.cs', 'src/Missing.cs']);
    expect(s.changed).toEqual({
      files: 1,
      lines: { covered: 9, total: 15 },
      branches: { covered: 1, total: 2 },
      notInReport: ['src/Missing.cs'],
    });
  });

  it('refuses a truncated tracefile: the last record is not closed', async () => {
    const err = (await parseLcov('lcov.info', truncated('lcov-coverlet-csharp.info', 0.5)).catch(
      (e: unknown) => e,
    )) as EvidenceParseError;
    expect(err).toBeInstanceOf(EvidenceParseError);
    expect(err.message).toMatch(
      /^lcov\.info:\d+: the file ends inside the record of C:\\temp\\.+ with no end_of_record: truncated\?/,
    );
  });

  it('refuses a malformed line with its line number', async () => {
    const lines = text('lcov-istanbul-coveralls.info').split('\n');
    lines[4] = 'DA:1,lots';
    await expect(parseLcov('lcov.info', [lines.join('\n')])).rejects.toThrow(
      'lcov.info:5: the DA hit count is "lots", expected a whole number',
    );
    await expect(parseLcov('x.info', ['<html>oops</html>\n'])).rejects.toThrow(/x\.info:1: not an lcov line/);
  });
});

describe('Cobertura on a real report', () => {
  it('Cobertura 2.1.1: 7 files, 24 of 36 lines and 1 of 4 branches, as its own totals say; method lines not counted twice', async () => {
    const files = await parseCobertura('cobertura.xml', stream('cobertura-2.1.1-java.xml'));
    expect(summariseCoverage('cobertura', files)).toMatchObject({
      files: 7,
      lines: { covered: 24, total: 36 },
      branches: { covered: 1, total: 4 },
    });
    expect(files.get('test/AbstractClass_SampleImpl1.java')).toEqual({
      lines: { covered: 3, total: 5 },
      branches: { covered: 0, total: 0 },
    });
  });

  it('coverlet (.NET, branch="True"): 18 files, 156 of 255 lines and 9 of 14 branches, as its own totals say', async () => {
    const files = await parseCobertura('coverage.cobertura.xml', stream('cobertura-coverlet-csharp.xml'));
    expect(summariseCoverage('cobertura', files)).toMatchObject({
      files: 18,
      lines: { covered: 156, total: 255 },
      branches: { covered: 9, total: 14 },
    });
  });

  it('reads every XML Schema boolean spelling tools write (true/false, 1/0, True/False) and refuses anything else by name', async () => {
    const report = (branch: string) => [
      `<coverage><packages><package><classes><class filename="a.cs"><lines><line number="1" hits="1" branch="${branch}" condition-coverage="50% (1/2)"/></lines></class></classes></package></packages></coverage>`,
    ];
    for (const yes of ['true', 'True', 'TRUE', '1', ' true ']) {
      expect((await parseCobertura('c.xml', report(yes))).get('a.cs')!.branches, yes).toEqual({ covered: 1, total: 2 });
    }
    for (const no of ['false', 'False', '0']) {
      expect((await parseCobertura('c.xml', report(no))).get('a.cs')!.branches, no).toEqual({ covered: 0, total: 0 });
    }
    await expect(parseCobertura('c.xml', report('yes'))).rejects.toThrow(
      'c.xml:1:139: the attribute branch="yes" of <line> is not a boolean; expected true or false (or 1, 0)',
    );
  });

  it('refuses a truncated report and a JUnit file given as coverage', async () => {
    await expect(parseCobertura('cobertura.xml', truncated('cobertura-2.1.1-java.xml'))).rejects.toThrow(
      /^cobertura\.xml:\d+:\d+: malformed XML/,
    );
    await expect(parseCobertura('junit.xml', stream('jest-junit.xml'))).rejects.toThrow(
      /not a Cobertura report: the root element is <testsuites>/,
    );
  });
});
