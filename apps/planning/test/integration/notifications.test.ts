import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateEvaluationCompleted, rolloutRolledBack, rolloutSucceeded } from '@flightdeck/events';
import { DELIVERY_HEADER, verifyWebhookSignature } from '@flightdeck/notify';
import {
  eventually,
  gql,
  startHttpReceiver,
  startSmtpSink,
  type HttpReceiver,
  type SmtpSink,
} from '@flightdeck/testing';
import { createRelease, startStack, type Stack } from './stack.js';

// The shapes of GraphQL answers are what the assertions below check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;

const WEBHOOK_SECRET = 'qa-webhook-shared-secret-0123';
const MAX_ATTEMPTS = 3;

let stack: Stack;
let manager: string;
let qaLead: string;
let developer: string;
let qaHook: HttpReceiver;
let slack: HttpReceiver;
let teams: HttpReceiver;
let smtp: SmtpSink;

beforeAll(async () => {
  [qaHook, slack, teams, smtp] = await Promise.all([
    startHttpReceiver(),
    startHttpReceiver(),
    startHttpReceiver(),
    startSmtpSink(),
  ]);
  stack = await startStack('notifications', {
    notify: {
      smtp: { url: smtp.url, from: 'Flightdeck <flightdeck@example.com>', timeoutMs: 5_000 },
      retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 50, maxDelayMs: 200 },
      linkBaseUrl: 'https://flightdeck.example.com',
      pollMs: 100,
      timeoutMs: 5_000,
    },
  });
  [manager, qaLead, developer] = await Promise.all([
    stack.token(['RELEASE_MANAGER'], 'rita'),
    stack.token(['QA_LEAD'], 'quinn'),
    stack.token(['DEVELOPER'], 'dev'),
  ]);
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([qaHook?.stop(), slack?.stop(), teams?.stop(), smtp?.stop()]);
});

const SUBSCRIPTION = 'id product audience cadence channel destination createdBy';

const subscribe = (input: Record<string, unknown>, token = manager) =>
  gql<{ subscribe: Answer }>(
    stack.gatewayUrl,
    `mutation($input: SubscribeInput!) { subscribe(input: $input) { ${SUBSCRIPTION} } }`,
    { input },
    token,
  );

