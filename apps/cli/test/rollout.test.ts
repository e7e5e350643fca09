// Brings in the typing of inject('natsUrl') and inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { createDeploymentService, schemaPath, type DeploymentService } from '@flightdeck/deployment';
import { gateEvaluationCompleted, JetStreamBus } from '@flightdeck/events';
import { startKubeSim, type KubeSim } from '@flightdeck/kube-sim';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createMetrics } from '@flightdeck/telemetry';
import { databaseUri, eventually, type PrometheusHandle, startPrometheus, tokensFor } from '@flightdeck/testing';
import { startTestGateway, type TestGateway } from '@flightdeck/testing/stack';
import { parseWorkload } from '../src/rollout-start.js';
import { runCli } from './run-cli.js';

const SECRET = 'cli-rollout-test-secret-0123456789abcdef';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const token = tokensFor(SECRET);

let sim: KubeSim;
let prom: PrometheusHandle;
let apps: AppsV1Api;
let mongo: MongoConnection;
let bus: JetStreamBus;
let deployment: DeploymentService;
let gateway: TestGateway;
let sreToken: string;
let work: string;

const flightdeck = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, {
    cwd: work,
    env: { FLIGHTDECK_URL: gateway.url, FLIGHTDECK_TOKEN: sreToken, ...env },
    timeoutMs: 100_000,
  });

async function createWorkload(name: string): Promise<void> {
  const labels = { app: name };
  await apps.createNamespacedDeployment({
    namespace: 'default',
    body: {
      metadata: { name, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'shop/web:1.0.0' }] } },
      },
    },
  });
  await eventually(`${name} ready`, async () =>
    (await apps.readNamespacedDeployment({ name, namespace: 'default' })).status?.readyReplicas === 2
      ? true
      : undefined,
  );
}

async function clear(releaseId: string): Promise<void> {
  await bus.publish(
    gateEvaluationCompleted.create({
      source: 'flightdeck/gates',
      data: {
        releaseId,
        evaluationId: randomUUID(),
        gate: 'PRODUCTION',
        outcome: 'PASS',
        evaluatedAt: new Date().toISOString(),
      },
    }),
  );
  await eventually(`the gate of ${releaseId} projected`, async () =>
    (await mongo.connection.collection('release_gates').findOne({ _id: releaseId as never })) ? true : undefined,
  );
}

/** A release file: two workloads, the web after the api, with fast analysis. */
function releaseFile(name: string, apiImage: string): string {
  const fast = {
    steps: [
      { kind: 'SET_WEIGHT', weight: 50 },
      { kind: 'ANALYSIS', templates: ['success-rate'], initialDelaySeconds: 2 },
    ],
    metrics: [
      {
        name: 'success-rate',
        query:
          'sum(rate(http_requests_total{ {{canarySelector}},code!~"5.." }[30s])) / sum(rate(http_requests_total{ {{canarySelector}} }[30s]))',
        successCondition: 'result >= 0.95',
        intervalSeconds: 1,
        count: 2,
        inconclusiveLimit: 6,
      },
    ],
    progressDeadlineSeconds: 20,
    rollbackWindowSeconds: 0,
  };
  const file = join(work, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      mode: 'WAVES',
      workloads: [
        {
          name: 'api',
          target: { namespace: 'default', deployment: `${name}-api`, container: 'app' },
          image: apiImage,
          ...fast,
        },
        {
          name: 'web',
          dependsOn: ['api'],
          target: { namespace: 'default', deployment: `${name}-web`, container: 'app' },
          image: 'shop/web:2.0.0',
          ...fast,
        },
      ],
    }),
  );
  return file;
}

