/**
 * Gates evidence parsers on large generated reports: a JUnit file with 100,000 cases (~50 MB), an lcov
 * tracefile of 10,000 files and a SARIF log with 100,000 results. Each parser runs in a fresh process so
 * its peak RSS is its own, next to a baseline measured the same way in the same run: the whole file read
 * into one string and parsed by the usual non-streaming means (fast-xml-parser DOM for XML, split lines
 * for lcov, plain JSON.parse for SARIF).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { XMLParser } from 'fast-xml-parser';
import { parseJUnit, parseLcov, parseSarif, summariseCoverage } from '@flightdeck/gates/parsers';

export type Report = 'junit' | 'lcov' | 'sarif';

export interface Sizes {
  junitCases: number;
  lcovFiles: number;
  sarifResults: number;
}

export interface Measurement {
  seconds: number;
  peakRssMB: number;
  /** What was read, to check the run parsed everything: test cases, files, results. */
  count: number;
}

export interface ReportResult {
  report: Report;
  bytes: number;
  parser: Measurement;
  baseline: Measurement;
}

async function write(path: string, chunks: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const c of chunks) if (!out.write(c)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

function* junitChunks(cases: number): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="generated">\n';
  const perSuite = 1000;
  for (let s = 0; s * perSuite < cases; s++) {
    const n = Math.min(perSuite, cases - s * perSuite);
    yield `<testsuite name="com.example.Suite${s}" tests="${n}" time="12.5">\n`;
    let block = '';
    for (let i = 0; i < n; i++) {
      const name = `should handle scenario ${i} of suite ${s} with a reasonably descriptive test name`;
      if (i % 20 === 0) {
        block += `<testcase classname="com.example.Suite${s}" name="${name}" time="0.012"><failure message="expected:&lt;200&gt; but was:&lt;500&gt;" type="AssertionError">java.lang.AssertionError: expected:&lt;200&gt; but was:&lt;500&gt;\n${'\tat com.example.Service.call(Service.java:42)\n'.repeat(8)}</failure><system-out>${'log line with some output text\n'.repeat(4)}</system-out></testcase>\n`;
      } else if (i % 50 === 1)
        block += `<testcase classname="com.example.Suite${s}" name="${name}" time="0"><skipped message="not on this platform"/></testcase>\n`;
      else
        block += `<testcase classname="com.example.Suite${s}" name="${name}" time="0.003"><system-out>${'ok output line\n'.repeat(23)}</system-out></testcase>\n`;
    }
    yield block + '</testsuite>\n';
  }
  yield '</testsuites>\n';
}

function* lcovChunks(files: number): Generator<string> {
  for (let f = 0; f < files; f++) {
    let rec = `TN:\nSF:src/module${Math.floor(f / 100)}/file${f}.ts\nFN:1,fn${f}\nFNDA:3,fn${f}\nFNF:1\nFNH:1\n`;
    for (let l = 1; l <= 60; l++) rec += `DA:${l},${(l * f) % 7 === 0 ? 0 : l}\n`;
    for (let b = 0; b < 8; b++) rec += `BRDA:${b + 3},0,${b},${b % 3 === 0 ? '-' : b}\n`;
    yield `${rec}LF:60\nLH:0\nBRF:8\nBRH:0\nend_of_record\n`;
  }
}

function* sarifChunks(results: number): Generator<string> {
  const rules = Array.from({ length: 50 }, (_, i) => ({
    id: `RULE${i}`,
    defaultConfiguration: { level: i % 3 === 0 ? 'error' : 'warning' },
    properties: { 'security-severity': String((i % 10) + 0.5) },
    shortDescription: { text: `Rule ${i}` },
  }));
  yield `{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"generated-scanner","rules":${JSON.stringify(rules)}}},"results":[`;
  let block = '';
  for (let i = 0; i < results; i++) {
    const r = {
      ruleId: `RULE${i % 50}`,
      ruleIndex: i % 50,
      ...(i % 7 === 0 ? { level: 'note' } : {}),
      message: { text: `Finding ${i}: possible injection of untrusted data into a query` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: `src/module${i % 200}/file${i % 5000}.ts` },
            region: { startLine: (i % 400) + 1, startColumn: 5 },
          },
        },
      ],
      ...(i % 100 === 0 ? { suppressions: [{ kind: 'inSource' }] } : {}),
    };
    block += (i ? ',' : '') + JSON.stringify(r);
    if (block.length > 1 << 20) {
      yield block;
      block = '';
    }
  }
  yield `${block}]}]}\n`;
}

