// Brings in the typing of inject('natsUrl') and inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { pino } from 'pino';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { JetStreamBus, releaseCreatedV2 } from '@flightdeck/events';
import { createGatesService, type GatesService } from '@flightdeck/gates';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createMetrics } from '@flightdeck/telemetry';
import { databaseUri, gql, tokensFor } from '@flightdeck/testing';
import { startTestGateway, type TestGateway } from '@flightdeck/testing/stack';
import { runCli, ask as askAs } from './run-cli.js';

// The Release Candidate gate end to end: the team's key in the product's gate definition, the pipeline uploading the
// build record, SBOM, smoke tests and performance with the CLI, forged or malformed files refused with nothing stored,
// and the four sign-offs of the process through the gateway.

const SECRET = 'cli-rc-test-secret-0123456789abcdef012';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (name: string) => join(repoRoot, 'apps/gates/test/fixtures', name);
const token = tokensFor(SECRET);
const RELEASE = 'rc-shop@2.6.0';
const GATE = 'RELEASE_CANDIDATE';

let mongo: MongoConnection;
let bus: JetStreamBus;
let gates: GatesService;
let gateway: TestGateway;
let url: string;
let ciToken: string;
let work: string;

const team = generateKeyPairSync('ed25519');
const teamKey = team.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const signDigest = (digest: string) => sign(null, Buffer.from(digest), team.privateKey).toString('base64');
const digestOf = (bytes: string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const built = digestOf('the rc-shop 2.6.0-rc.1 image layers');

function buildRecord(over: Record<string, unknown> = {}) {
  return {
    artifact: 'ghcr.io/acme/rc-shop',
    versionTag: 'v2.6.0-rc.1',
    digest: built,
    sourceBranch: 'release/2.6',
    commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
    cleanBuild: true,
    signature: signDigest(built),
    ...over,
  };
}

const flightdeck = (args: string[]) =>
  runCli(args, { cwd: work, env: { FLIGHTDECK_URL: url, FLIGHTDECK_TOKEN: ciToken } });

const submit = (...files: string[]) =>
  flightdeck(['evidence', 'submit', '--release', RELEASE, '--gate', GATE, ...files]);

const ask = <T>(query: string, variables: Record<string, unknown>, as: string) => askAs<T>(url, query, variables, as);

interface GateState {
  outcome: string | null;
  evidence: { kind: string; name: string }[];
  latestEvaluation: {
    approvalsPending: boolean;
    criteria: { criterionId: string; result: string; measured: string; explanation: string }[];
    approvals: { role: string; approvedBy: string[]; satisfied: boolean }[];
  } | null;
}
const GATE_STATE = `query($r: String!, $g: String!) { gate(release: $r, gate: $g) {
  outcome evidence { kind name }
  latestEvaluation { approvalsPending criteria { criterionId result measured explanation } approvals { role approvedBy satisfied } }
} }`;

async function gateState(): Promise<GateState> {
  return (await ask<{ gate: GateState }>(GATE_STATE, { r: RELEASE, g: GATE }, await token(['VIEWER'], 'vera'))).gate;
}

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'cli-rc'), retries: 2 });
  bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: 'cli-rc-test' });
  const verifier = createTokenVerifier({ secret: SECRET, issuer: 'flightdeck', audience: 'flightdeck' });
  gates = createGatesService({
    mongo,
    bus,
    verifier,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ service: 'gates' }),
    advisor: createAdvisor(undefined, { recorder: new InMemoryPredictionStore() }),
    durable: `cli-rc-${randomUUID().slice(0, 8)}`,
  });
  const { graphqlUrl } = await gates.listen(0);
  gateway = await startTestGateway(
    [{ name: 'gates', schema: 'apps/gates/schema.graphql', url: graphqlUrl }],
    { verifier },
    { root: repoRoot },
  );
  url = gateway.url;
  ciToken = await token(['CI'], 'pipeline', { machine: true });

  work = mkdtempSync(join(tmpdir(), 'flightdeck-rc-'));
  writeFileSync(join(work, 'rc.json'), JSON.stringify(buildRecord()));
  // The same signature over a digest of other bytes: the artifact changed after signing.
  const tampered = digestOf('the rc-shop 2.6.0-rc.1 image layers, and a backdoor');
  writeFileSync(join(work, 'tampered.json'), JSON.stringify(buildRecord({ digest: tampered })));
  writeFileSync(join(work, 'unsigned.json'), JSON.stringify(buildRecord({ signature: 'not base64!' })));
  copyFileSync(fixture('cyclonedx-1.4-laravel-7.12.0.json'), join(work, 'bom.cdx.json'));
  const bom = readFileSync(fixture('cyclonedx-1.4-laravel-7.12.0.json'), 'utf8');
  writeFileSync(join(work, 'truncated.cdx.json'), bom.slice(0, bom.length / 2));
  writeFileSync(
    join(work, 'nameless.cdx.json'),
    JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ type: 'library', version: '1.0' }] }),
  );
  copyFileSync(fixture('jest-junit.xml'), join(work, 'all-failing-smoke.xml'));
  writeFileSync(
    join(work, 'smoke.xml'),
    '<?xml version="1.0"?>\n<testsuite name="smoke" tests="2"><testcase classname="rc.Smoke" name="home page"/><testcase classname="rc.Smoke" name="checkout"/></testsuite>\n',
  );
  writeFileSync(
    join(work, 'perf.json'),
    JSON.stringify({ benchmarks: [{ name: 'p95_latency_ms', value: 231, unit: 'ms' }] }),
  );

  const releaseId = randomUUID();
  await bus.publish(
    releaseCreatedV2.create({
      source: 'flightdeck/planning',
      data: {
        releaseId,
        product: 'rc-shop',
        version: '2.6.0',
        releaseType: 'MINOR',
        theme: 'Gift cards',
        owner: 'rita',
        targetDate: new Date().toISOString(),
        createdBy: 'rita',
      },
    }),
  );
  const viewer = await token(['VIEWER'], 'viewer');
  for (
    let i = 0;
    i < 100 && !(await gql(url, `{ releaseGates(release: "${RELEASE}") { name } }`, {}, viewer)).data;
    i++
  )
    await new Promise((r) => setTimeout(r, 100));

  // The product's Release Candidate gate, with the team's public key; the Beta gate cleared by an audited override.
  const lead = await token(['TECHNICAL_LEAD'], 'tom');
  const definition = {
    name: GATE,
    title: 'Release Candidate',
    order: 35,
    criteria: [
      { id: 'beta-passed', name: 'Beta gate passed', kind: 'upstream', gate: 'BETA' },
      {
        id: 'signed-build',
        name: 'Clean signed build from the release branch',
        kind: 'artifact',
        publicKey: teamKey,
      },
      { id: 'sbom-licences', name: 'SBOM within the licence policy', kind: 'sbom' },
      { id: 'smoke-tests', name: 'Smoke tests passing', kind: 'tests', maxFailures: 0, minTests: 1 },
      {
        id: 'performance',
        name: 'p95 latency',
        kind: 'performance',
        metric: 'p95_latency_ms',
        op: '<=',
        bound: 500,
      },
    ],
    approvals: [
      { role: 'PRODUCT_OWNER', count: 1 },
      { role: 'TECHNICAL_LEAD', count: 1 },
      { role: 'BUSINESS_STAKEHOLDER', count: 1 },
      { role: 'SUPPORT_LEAD', count: 1 },
    ],
    fourEyes: true,
  };
  writeFileSync(join(work, 'release-candidate.yaml'), stringifyYaml(definition));
  const defined = await runCli(['gate', 'define', '--product', 'rc-shop', '--file', 'release-candidate.yaml'], {
    cwd: work,
    env: { FLIGHTDECK_URL: url, FLIGHTDECK_TOKEN: lead },
  });
  expect(defined.code, defined.stderr).toBe(0);
  expect(defined.stdout).toMatch(
    /^rc-shop RELEASE_CANDIDATE gate \(Release Candidate\): version 1 defined by tom, for standard releases\n/,
  );
  expect(defined.stdout).toContain('  hard  signed-build (artifact): Clean signed build from the release branch');
  expect(defined.stdout).toContain(
    '  approvals: 1 from PRODUCT_OWNER, 1 from TECHNICAL_LEAD, 1 from BUSINESS_STAKEHOLDER, 1 from SUPPORT_LEAD (four-eyes)',
  );
  await ask(
    `mutation { overrideGate(release: "${RELEASE}", gate: "BETA", outcome: PASS, reason: "beta signed off on paper") { outcome } }`,
    {},
    await token(['RELEASE_MANAGER'], 'rob'),
  );
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await gates?.stop();
  await bus?.close();
  await mongo?.close();
});

