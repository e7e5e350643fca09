import { describe, expect, it } from 'vitest';
import {
  EvidenceParseError,
  parseArtifactRecord,
  parseBenchmark,
  parseCobertura,
  parseJUnit,
  parseLcov,
  parseSarif,
  parseSbom,
} from '../../src/adapters/parsers/index.js';

/** Reports an attacker (or a broken tool) could upload, each found wanting by the fuzzing in tools/fuzz or by reading the parsers. */

type Parser = (file: string, source: string[]) => Promise<unknown>;

/** The input in 64 KB chunks, as an upload stream delivers it. */
const chunks = (text: string) => {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 65_536) out.push(text.slice(i, i + 65_536));
  return out;
};

async function refusal(parse: Parser, input: string, file = 'reports/hostile'): Promise<EvidenceParseError> {
  const err = await parse(file, chunks(input)).then(
    (summary) =>
      new Error(`accepted: ${JSON.stringify(summary instanceof Map ? [...summary] : summary).slice(0, 300)}`),
    (e: unknown) => e,
  );
  if (!(err instanceof EvidenceParseError))
    throw new Error(
      `expected an EvidenceParseError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
  return err;
}

const sarif = (results: string, rules = '[]') =>
  `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"scanner","rules":${rules}}},\n"results":${results}}]}`;

describe('SARIF logs of the wrong shape are refused with where, never a TypeError', () => {
  it('a null result', async () => {
    const err = await refusal(parseSarif, sarif('[{"ruleId":"a"},\n  null]'));
    expect(err.message).toMatch(/runs\[0\]\.results\[1\]/);
    expect(err).toMatchObject({ line: 3, column: 3 });
  });

  it('a ruleId that is not a string', async () => {
    const err = await refusal(parseSarif, sarif('[{"ruleId":5}]'));
    expect(err.message).toMatch(/runs\[0\]\.results\[0\]\.ruleId/);
    expect(err.line).toBe(2);
  });

  it('suppressions that are not a list', async () => {
    const err = await refusal(parseSarif, sarif('[{"ruleId":"a","suppressions":{}}]'));
    expect(err.message).toMatch(/suppressions/);
    expect(err.line).toBe(2);
  });

  it('a rule that is not an object', async () => {
    const err = await refusal(parseSarif, sarif('[{"ruleIndex":0}]', '[7]'));
    expect(err.message).toMatch(/rules\[0\]/);
    expect(err.line).toBe(1);
  });

  it('JSON broken by an unexpected token says the line and column (Node 20 does not say where)', async () => {
    const err = await refusal(parseSarif, '{\n  "version": "2.1.0",\n  "runs": x\n}');
    expect(err).toMatchObject({ line: 3, column: 11 });
    expect(err.message).toMatch(/malformed JSON/);
  });
});

describe('benchmark files', () => {
  it('JSON broken by an unexpected token says the line and column', async () => {
    const err = await refusal(parseBenchmark, '{"benchmarks": [\n  {"name": "p95", "value": 1},\n  }\n]}');
    expect(err).toMatchObject({ line: 3, column: 3 });
  });

  it('a value of the wrong type says where it is', async () => {
    const err = await refusal(
      parseBenchmark,
      '{"benchmarks": [\n  {"name": "p95", "value": 1},\n  {"name": "p99", "value": "fast"}\n]}',
    );
    expect(err.message).toMatch(/benchmarks\[1\]\.value/);
    expect(err.line).toBe(3);
  });

  it('a benchmark named __proto__ is refused instead of silently vanishing from the summary', async () => {
    const err = await refusal(
      parseBenchmark,
      '{"benchmarks":[{"name":"p95","value":1},{"name":"__proto__","value":2}]}',
    );
    expect(err.message).toMatch(/__proto__/);
  });

  it('a benchmark named constructor is kept as an ordinary name', async () => {
    const summary = await parseBenchmark('bench.json', [
      '{"benchmarks":[{"name":"constructor","value":2},{"name":"toString","value":3}]}',
    ]);
    expect(Object.entries(summary.metrics)).toEqual([
      ['constructor', { value: 2 }],
      ['toString', { value: 3 }],
    ]);
  });
});

describe('XML entity declarations are refused, saying so', () => {
  const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<testsuite name="&lol3;"><testcase name="a"/></testsuite>`;
  const external = `<?xml version="1.0"?>
<!DOCTYPE coverage [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<coverage><packages><package><classes><class filename="&xxe;"><lines><line number="1" hits="1"/></lines></class></classes></package></packages></coverage>`;

  it('billion laughs in a JUnit report', async () => {
    const err = await refusal(parseJUnit, laughs);
    expect(err.message).toMatch(/entity declarations are not accepted/);
    expect(err.line).toBeGreaterThanOrEqual(2);
  });

  it('an external entity in a Cobertura report', async () => {
    const err = await refusal(parseCobertura, external);
    expect(err.message).toMatch(/entity declarations are not accepted/);
    expect(err.line).toBe(2);
  });
});

