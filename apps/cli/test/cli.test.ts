// Brings in the typing of inject('natsUrl') and inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { spawn } from 'node:child_process';
import { mkdtempSync, copyFileSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pino } from 'pino';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { JetStreamBus, releaseCreatedV2 } from '@flightdeck/events';
import { createGatesService, type GatesService } from '@flightdeck/gates';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createMetrics } from '@flightdeck/telemetry';
import { databaseUri, gql, tokensFor } from '@flightdeck/testing';
import { startTestGateway, type TestGateway } from '@flightdeck/testing/stack';
import { runCli } from './run-cli.js';

const SECRET = 'cli-process-test-secret-0123456789abcdef';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../bin/flightdeck.mjs', import.meta.url));
const shared = (name: string) => join(repoRoot, 'apps/gates/test/fixtures', name);

let mongo: MongoConnection;
let bus: JetStreamBus;
let gates: GatesService;
let gateway: TestGateway;
let url: string;
let ciToken: string;
let work: string;

const token = tokensFor(SECRET);

const flightdeck = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: work, env: { FLIGHTDECK_URL: url, FLIGHTDECK_TOKEN: ciToken, ...env } });

async function createRelease(
  product: string,
  version: string,
  type: 'MINOR' | 'HOTFIX',
  createdBy: string,
): Promise<void> {
  const releaseId = randomUUID();
  await bus.publish(
    releaseCreatedV2.create({
      source: 'flightdeck/planning',
      data: {
        releaseId,
        product,
        version,
        releaseType: type,
        theme: 't',
        owner: createdBy,
        targetDate: new Date().toISOString(),
        createdBy,
      },
    }),
  );
  const viewer = await token(['VIEWER'], 'viewer');
  for (let i = 0; i < 100; i++) {
    if ((await gql(url, `{ releaseGates(release: "${product}@${version}") { name } }`, {}, viewer)).data) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gates did not learn ${product}@${version} within 10 s`);
}

beforeAll(async () => {
  const logger = pino({ level: 'silent' });
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'cli'), retries: 2 });
  bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: 'cli-test' });
  const verifier = createTokenVerifier({ secret: SECRET, issuer: 'flightdeck', audience: 'flightdeck' });
  gates = createGatesService({
    mongo,
    bus,
    verifier,
    logger,
    metrics: createMetrics({ service: 'gates' }),
    advisor: createAdvisor(undefined, { recorder: new InMemoryPredictionStore() }),
    durable: `cli-test-${randomUUID().slice(0, 8)}`,
  });
  const { graphqlUrl } = await gates.listen(0);
  gateway = await startTestGateway(
    [{ name: 'gates', schema: 'apps/gates/schema.graphql', url: graphqlUrl }],
    { verifier },
    { root: repoRoot },
  );
  url = gateway.url;
  ciToken = await token(['CI'], 'pipeline');

  work = mkdtempSync(join(tmpdir(), 'flightdeck-cli-'));
  mkdirSync(join(work, 'build/test-results/unit'), { recursive: true });
  copyFileSync(
    shared('maven-surefire-EmailAddressTest.xml'),
    join(work, 'build/test-results/unit/TEST-EmailAddressTest.xml'),
  );
  copyFileSync(shared('jest-junit.xml'), join(work, 'build/test-results/TEST-jest.xml'));
  copyFileSync(shared('lcov-istanbul-coveralls.info'), join(work, 'lcov.info'));
  copyFileSync(shared('trivy-alpine-310.sarif'), join(work, 'trivy.sarif'));
  const cases = Array.from(
    { length: 3000 },
    (_, i) => `<testcase classname="shop.Smoke" name="case ${i}" time="0.001"/>`,
  ).join('\n');
  writeFileSync(
    join(work, 'smoke.xml'),
    `<?xml version="1.0"?>\n<testsuite name="smoke" tests="3000">\n${cases}\n</testsuite>\n`,
  );
  const broken = readFileSync(shared('jest-junit.xml'), 'utf8');
  writeFileSync(join(work, 'broken.xml'), broken.slice(0, broken.length / 2));
  writeFileSync(
    join(work, 'bench.json'),
    JSON.stringify({ benchmarks: [{ name: 'p95_latency_ms', value: 182.5, unit: 'ms' }] }),
  );

  await createRelease('shop', '3.0.0', 'MINOR', 'rita');
  await createRelease('shop', '3.0.1-hotfix.1', 'HOTFIX', 'tina');
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  await gates?.stop();
  await bus?.close();
  await mongo?.close();
});

describe('flightdeck --help', () => {
  it('every command has help, with the environment and exit codes', async () => {
    for (const args of [['--help'], ['evidence', 'submit', '--help'], ['gate', 'wait', '--help']]) {
      const r = await flightdeck(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: flightdeck/);
      expect(r.stdout).toContain('FLIGHTDECK_TOKEN');
      expect(r.stdout).toContain('Exit codes: 0 PASS');
    }
    expect((await flightdeck(['evidence', 'submit', '--help'])).stdout).toContain('--junit <glob>');
    for (const args of [
      ['advice', '--help'],
      ['advice', 'test-plan', '--help'],
      ['advice', 'progress', '--help'],
      ['advice', 'gate-validation', '--help'],
    ]) {
      const r = await flightdeck(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: flightdeck advice/);
      expect(r.stdout).toContain('FLIGHTDECK_TOKEN');
      expect(r.stdout).toContain('Exit codes: 0 advice given, 3 error');
    }
    expect((await flightdeck(['advice', 'gate-validation', '--help'])).stdout).toContain('--gate <name>');
  });

  it('ends quietly with 0 when the reader of its output stops early (flightdeck --help | head)', async () => {
    const child = spawn(process.execPath, [bin, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before anything is written: every write fails with EPIPE
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('exits 3 on bad usage and without a token', async () => {
    const usage = await flightdeck(['gate', 'wait', '--release', 'shop@3.0.0']);
    expect(usage.code).toBe(3);
    expect(usage.stderr).toContain("required option '--gate <name>' not specified");
    const noToken = await flightdeck(['gate', 'wait', '--release', 'shop@3.0.0', '--gate', 'ALPHA'], {
      FLIGHTDECK_TOKEN: '',
    });
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toContain('FLIGHTDECK_TOKEN is not set');
  });
});

describe('flightdeck evidence submit and gate wait, as processes against the running stack', () => {
  it('uploads a glob of JUnit reports, coverage, a scan and a benchmark, with progress, then gate wait exits 1 on FAIL', async () => {
    const r = await flightdeck([
      'evidence',
      'submit',
      '--release',
      'shop@3.0.0',
      '--gate',
      'FEATURE_COMPLETE',
      '--junit',
      'build/test-results/**/*.xml',
      '--coverage',
      'lcov.info',
      '--sarif',
      'trivy.sarif',
      '--bench',
      'bench.json',
      '--json',
    ]);
    expect(r.stderr).toContain('[1/5] uploading JUNIT build/test-results/TEST-jest.xml');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { ok: boolean; results: { file: string; kind: string; ok: boolean }[] };
    expect(result.ok).toBe(true);
    expect(result.results.map((x) => `${x.kind} ${x.file}`)).toEqual([
      'JUNIT build/test-results/TEST-jest.xml',
      'JUNIT build/test-results/unit/TEST-EmailAddressTest.xml',
      'LCOV lcov.info',
      'SARIF trivy.sarif',
      'BENCHMARK bench.json',
    ]);

    const wait = await flightdeck([
      'gate',
      'wait',
      '--release',
      'shop@3.0.0',
      '--gate',
      'FEATURE_COMPLETE',
      '--timeout',
      '20s',
      '--interval',
      '500ms',
    ]);
    expect(wait.code).toBe(1);
    expect(wait.stdout).toMatch(/^shop@3\.0\.0 FEATURE_COMPLETE: FAIL/);
    expect(wait.stdout).toMatch(/FAIL\s+Integration tests passing\s+15 tests: 3 passed, 6 failed, 5 errors, 1 skipped/);
    expect(wait.stdout).toMatch(/PASS\s+Unit test line coverage above 90%\s+16 of 17 lines \(94\.12%\)/);
  });

  it('refuses a truncated report with exit 3, naming the file and line', async () => {
    const r = await flightdeck([
      'evidence',
      'submit',
      '--release',
      'shop@3.0.0',
      '--gate',
      'FEATURE_COMPLETE',
      '--junit',
      'broken.xml',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /broken\.xml refused: evidence refused, nothing was stored: broken\.xml:\d+:\d+: malformed XML/,
    );
  });

  it('gate wait exits 2 when approvals stay pending until the time-out, then 0 once the gate passes', async () => {
    const R = 'shop@3.0.1-hotfix.1';
    const submit = await flightdeck([
      'evidence',
      'submit',
      '--release',
      R,
      '--gate',
      'HOTFIX',
      '--junit',
      'smoke.xml',
      '--sarif',
      'trivy.sarif',
    ]);
    expect(submit.code).toBe(0);
    expect(submit.stderr).toMatch(/uploading JUNIT smoke\.xml \([\d.]+ KB, [\d.]+ KB gzipped\)/);
    const tina = await token(['TECHNICAL_LEAD'], 'tina');
    for (const item of ['qualifies', 'enhanced-monitoring', 'retro-scheduled']) {
      expect(
        (
          await gql(
            url,
            `mutation { tickChecklistItem(release: "${R}", gate: "HOTFIX", criterion: "hotfix-checklist", item: "${item}") { outcome } }`,
            {},
            tina,
          )
        ).errors,
      ).toBeUndefined();
    }
    const pending = await flightdeck([
      'gate',
      'wait',
      '--release',
      R,
      '--gate',
      'HOTFIX',
      '--timeout',
      '2s',
      '--interval',
      '500ms',
      '--json',
    ]);
    expect(pending.code).toBe(2);
    expect(JSON.parse(pending.stdout)).toMatchObject({
      timedOut: true,
      outcome: 'CONDITIONAL',
      evaluation: { approvalsPending: true },
    });

    await gql(url, `mutation { approveGate(release: "${R}", gate: "HOTFIX") { outcome } }`, {}, tina);
    await gql(
      url,
      `mutation { approveGate(release: "${R}", gate: "HOTFIX") { outcome } }`,
      {},
      await token(['PRODUCT_OWNER'], 'paul'),
    );
    const passed = await flightdeck([
      'gate',
      'wait',
      '--release',
      R,
      '--gate',
      'HOTFIX',
      '--timeout',
      '10s',
      '--interval',
      '500ms',
    ]);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(/^shop@3\.0\.1-hotfix\.1 HOTFIX: PASS/);
    expect(passed.stdout).toMatch(/PASS\s+Minimal tests passing\s+3000 tests: 3000 passed/);
    expect(passed.stdout).toContain('approval PRODUCT_OWNER 1/1 (paul)');
  });

  it('gate wait exits 3 for a release Flightdeck does not know', async () => {
    const r = await flightdeck(['gate', 'wait', '--release', 'shop@0.0.1', '--gate', 'ALPHA', '--timeout', '2s']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('release shop@0.0.1 is not known to the gates service');
  });
});