/** Runs one parser (or its baseline) on a file in this process and measures it. */
async function measureHere(report: Report, which: 'parser' | 'baseline', file: string): Promise<Measurement> {
  const started = process.hrtime.bigint();
  let count: number;
  if (which === 'parser') {
    const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
    if (report === 'junit') count = (await parseJUnit(file, stream)).tests;
    else if (report === 'lcov') count = summariseCoverage('lcov', await parseLcov(file, stream)).files;
    else count = (await parseSarif(file, stream)).total;
  } else {
    const text = readFileSync(file, 'utf8');
    if (report === 'junit') {
      const doc = new XMLParser({
        ignoreAttributes: false,
        isArray: (name) => name === 'testsuite' || name === 'testcase',
      }).parse(text) as { testsuites: { testsuite: { testcase: unknown[] }[] } };
      count = doc.testsuites.testsuite.reduce((a, s) => a + s.testcase.length, 0);
    } else if (report === 'lcov') count = text.split('\n').filter((l) => l.startsWith('SF:')).length;
    else
      count = (JSON.parse(text) as { runs: { results: unknown[] }[] }).runs.reduce((a, r) => a + r.results.length, 0);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, count };
}

function measureInChild(report: Report, which: 'parser' | 'baseline', file: string): Measurement {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', report, which, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`the ${which} for ${report} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measurement;
}

export async function runGatesParsersBench(sizes: Sizes): Promise<ReportResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gates-bench-'));
  try {
    const files: Record<Report, string> = {
      junit: join(dir, 'junit.xml'),
      lcov: join(dir, 'lcov.info'),
      sarif: join(dir, 'scan.sarif'),
    };
    await write(files.junit, junitChunks(sizes.junitCases));
    await write(files.lcov, lcovChunks(sizes.lcovFiles));
    await write(files.sarif, sarifChunks(sizes.sarifResults));
    const out: ReportResult[] = [];
    for (const report of ['junit', 'lcov', 'sarif'] as const) {
      out.push({
        report,
        bytes: statSync(files[report]).size,
        parser: measureInChild(report, 'parser', files[report]),
        baseline: measureInChild(report, 'baseline', files[report]),
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const child = process.argv.indexOf('--child');
  if (child > 0) {
    const [report, which, file] = process.argv.slice(child + 1) as [Report, 'parser' | 'baseline', string];
    console.log(JSON.stringify(await measureHere(report, which, file)));
  } else {
    const program = new Command('gates-parsers')
      .description(
        'Seconds and peak RSS of the gates evidence parsers on large generated reports, each next to a whole-file baseline in the same run.',
      )
      .option('--junit-cases <n>', 'test cases in the JUnit report', '100000')
      .option('--lcov-files <n>', 'source files in the lcov tracefile', '10000')
      .option('--sarif-results <n>', 'results in the SARIF log', '100000')
      .parse();
    const o = program.opts<{ junitCases: string; lcovFiles: string; sarifResults: string }>();
    const results = await runGatesParsersBench({
      junitCases: Number(o.junitCases),
      lcovFiles: Number(o.lcovFiles),
      sarifResults: Number(o.sarifResults),
    });
    for (const r of results) {
      const p = r.parser;
      const b = r.baseline;
      console.log(
        `${r.report.padEnd(6)} ${mb(r.bytes).padStart(9)}  count ${p.count}   parser ${p.seconds.toFixed(2)} s, peak RSS ${p.peakRssMB.toFixed(0)} MB   ` +
          `baseline ${b.seconds.toFixed(2)} s, peak RSS ${b.peakRssMB.toFixed(0)} MB   parser/baseline: time ${(p.seconds / b.seconds).toFixed(2)}, RSS ${(p.peakRssMB / b.peakRssMB).toFixed(2)}`,
      );
    }
  }
}