describe('the Release Candidate gate through the CLI and the gateway', () => {
  it('refuses a tampered artifact, a malformed signature and malformed SBOMs, each named, and stores nothing', async () => {
    const tampered = await submit('--artifact', 'tampered.json');
    expect(tampered.code).toBe(3);
    expect(tampered.stderr).toMatch(
      /tampered\.json refused: evidence refused, nothing was stored: tampered\.json: the Ed25519 signature does not match sha256:[0-9a-f]{64}: the artifact changed after signing, or another key signed it/,
    );
    const unsigned = await submit('--artifact', 'unsigned.json');
    expect(unsigned.code).toBe(3);
    expect(unsigned.stderr).toContain('unsigned.json refused: evidence refused, nothing was stored: unsigned.json:1:');
    expect(unsigned.stderr).toContain('signature: base64 (the raw signature bytes');

    const truncated = await submit('--sbom', 'truncated.cdx.json');
    expect(truncated.code).toBe(3);
    expect(truncated.stderr).toMatch(
      /truncated\.cdx\.json refused: evidence refused, nothing was stored: truncated\.cdx\.json:\d+:\d+: malformed JSON/,
    );
    const nameless = await submit('--sbom', 'nameless.cdx.json');
    expect(nameless.code).toBe(3);
    expect(nameless.stderr).toMatch(
      /nameless\.cdx\.json refused: evidence refused, nothing was stored: nameless\.cdx\.json/,
    );
    expect(nameless.stderr).toContain('components.0.name');

    const state = await gateState();
    expect(state.evidence).toEqual([]);
    expect(state.latestEvaluation).toBeNull();
    const audit = await ask<{ auditTrail: { action: string }[] }>(
      `query { auditTrail(release: "${RELEASE}", gate: "${GATE}") { action } }`,
      {},
      await token(['RELEASE_MANAGER'], 'rob'),
    );
    expect(audit.auditTrail).toEqual([]);
  });

  it('accepts the signed build, SBOM, smoke tests and performance; then waits for the four sign-offs, four-eyes kept', async () => {
    const accepted = await submit(
      '--artifact',
      'rc.json',
      '--sbom',
      'bom.cdx.json',
      '--junit',
      'smoke.xml',
      '--bench',
      'perf.json',
    );
    expect(accepted.stderr).toContain('[1/4] uploading JUNIT smoke.xml');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout.trim()).toBe(`4 of 4 reports accepted for ${RELEASE} ${GATE}`);

    let state = await gateState();
    expect(state.evidence.map((e) => `${e.kind} ${e.name}`).sort()).toEqual([
      'ARTIFACT rc.json',
      'BENCHMARK perf.json',
      'JUNIT smoke.xml',
      'SBOM bom.cdx.json',
    ]);
    const byId = Object.fromEntries(state.latestEvaluation!.criteria.map((c) => [c.criterionId, c]));
    expect(Object.values(byId).map((c) => `${c.criterionId} ${c.result}`)).toEqual([
      'beta-passed PASS',
      'signed-build PASS',
      'sbom-licences PASS',
      'smoke-tests PASS',
      'performance PASS',
    ]);
    expect(byId['signed-build']!.measured).toBe(
      `ghcr.io/acme/rc-shop v2.6.0-rc.1 ${built} from release/2.6@9fceb02d0ae5 (clean build), Ed25519 signature verified`,
    );
    expect(byId['sbom-licences']!.measured).toBe(
      'CycloneDX 1.4: 62 components, 3 distinct licences (MIT 57, BSD-3-Clause 4, Apache-2.0 1), 0 without',
    );
    expect(state.outcome).toBe('CONDITIONAL');
    expect(state.latestEvaluation!.approvalsPending).toBe(true);

    // The requester (rita) holds every role but cannot be the only approver: four-eyes.
    const APPROVE = `mutation($role: GateRole!) { approveGate(release: "${RELEASE}", gate: "${GATE}", role: $role, comment: "signed off") { outcome } }`;
    const people: [string, string][] = [
      ['PRODUCT_OWNER', 'paula'],
      ['TECHNICAL_LEAD', 'tom'],
      ['BUSINESS_STAKEHOLDER', 'bea'],
      ['SUPPORT_LEAD', 'sue'],
    ];
    const ciApproval = await gql(url, APPROVE, { role: 'SUPPORT_LEAD' }, ciToken);
    expect(ciApproval.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const wrongRole = await gql(url, APPROVE, { role: 'SUPPORT_LEAD' }, await token(['DEVELOPER'], 'dan'));
    expect(wrongRole.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const [i, [role, who]] of people.entries()) {
      const r = await ask<{ approveGate: { outcome: string } }>(APPROVE, { role }, await token([role as never], who));
      expect(r.approveGate.outcome).toBe(i === people.length - 1 ? 'PASS' : 'CONDITIONAL');
    }
    state = await gateState();
    expect(state.latestEvaluation!.approvals).toEqual(
      people.map(([role, who]) => ({ role, approvedBy: [who], satisfied: true })),
    );

    const wait = await flightdeck(['gate', 'wait', '--release', RELEASE, '--gate', GATE, '--timeout', '20s']);
    expect(wait.code).toBe(0);
    expect(wait.stdout).toMatch(/^rc-shop@2\.6\.0 RELEASE_CANDIDATE: PASS/);
  });

  it("gate define refuses a bad definition in gates' words, a missing file, and a pipeline token; nothing is defined", async () => {
    const lead = await token(['TECHNICAL_LEAD'], 'tom');
    const define = (file: string, who: string) =>
      runCli(['gate', 'define', '--product', 'rc-shop', '--file', file], {
        cwd: work,
        env: { FLIGHTDECK_URL: url, FLIGHTDECK_TOKEN: who },
      });
    writeFileSync(
      join(work, 'bad-gate.yaml'),
      'name: RELEASE_CANDIDATE\ncriteria:\n  - { id: vibes, name: Good vibes, kind: vibes }\napprovals: []\n',
    );
    const bad = await define('bad-gate.yaml', lead);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^flightdeck: .*criteria\.0/m);
    const missing = await define('no-such-gate.yaml', lead);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('--file no-such-gate.yaml: no such file');
    const byCi = await define('release-candidate.yaml', ciToken);
    expect(byCi.code).toBe(3);
    expect(byCi.stderr).toMatch(/defining a gate/);
    // Still the version defined in beforeAll.
    const defs = await ask<{ gateDefinitions: { name: string; version: number }[] }>(
      '{ gateDefinitions(product: "rc-shop") { name version } }',
      {},
      lead,
    );
    expect(defs.gateDefinitions.filter((g) => g.name === 'RELEASE_CANDIDATE')).toEqual([
      { name: 'RELEASE_CANDIDATE', version: 1 },
    ]);
  });

  it('evidence submit --help names the SBOM and build record options', async () => {
    const help = await flightdeck(['evidence', 'submit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--sbom <file>');
    expect(help.stdout).toContain('--artifact <file>');
  });
});