beforeAll(async () => {
  sim = await startKubeSim({
    timeScale: 20,
    podStartSeconds: 2,
    behaviours: {
      default: { rps: 20, errorRatio: 0.001, p99Seconds: 0.2 },
      'shop/web:3.0.0-bad': { rps: 20, errorRatio: 0.3, p99Seconds: 1.5 },
    },
  });
  prom = await startPrometheus({ scrapeTargets: [sim.metricsUrl], scrapeIntervalSeconds: 1 });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig);
  apps = kc.makeApiClient(AppsV1Api);
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'cli-rollout'), retries: 2 });
  bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: 'cli-rollout-test' });
  const verifier = createTokenVerifier({ secret: SECRET, issuer: 'flightdeck', audience: 'flightdeck' });
  deployment = createDeploymentService({
    mongo,
    bus,
    verifier,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ service: 'deployment' }),
    advisor: createAdvisor(undefined, { recorder: new InMemoryPredictionStore() }),
    kubeconfig: kc,
    prometheusUrl: prom.url,
    durable: `cli-rollout-${randomUUID().slice(0, 8)}`,
    tickMs: 100,
  });
  const { graphqlUrl } = await deployment.listen(0);
  gateway = await startTestGateway(
    [{ name: 'deployment', schema: schemaPath(), url: graphqlUrl }],
    { verifier },
    { root: repoRoot },
  );
  sreToken = await token(['SRE'], 'sam');
  work = mkdtempSync(join(tmpdir(), 'flightdeck-cli-rollout-'));
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  await deployment?.stop();
  await bus?.close();
  await mongo?.close();
  await prom?.stop();
  await sim?.stop();
});