const subscriptions = async (product: string) => {
  const r = await gql<{ subscriptions: Answer[] }>(
    stack.gatewayUrl,
    `query($p: String) { subscriptions(product: $p) { ${SUBSCRIPTION} } }`,
    { p: product },
    manager,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.subscriptions;
};

const deliveries = async (release: string, token = qaLead) => {
  const r = await gql<{ notificationDeliveries: Answer[] }>(
    stack.gatewayUrl,
    'query($r: String!) { notificationDeliveries(release: $r) { id audience event title channel destination status attempts lastError sentAt } }',
    { r: release },
    token,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.notificationDeliveries;
};

const newRelease = (product: string, version: string) =>
  createRelease(stack.gatewayUrl, manager, { product, version, theme: 'Notifications' });

const gateFailed = (releaseId: string, evaluationId: string) =>
  gateEvaluationCompleted.create({
    source: 'flightdeck/gates',
    data: {
      releaseId,
      evaluationId,
      gate: 'ALPHA',
      outcome: 'FAIL',
      evaluatedAt: new Date().toISOString(),
      reasons: ['system tests: 3 of 120 failed'],
    },
  });

describe('the communication plan through the gateway', () => {
  it('refuses an unknown channel, a bad URL, a bad address and a short secret by name, storing nothing', async () => {
    const before = await subscriptions('refusals');
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { kind: 'FAX', url: 'https://fax.example.com/' },
        'target.kind',
        /channel "FAX" is unknown; expected one of SLACK, TEAMS, EMAIL, WEBHOOK/,
      ],
      [{ kind: 'SLACK', url: 'not a url' }, 'target.url', /SLACK target: url: /],
      [{ kind: 'TEAMS', url: 'http://teams.example.com/hook' }, 'target.url', /https:\/\/ URL/],
      [{ kind: 'EMAIL', to: ['qa-at-example.com'] }, 'target.to.0', /EMAIL target: to\.0/],
      [
        { kind: 'WEBHOOK', url: 'https://hooks.example.com/x', secret: 'short' },
        'target.secret',
        /at least 16 characters/,
      ],
    ];
    for (const [channel, field, message] of cases) {
      const r = await subscribe({ product: 'refusals', audience: 'QA', channel });
      expect(r.data?.subscribe ?? null, JSON.stringify(channel)).toBeNull();
      expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.errors![0]!.message).toMatch(message);
    }
    const badProduct = await subscribe({
      product: 'Not A Product',
      audience: 'QA',
      channel: { kind: 'SLACK', url: slack.url },
    });
    expect(badProduct.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'product' });
    expect(await subscriptions('refusals')).toEqual(before);
  });

  it('lets only a release manager change or read the plan', async () => {
    const r = await subscribe(
      { product: 'roles', audience: 'QA', channel: { kind: 'SLACK', url: slack.url } },
      developer,
    );
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const read = await gql(stack.gatewayUrl, '{ subscriptions { id } }', {}, qaLead);
    expect(read.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await subscriptions('roles')).toEqual([]);
  });

  it('tells anyone signed in what each audience receives, its usual cadence and the cadences it may choose', async () => {
    const r = await gql<{ audiences: unknown[] }>(
      stack.gatewayUrl,
      '{ audiences { audience usualCadence cadences receives } }',
      {},
      qaLead,
    );
    expect(r.errors).toBeUndefined();
    const all = ['AS_IT_HAPPENS', 'DAILY', 'WEEKLY'];
    expect(r.data!.audiences).toEqual([
      {
        audience: 'DEVELOPMENT_TEAM',
        usualCadence: 'DAILY',
        cadences: all,
        receives: expect.stringMatching(/blockers/),
      },
      { audience: 'MANAGEMENT', usualCadence: 'WEEKLY', cadences: all, receives: expect.stringMatching(/risks/) },
      { audience: 'QA', usualCadence: 'AS_IT_HAPPENS', cadences: all, receives: expect.stringMatching(/gate results/) },
      {
        audience: 'CUSTOMERS_PARTNERS',
        usualCadence: 'AS_IT_HAPPENS',
        cadences: ['AS_IT_HAPPENS'],
        receives: expect.stringMatching(/release notes/),
      },
    ]);
  });

  it('notifies the QA subscribers of a failed gate once, on every channel, with a link to act; other audiences not', async () => {
    const product = 'notify-shop';
    const hook = await subscribe({
      product,
      audience: 'QA',
      channel: { kind: 'WEBHOOK', url: `${qaHook.url}/flightdeck`, secret: WEBHOOK_SECRET },
    });
    expect(hook.errors).toBeUndefined();
    expect(hook.data!.subscribe).toMatchObject({
      product,
      audience: 'QA',
      cadence: 'AS_IT_HAPPENS',
      channel: 'WEBHOOK',
      createdBy: 'rita',
    });
    expect(hook.data!.subscribe.destination).not.toContain(WEBHOOK_SECRET);
    for (const channel of [
      { kind: 'EMAIL', to: ['qa@example.com'] },
      { kind: 'TEAMS', url: `${teams.url}/qa` },
    ]) {
      expect((await subscribe({ product, audience: 'QA', channel })).errors).toBeUndefined();
    }
    // Management hears about rollbacks, not gate results.
    expect(
      (
        await subscribe({
          product,
          audience: 'MANAGEMENT',
          cadence: 'AS_IT_HAPPENS', // no weekly status among these deliveries
          channel: { kind: 'SLACK', url: `${slack.url}/mgmt` },
        })
      ).errors,
    ).toBeUndefined();
    expect((await subscriptions(product)).map((s) => s.audience).sort()).toEqual(['MANAGEMENT', 'QA', 'QA', 'QA']);

    const releaseId = await newRelease(product, '1.0.0');
    const event = gateFailed(releaseId, 'alpha-1');
    await stack.bus.publish(event);
    const sent = await eventually('the three QA deliveries to be SENT', async () => {
      const all = await deliveries(`${product}@1.0.0`);
      return all.length === 3 && all.every((d) => d.status === 'SENT') ? all : undefined;
    });
    expect(sent.map((d) => d.channel).sort()).toEqual(['EMAIL', 'TEAMS', 'WEBHOOK']);
    expect(sent.every((d) => d.audience === 'QA' && d.event === 'gate.failed' && d.attempts === 1)).toBe(true);
    expect(sent[0]!.title).toBe(`${product} 1.0.0: ALPHA gate failed`);

    const [request] = await qaHook.waitFor(1);
    const check = verifyWebhookSignature(
      request!.body,
      String(request!.headers['x-flightdeck-signature']),
      WEBHOOK_SECRET,
      {
        toleranceSeconds: 300,
      },
    );
    expect(check).toMatchObject({ valid: true });
    const body = JSON.parse(request!.body) as Answer;
    expect(body).toMatchObject({
      event: 'gate.failed',
      severity: 'warning',
      link: { url: `https://flightdeck.example.com/releases/${encodeURIComponent(releaseId)}` },
      data: { releaseId, gate: 'ALPHA', outcome: 'FAIL' },
    });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(['qa@example.com']);
    const emailed = sent.find((d) => d.channel === 'EMAIL')!;
    expect(mail!.raw).toContain(`Subject: ${product} 1.0.0: ALPHA gate failed`);
    expect(mail!.raw.replace(/\s+/g, '')).toContain(`<${emailed.id}@example.com>`);
    // The body is quoted-printable: soft line breaks joined before looking for the link.
    expect(mail!.raw.replace(/=\r?\n/g, '')).toContain(`https://flightdeck.example.com/releases/${releaseId}`);
    expect((await teams.waitFor(1))[0]!.path).toBe('/qa');

    // The same event again (a redelivery) and a second, later one: the redelivery adds nothing.
    await stack.bus.publish(event);
    await stack.bus.publish(gateFailed(releaseId, 'alpha-2'));
    await eventually('the second evaluation to be delivered', async () => {
      const all = await deliveries(releaseId);
      return all.length === 6 && all.every((d) => d.status === 'SENT') ? all : undefined;
    });
    const ids = qaHook.received.map((r) => r.headers[DELIVERY_HEADER.toLowerCase()]);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(slack.received.filter((r) => r.path === '/mgmt')).toEqual([]);
  });

  it('retries a failing channel with backoff, reports it FAILED after the bounded attempts, and the release goes on', async () => {
    const product = 'notify-flaky';
    const down = await startHttpReceiver();
    try {
      // Every attempt to management's channel is answered 503; the development team's channel works.
      down.failNext(MAX_ATTEMPTS + 5, 503);
      for (const [audience, url] of [
        ['MANAGEMENT', `${down.url}/down`],
        ['DEVELOPMENT_TEAM', `${slack.url}/dev`],
      ] as const) {
        // AS_IT_HAPPENS: no weekly status among these deliveries.
        expect(
          (await subscribe({ product, audience, cadence: 'AS_IT_HAPPENS', channel: { kind: 'SLACK', url } })).errors,
        ).toBeUndefined();
      }
      const releaseId = await newRelease(product, '2.0.0');
      await stack.bus.publish(
        rolloutRolledBack.create({
          source: 'flightdeck/deployment',
          data: {
            releaseId,
            rolloutId: 'r-1',
            environment: 'production',
            reason: 'success-rate 0.71 below 0.99',
            rolledBackAt: new Date().toISOString(),
          },
        }),
      );
      const settled = await eventually('both rollback deliveries to settle', async () => {
        const all = await deliveries(releaseId, manager);
        return all.length === 2 && all.every((d) => d.status === 'SENT' || d.status === 'FAILED') ? all : undefined;
      });
      const byAudience = Object.fromEntries(settled.map((d) => [d.audience, d]));
      expect(byAudience.MANAGEMENT).toMatchObject({
        status: 'FAILED',
        attempts: MAX_ATTEMPTS,
        event: 'rollout.rolled_back',
      });
      expect(byAudience.MANAGEMENT!.lastError).toMatch(/503/);
      expect(byAudience.DEVELOPMENT_TEAM).toMatchObject({ status: 'SENT', attempts: 1 });
      expect(slack.received.filter((r) => r.path === '/dev')).toHaveLength(1);

      // The failed channel held nothing up: the release can still be changed.
      const moved = await gql<{ transitionRelease: { status: string } }>(
        stack.gatewayUrl,
        'mutation($id: ID!) { transitionRelease(id: $id, to: CANCELLED, reason: "testing") { status } }',
        { id: releaseId },
        manager,
      );
      expect(moved.errors).toBeUndefined();
      expect(moved.data!.transitionRelease.status).toBe('CANCELLED');
    } finally {
      await down.stop();
    }
  });

  it('asks the approvers of a gate waiting only on approvals to act, once, with the roles and the link; others not', async () => {
    const product = 'notify-approvals';
    const channels = {
      MANAGEMENT: `${slack.url}/approvals-mgmt`,
      DEVELOPMENT_TEAM: `${slack.url}/approvals-dev`,
      CUSTOMERS_PARTNERS: `${slack.url}/approvals-customers`,
    } as const;
    for (const [audience, url] of Object.entries(channels)) {
      expect(
        (await subscribe({ product, audience, cadence: 'AS_IT_HAPPENS', channel: { kind: 'SLACK', url } })).errors,
      ).toBeUndefined();
    }
    const releaseId = await newRelease(product, '3.0.0');
    // What gates publishes when every criterion passed and the product owner's sign-off is missing.
    const event = gateEvaluationCompleted.create({
      source: 'flightdeck/gates',
      data: {
        releaseId,
        evaluationId: 'production-1',
        gate: 'PRODUCTION',
        outcome: 'CONDITIONAL',
        evaluatedAt: new Date().toISOString(),
        reasons: ['approval pending: 1 more approval from PRODUCT_OWNER (0 of 1)'],
        awaitingApprovals: { roles: ['PRODUCT_OWNER'] },
      },
    });
    await stack.bus.publish(event);
    await stack.bus.publish(event); // a redelivery adds nothing
    const sent = await eventually('the management delivery to be SENT', async () => {
      const all = await deliveries(releaseId, manager);
      return all.length === 1 && all[0]!.status === 'SENT' ? all : undefined;
    });
    expect(sent[0]).toMatchObject({
      audience: 'MANAGEMENT',
      event: 'gate.awaiting_approval',
      title: `${product} 3.0.0: PRODUCTION gate waits for approval from PRODUCT_OWNER`,
    });
    const [request] = slack.received.filter((r) => r.path === '/approvals-mgmt');
    const text = JSON.stringify(JSON.parse(request!.body));
    expect(text).toContain('PRODUCTION gate');
    expect(text).toContain('PRODUCT_OWNER');
    expect(text).toContain(`https://flightdeck.example.com/releases/${encodeURIComponent(releaseId)}`);
    expect(slack.received.filter((r) => r.path === '/approvals-mgmt')).toHaveLength(1);
    expect(slack.received.filter((r) => r.path === '/approvals-dev' || r.path === '/approvals-customers')).toEqual([]);
  });

  it('sends customers and partners the release notes when the release reaches production, management the short notice', async () => {
    const product = 'notify-production';
    const channels = {
      MANAGEMENT: `${slack.url}/prod-mgmt`,
      CUSTOMERS_PARTNERS: `${slack.url}/prod-customers`,
    } as const;
    for (const [audience, url] of Object.entries(channels)) {
      expect(
        (await subscribe({ product, audience, cadence: 'AS_IT_HAPPENS', channel: { kind: 'SLACK', url } })).errors,
      ).toBeUndefined();
    }
    const releaseId = await newRelease(product, '4.0.0');
    for (const input of [
      { title: 'One-click checkout', description: 'Pay with the saved card in one step' },
      {
        title: 'Orders API v2',
        breakingChange: 'GET /orders pages by cursor; the page parameter is gone',
        migration: 'Follow the next cursor instead of counting pages.',
      },
    ]) {
      const r = await gql(
        stack.gatewayUrl,
        'mutation($id: ID!, $input: FeatureInput!) { addFeature(releaseId: $id, input: $input) { feature { id } } }',
        {
          id: releaseId,
          input: {
            ...input,
            priority: 'MUST',
            businessValue: 8,
            timeCriticality: 5,
            riskReduction: 3,
            effort: 5,
            status: 'DONE',
          },
        },
        manager,
      );
      expect(r.errors).toBeUndefined();
    }
    await stack.bus.publish(
      rolloutSucceeded.create({
        source: 'flightdeck/deployment',
        data: { releaseId, rolloutId: 'r-prod', environment: 'production', completedAt: new Date().toISOString() },
      }),
    );
    await eventually('both production deliveries to be SENT', async () => {
      const all = await deliveries(releaseId, manager);
      return all.length === 2 && all.every((d) => d.status === 'SENT') ? all : undefined;
    });
    const [toCustomers] = slack.received.filter((r) => r.path === '/prod-customers');
    const notes = JSON.stringify(JSON.parse(toCustomers!.body));
    expect(notes).toContain('## New features');
    expect(notes).toContain('One-click checkout');
    expect(notes).toContain('## Breaking changes');
    expect(notes).toContain('GET /orders pages by cursor; the page parameter is gone');
    expect(notes).toContain('Follow the next cursor instead of counting pages.');
    const [toManagement] = slack.received.filter((r) => r.path === '/prod-mgmt');
    const short = JSON.stringify(JSON.parse(toManagement!.body));
    expect(short).toContain(`${product} 4.0.0 reached production (rollout r-prod).`);
    expect(short).not.toContain('## New features');
    expect(short).not.toContain('One-click checkout');
  });
});
