// Brings in the typing of inject('natsUrl') and inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdvisor, InMemoryPredictionStore } from '@flightdeck/ai';
import { createTokenVerifier } from '@flightdeck/auth';
import { gateEvaluationCompleted, JetStreamBus } from '@flightdeck/events';
import { verifyWebhookSignature } from '@flightdeck/notify';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { createPlanningService, schemaPath, type PlanningService } from '@flightdeck/planning';
import { createMetrics } from '@flightdeck/telemetry';
import { databaseUri, eventually, gql, startHttpReceiver, tokensFor, type HttpReceiver } from '@flightdeck/testing';
import { startTestGateway, type TestGateway } from '@flightdeck/testing/stack';
import { runCli } from './run-cli.js';

const SECRET = 'cli-notify-test-secret-0123456789abcdef';
const HOOK_SECRET = 'cli-notify-hook-shared-secret';
const token = tokensFor(SECRET);

let mongo: MongoConnection;
let bus: JetStreamBus;
let planning: PlanningService;
let gateway: TestGateway;
let receiver: HttpReceiver;
let url: string;
let manager: string;

const flightdeck = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { env: { FLIGHTDECK_URL: url, FLIGHTDECK_TOKEN: manager, ...env } });

beforeAll(async () => {
  receiver = await startHttpReceiver();
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'cli-notify'), retries: 2 });
  bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: 'cli-notify-test' });
  const verifier = createTokenVerifier({ secret: SECRET, issuer: 'flightdeck', audience: 'flightdeck' });
  planning = createPlanningService({
    mongo,
    bus,
    verifier,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ service: 'planning' }),
    advisor: createAdvisor(undefined, { recorder: new InMemoryPredictionStore() }),
    durable: `cli-notify-${randomUUID().slice(0, 8)}`,
    notify: { pollMs: 100, retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 } },
  });
  const { graphqlUrl } = await planning.listen(0);
  gateway = await startTestGateway([{ name: 'planning', schema: schemaPath(), url: graphqlUrl }], { verifier });
  url = gateway.url;
  manager = await token(['RELEASE_MANAGER'], 'rita');
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await planning?.stop();
  await bus?.close();
  await mongo?.close();
  await receiver?.stop();
});

describe('flightdeck notify', () => {
  it('has --help naming the audiences, channels and exit codes', async () => {
    const run = await flightdeck(['notify', 'subscribe', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--secret-env <variable>');
    expect(run.stdout).toContain('DEVELOPMENT_TEAM, MANAGEMENT, QA, CUSTOMERS_PARTNERS');
  });

  it('refuses an unknown channel and a bad URL with exit 3, naming what is wrong, and stores nothing', async () => {
    const fax = await flightdeck([
      'notify',
      'subscribe',
      '--product',
      'cli-notes',
      '--audience',
      'qa',
      '--channel',
      'fax',
      '--url',
      'https://x.example.com/',
    ]);
    expect(fax.code).toBe(3);
    expect(fax.stderr).toContain('channel "FAX" is unknown; expected one of SLACK, TEAMS, EMAIL, WEBHOOK');
    const bad = await flightdeck([
      'notify',
      'subscribe',
      '--product',
      'cli-notes',
      '--audience',
      'qa',
      '--channel',
      'slack',
      '--url',
      'hooks.slack.com/x',
    ]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/SLACK target: url: /);
    const noSecret = await flightdeck([
      'notify',
      'subscribe',
      '--product',
      'cli-notes',
      '--audience',
      'qa',
      '--channel',
      'webhook',
      '--url',
      `${receiver.url}/x`,
      '--secret-env',
      'NOT_SET_ANYWHERE',
    ]);
    expect(noSecret.code).toBe(3);
    expect(noSecret.stderr).toContain('--secret-env NOT_SET_ANYWHERE: that environment variable is not set or empty');
    const list = await flightdeck(['notify', 'list', '--product', 'cli-notes']);
    expect(list).toMatchObject({ code: 0, stdout: 'no subscriptions\n' });
  });

  it('subscribes a signed webhook, lists it, and shows its delivery after a gate fails', async () => {
    const sub = await flightdeck(
      [
        'notify',
        'subscribe',
        '--product',
        'cli-notes',
        '--audience',
        'qa',
        '--channel',
        'webhook',
        '--url',
        `${receiver.url}/qa`,
        '--secret-env',
        'QA_HOOK_SECRET',
        '--json',
      ],
      { QA_HOOK_SECRET: HOOK_SECRET },
    );
    expect(sub.stderr).toBe('');
    expect(sub.code).toBe(0);
    const created = JSON.parse(sub.stdout) as { id: string; cadence: string; destination: string };
    expect(created.cadence).toBe('AS_IT_HAPPENS');
    expect(created.destination).not.toContain(HOOK_SECRET);
    const list = await flightdeck(['notify', 'list', '--product', 'cli-notes']);
    expect(list.stdout).toContain(`${created.id}  cli-notes  QA  AS_IT_HAPPENS  webhook ${receiver.url}/…`);

    const release = await gql<{ createRelease: { id: string } }>(
      url,
      'mutation($i: CreateReleaseInput!) { createRelease(input: $i) { id } }',
      {
        i: {
          product: 'cli-notes',
          version: '1.0.0',
          theme: 't',
          owner: 'rita',
          targetDate: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      },
      manager,
    );
    await bus.publish(
      gateEvaluationCompleted.create({
        source: 'flightdeck/gates',
        data: {
          releaseId: release.data!.createRelease.id,
          evaluationId: 'e-1',
          gate: 'BETA',
          outcome: 'FAIL',
          evaluatedAt: new Date().toISOString(),
        },
      }),
    );
    const [request] = await receiver.waitFor(1);
    expect(
      verifyWebhookSignature(request!.body, String(request!.headers['x-flightdeck-signature']), HOOK_SECRET, {
        toleranceSeconds: 300,
      }),
    ).toEqual({ valid: true });
    const shown = await eventually('the delivery to show as SENT', async () => {
      const run = await flightdeck(['notify', 'deliveries', '--release', 'cli-notes@1.0.0']);
      return run.stdout.startsWith('SENT') ? run : undefined;
    });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('gate.failed  QA  webhook');
    expect(shown.stdout).toContain('attempts 1');
  });
});