describe('flightdeck rollout', () => {
  it('has help for start, wait, validation and check, with the environment and exit codes', async () => {
    for (const args of [
      ['rollout', 'start', '--help'],
      ['rollout', 'wait', '--help'],
      ['rollout', 'validation', '--help'],
      ['rollout', 'check', '--help'],
    ]) {
      const r = await flightdeck(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('FLIGHTDECK_TOKEN');
      expect(r.stdout).toContain(
        'Exit codes (rollout wait): 0 PROMOTED, 1 ROLLED_BACK or FAILED, 2 timed out, 3 error',
      );
      expect(r.stdout).toContain(
        'Exit codes (rollout validation, rollout check): 0 every validation check passed, 1 one failed, 2 some still pending',
      );
    }
  });

  it('reads --workload key=value lists, and refuses a bad one naming the keys', async () => {
    expect(
      parseWorkload(
        'deployment=api,container=app,image=shop/api:2.0.0,dependsOn=db+auth,strategy=rolling,analysisCount=2',
      ),
    ).toEqual({
      target: { namespace: 'default', deployment: 'api', container: 'app' },
      image: 'shop/api:2.0.0',
      strategy: 'ROLLING',
      dependsOn: ['db', 'auth'],
      analysisCount: 2,
    });
    const r = await flightdeck([
      'rollout',
      'start',
      '--release',
      'x@1.0.0',
      '--workload',
      'deployment=api,imgae=shop/api:2',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      '--workload "deployment=api,imgae=shop/api:2": unknown key "imgae"; keys: name, cluster, namespace, deployment, container, image',
    );
  });

  it('starts a release from a file and waits: exit 0 when promoted; then its validation checklist, checks recorded by release and by rollout', async () => {
    await createWorkload('good-api');
    await createWorkload('good-web');
    await clear('cli@2.0.0');
    const started = await flightdeck([
      'rollout',
      'start',
      '--release',
      'cli@2.0.0',
      '--file',
      releaseFile('good', 'shop/web:2.0.0'),
    ]);
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    expect(started.stderr).toContain(
      `release rollout ${id}: sam started rolling out release cli@2.0.0 to 2 workloads in 2 waves: api, then web`,
    );
    const waited = await flightdeck(['rollout', 'wait', '--id', id, '--interval', '500ms', '--timeout', '90s']);
    expect(waited.code, waited.stdout + waited.stderr).toBe(0);
    expect(waited.stdout).toMatch(new RegExp(`^release rollout ${id}: PROMOTED\\n`));
    expect(waited.stdout).toMatch(/api\s+1\s+PROMOTED\s+shop\/web:2\.0\.0/);
    expect(waited.stdout).toMatch(/web\s+2\s+PROMOTED\s+shop\/web:2\.0\.0/);

    // After promotion: the production validation checklist of every workload, pending (exit 2).
    const pending = await flightdeck(['rollout', 'validation', '--release', 'cli@2.0.0']);
    expect(pending.code, pending.stderr).toBe(2);
    expect(pending.stdout).toMatch(
      /^rollout \S+ \(default\/good-api, shop\/web:2\.0\.0, PROMOTED\): 0 of 15 checks passed, 0 failed, 0 overdue$/m,
    );
    expect(pending.stdout).toMatch(/^rollout \S+ \(default\/good-web, shop\/web:2\.0\.0, PROMOTED\): 0 of 15/m);
    expect(pending.stdout).toMatch(
      /^ {2}\[ \] smoke-journeys: Critical user journeys work in production \(due \S+\)$/m,
    );

    // The pipeline's smoke tests passed: recorded on both workloads at once.
    const smoke = await flightdeck([
      'rollout',
      'check',
      '--release',
      'cli@2.0.0',
      '--check',
      'smoke-journeys',
      '--passed',
      '--note',
      'smoke suite green',
    ]);
    expect(smoke.code, smoke.stderr).toBe(2);
    expect(smoke.stderr.match(/: smoke-journeys recorded as passed$/gm)).toHaveLength(2);
    expect(
      smoke.stdout.match(/^ {2}\[x\] smoke-journeys: .* — passed \(sam, \S+\): smoke suite green$/gm),
    ).toHaveLength(2);

    // One workload's error rate is not right: that rollout's checklist fails (exit 1), shown as [!].
    const api = /^rollout (\S+) \(default\/good-api/m.exec(pending.stdout)![1]!;
    const failed = await flightdeck([
      'rollout',
      'check',
      '--rollout',
      api,
      '--check',
      'error-rate-latency',
      '--failed',
      '--note',
      'p99 up 40%',
    ]);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(/: 1 of 15 checks passed, 1 failed, 0 overdue$/m);
    expect(failed.stdout).toMatch(/^ {2}\[!\] error-rate-latency: .* — failed \(sam, \S+\): p99 up 40%$/m);

    // Bad input: an unknown check names the known ones; no verdict, or both, or no rollout is a usage error (3).
    const unknown = await flightdeck(['rollout', 'check', '--rollout', api, '--check', 'vibes', '--passed']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('checkId "vibes" is not on the checklist; it has: health-checks, ');
    for (const args of [
      ['--rollout', api, '--check', 'logs-clean'],
      ['--rollout', api, '--check', 'logs-clean', '--passed', '--failed'],
      ['--check', 'logs-clean', '--passed'],
    ]) {
      const bad = await flightdeck(['rollout', 'check', ...args]);
      expect(bad.code, args.join(' ')).toBe(3);
      expect(bad.stderr).toMatch(/--passed or --failed|cannot be used with option|--rollout <id> or --release/);
    }
  }, 180_000);

  it('waits on a release that goes bad: exit 1, saying which workload and measurement decided it', async () => {
    await createWorkload('bad-api');
    await createWorkload('bad-web');
    await clear('cli@3.0.0');
    const started = await flightdeck([
      'rollout',
      'start',
      '--release',
      'cli@3.0.0',
      '--file',
      releaseFile('bad', 'shop/web:3.0.0-bad'),
    ]);
    expect(started.code, started.stderr).toBe(0);
    const waited = await flightdeck([
      'rollout',
      'wait',
      '--release',
      'cli@3.0.0',
      '--interval',
      '500ms',
      '--timeout',
      '90s',
    ]);
    expect(waited.code, waited.stdout + waited.stderr).toBe(1);
    expect(waited.stdout).toContain(': ROLLED_BACK\n');
    expect(waited.stdout).toMatch(/decided by: api \(rollout \S+\.api\.1\): /);
    expect(waited.stdout).toMatch(/ {2}success-rate = 0\.\d+ \(failed: /);
    expect(waited.stdout).toContain('rolled back in this order: api');
    const timedOut = await flightdeck(['rollout', 'wait', '--id', 'no-such-id', '--timeout', '1s']);
    expect(timedOut.code).toBe(3);
    expect(timedOut.stderr).toContain('release rollout no-such-id does not exist');
  }, 120_000);
});
