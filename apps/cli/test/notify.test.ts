import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateEvaluationCompleted, JetStreamBus } from '@flightdeck/events';
import { verifyWebhookSignature } from '@flightdeck/notify';
import { eventually, gql, startHttpReceiver, type HttpReceiver } from '@flightdeck/testing';
import { startStack as startPlanningStack, type Stack as PlanningStack } from '@flightdeck/planning/testing';
import { runCli } from './run-cli.js';

const HOOK_SECRET = 'cli-notify-hook-shared-secret';

let stack: PlanningStack;
let bus: JetStreamBus;
let receiver: HttpReceiver;
let url: string;
let manager: string;

const flightdeck = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { env: { FLIGHTDECK_URL: url, FLIGHTDECK_TOKEN: manager, ...env } });

beforeAll(async () => {
  receiver = await startHttpReceiver();
  stack = await startPlanningStack('cli-notify', {
    notify: { pollMs: 100, retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 } },
  });
  url = stack.gatewayUrl;
  bus = stack.bus;
  manager = await stack.token(['RELEASE_MANAGER'], 'rita');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
});

describe('flightdeck notify', () => {
  it('has --help naming the audiences, channels and exit codes', async () => {
    const run = await flightdeck(['notify', 'subscribe', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--secret-env <variable>');
    expect(run.stdout).toContain('DEVELOPMENT_TEAM, MANAGEMENT, QA, CUSTOMERS_PARTNERS');
  });

  it('lists the audiences as planning defines them, customers and partners hearing only as it happens', async () => {
    const run = await flightdeck(['notify', 'audiences']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.map((l) => l.split('  ')[0])).toEqual(['DEVELOPMENT_TEAM', 'MANAGEMENT', 'QA', 'CUSTOMERS_PARTNERS']);
    expect(lines[0]).toMatch(/usually DAILY, may choose AS_IT_HAPPENS, DAILY, WEEKLY; receives progress, blockers/);
    expect(lines[3]).toMatch(/usually AS_IT_HAPPENS, may choose AS_IT_HAPPENS; receives release announcements/);
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

  it('unsubscribes by the id notify list shows; an unknown id exits 3 naming it', async () => {
    const sub = await flightdeck([
      'notify',
      'subscribe',
      '--product',
      'cli-leaving',
      '--audience',
      'management',
      '--channel',
      'email',
      '--to',
      'mgmt@example.com',
      '--json',
    ]);
    expect(sub.code).toBe(0);
    const { id } = JSON.parse(sub.stdout) as { id: string };
    const gone = await flightdeck(['notify', 'unsubscribe', '--id', id]);
    expect(gone.stderr).toBe('');
    expect(gone.code).toBe(0);
    expect(gone.stdout).toBe(`unsubscribed ${id}: MANAGEMENT of cli-leaving, WEEKLY, email to mgmt@example.com\n`);
    const list = await flightdeck(['notify', 'list', '--product', 'cli-leaving', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const again = await flightdeck(['notify', 'unsubscribe', '--id', id]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(`subscription ${id} does not exist`);
  });
});