describe('reports built to exhaust time or memory', () => {
  it('JUnit suites nested 100,000 deep are refused at the depth limit, with where', async () => {
    const n = 100_000;
    const err = await refusal(
      parseJUnit,
      `<testsuites>${'<testsuite>'.repeat(n)}${'<testcase/>'.repeat(n)}${'</testsuite>'.repeat(n)}</testsuites>`,
    );
    expect(err.message).toMatch(/nested more than \d+ elements deep/);
    expect(err.line).toBe(1);
  });

  it('JUnit suites nested 200 deep around 200,000 cases: each case is counted once, not once per enclosing suite', async () => {
    const depth = 200;
    const cases = 200_000;
    const report = `<testsuites>${'<testsuite>'.repeat(depth)}${'<testcase name="c"/>'.repeat(cases)}${'</testsuite>'.repeat(depth)}</testsuites>`;
    const summary = await parseJUnit('nested.xml', chunks(report));
    expect(summary).toMatchObject({ tests: cases, passed: cases, suites: depth, warnings: [] });
  }, 60_000);

  it('a huge attribute value is quoted in a bounded message', async () => {
    const err = await refusal(
      parseCobertura,
      `<coverage><class filename="a"><lines><line number="1" hits="1" branch="${'x'.repeat(1_000_000)}"/></lines></class></coverage>`,
    );
    expect(err.message.length).toBeLessThan(1000);
    expect(err.message).toMatch(/is not a boolean/);
  });

  it('an lcov line of 16 MB is refused with its line number, in a bounded message', async () => {
    const err = await refusal(parseLcov, `TN:\nSF:${'x'.repeat(16_000_000)}\nend_of_record\n`);
    expect(err.line).toBe(2);
    expect(err.message.length).toBeLessThan(1000);
    expect(err.message).toMatch(/longer than/);
  });

  it('an lcov value of 1 MB is quoted in a bounded message', async () => {
    const err = await refusal(parseLcov, `SF:a\nDA:1,${'9'.repeat(500_000)}x\nend_of_record\n`);
    expect(err.line).toBe(2);
    expect(err.message.length).toBeLessThan(1000);
  });
});

describe('JUnit durations that are no duration', () => {
  it('a negative time is refused with where', async () => {
    const err = await refusal(parseJUnit, '<testsuite>\n<testcase name="a" time="-5"/>\n</testsuite>');
    expect(err.message).toMatch(/time="-5"/);
    expect(err.line).toBe(2);
  });

  it('times that add up past what a number holds are refused instead of summing to Infinity', async () => {
    const err = await refusal(
      parseJUnit,
      '<testsuite>\n<testcase name="a" time="1e308"/>\n<testcase name="b" time="1e308"/>\n</testsuite>',
    );
    expect(err.message).toMatch(/durations/);
    expect(err.line).toBe(3);
  });
});

describe('positions found by the fuzzing', () => {
  it('an XML error right after a line break is at column 1, not 0', async () => {
    const err = await refusal(parseJUnit, '<testsuite/>x\n');
    expect(err).toMatchObject({ line: 2 });
    expect(err.column).toBeGreaterThanOrEqual(1);
  });

  it('a total duration of 1e308 s stays a number (rounding to milliseconds overflowed to Infinity)', async () => {
    const summary = await parseJUnit('big.xml', ['<testsuite><testcase name="c" time="1e308"/></testsuite>']);
    expect(summary.durationSeconds).toBe(1e308);
  });

  it('a structure error deep inside a benchmark file still says where (the tree walk gave up past 1000 levels)', async () => {
    const depth = 5000;
    const err = await refusal(
      parseBenchmark,
      `{"benchmarks":[{"name":"a","value":1,\n"unit":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`,
    );
    expect(err.message).toMatch(/benchmarks\[0\]\.unit/);
    expect(err).toMatchObject({ line: 2, column: 8 });
  });
});

describe('SBOMs and build records say where they are wrong', () => {
  it('an SBOM broken by an unexpected token', async () => {
    const err = await refusal(parseSbom, '{\n  "bomFormat": "CycloneDX",\n  "specVersion": 1.5x\n}');
    expect(err).toMatchObject({ line: 3, column: 21 });
  });

  it('a CycloneDX component of the wrong shape', async () => {
    const err = await refusal(
      parseSbom,
      '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[\n {"type":"library","name":"a"},\n {"type":"library","name":7}]}',
    );
    expect(err.message).toMatch(/components\.1\.name/);
    expect(err.line).toBe(3);
  });

  it('a build record broken by an unexpected token, and one with a bad digest', async () => {
    expect(await refusal(parseArtifactRecord, '{"artifact": shop}')).toMatchObject({ line: 1, column: 14 });
    const record = {
      artifact: 'shop/api',
      versionTag: 'v1.0.0-rc.1',
      digest: 'sha256:abc',
      sourceBranch: 'release/1.0',
      commit: 'abcdef1',
      cleanBuild: true,
      signature: 'AAAA',
    };
    const err = await refusal(parseArtifactRecord, JSON.stringify(record, null, 2));
    expect(err.message).toMatch(/digest/);
    expect(err.line).toBe(4);
  });
});
