import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateEvaluationCompleted } from '@flightdeck/events';
import { eventually, gql } from '@flightdeck/testing';
import { startMailStack, type MailStack } from './mail-stack.js';

// Friday 4 December 2026, 08:00 UTC: an hour before the day's digest is due.
let now = new Date('2026-12-04T08:00:00Z');
let mailStack: MailStack;

beforeAll(async () => {
  mailStack = await startMailStack('daily-digest', () => now);
});

afterAll(() => mailStack?.stop());

const created = (version: string) =>
  mailStack.createRelease({
    product: 'daily-shop',
    version,
    theme: 'Daily',
    targetDate: '2027-02-15T00:00:00Z',
    team: { velocityHistory: [8, 10, 12] },
  });

const transition = (id: string, to: string) =>
  mailStack.call(
    'mutation($id: ID!, $to: ReleaseStatus!) { transitionRelease(id: $id, to: $to, reason: "on plan") { status } }',
    {
      id,
      to,
    },
  );

const gatesOf = async (id: string) =>
  (
    await mailStack.call<{ release: { gateOutcomes: { evaluationId: string }[] } }>(
      'query($id: ID!) { release(id: $id) { gateOutcomes { evaluationId } } }',
      { id },
    )
  ).release.gateOutcomes;

const statusOf = async (id: string) =>
  (await mailStack.call<{ release: { status: string } }>('query($id: ID!) { release(id: $id) { status } }', { id }))
    .release.status;

const settle = () => new Promise((r) => setTimeout(r, 500));

describe('the daily digest', () => {
  it('goes to the DAILY subscribers inside the organisation on weekdays from 09:00 UTC, once a day, for releases in development', async () => {
    await mailStack.call('mutation($i: SubscribeInput!) { subscribe(input: $i) { id } }', {
      i: { product: 'daily-shop', audience: 'DEVELOPMENT_TEAM', channel: { kind: 'EMAIL', to: ['dev@example.com'] } },
    });
    // Management on a DAILY cadence too.
    await mailStack.call('mutation($i: SubscribeInput!) { subscribe(input: $i) { id } }', {
      i: {
        product: 'daily-shop',
        audience: 'MANAGEMENT',
        cadence: 'DAILY',
        channel: { kind: 'EMAIL', to: ['mgmt@example.com'] },
      },
    });
    // Customers and partners may not have it; a subscription of theirs stored before that rule gets none.
    const manager = await mailStack.stack.token(['RELEASE_MANAGER'], 'rita');
    const refused = await gql(
      mailStack.stack.gatewayUrl,
      'mutation($i: SubscribeInput!) { subscribe(input: $i) { id } }',
      {
        i: {
          product: 'daily-shop',
          audience: 'CUSTOMERS_PARTNERS',
          cadence: 'DAILY',
          channel: { kind: 'EMAIL', to: ['partners@example.com'] },
        },
      },
      manager,
    );
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cadence' });
    expect(refused.errors![0]!.message).toMatch(/cadence DAILY is for audiences inside the organisation/);
    await mailStack.stack.mongo.connection.collection('notification_subscriptions').insertOne({
      _id: 'customers-daily-from-before' as never,
      product: 'daily-shop',
      audience: 'CUSTOMERS_PARTNERS',
      cadence: 'DAILY',
      target: { kind: 'EMAIL', to: ['partners@example.com'] },
      createdBy: 'rita',
      createdAt: new Date('2026-11-01T00:00:00Z'),
    });
    const developing = await created('4.1.0');
    await transition(developing, 'IN_DEVELOPMENT');
    // A release past development: the Feature Complete gate passed and moved it into code freeze.
    const frozen = await created('4.0.0');
    await transition(frozen, 'IN_DEVELOPMENT');
    await transition(frozen, 'FEATURE_COMPLETE');
    await mailStack.stack.bus.publish(
      gateEvaluationCompleted.create({
        source: 'flightdeck/gates',
        data: {
          releaseId: frozen,
          evaluationId: 'daily-fc-1',
          gate: 'FEATURE_COMPLETE',
          outcome: 'PASS',
          evaluatedAt: now.toISOString(),
        },
      }),
    );
    await eventually('the frozen release to enter CODE_FREEZE', async () =>
      (await statusOf(frozen)) === 'CODE_FREEZE' ? true : undefined,
    );

    // A gate passed with conditions (QA's notice; no QA subscriber here): its reasons reach the digest.
    await mailStack.stack.bus.publish(
      gateEvaluationCompleted.create({
        source: 'flightdeck/gates',
        data: {
          releaseId: developing,
          evaluationId: 'daily-fc-2',
          gate: 'FEATURE_COMPLETE',
          outcome: 'CONDITIONAL',
          reasons: ['coverage 78% is under 80%'],
          evaluatedAt: now.toISOString(),
        },
      }),
    );
    await eventually('the conditional gate to be recorded', async () =>
      (await gatesOf(developing)).length === 1 ? true : undefined,
    );

    // Several schedule passes before 09:00: nothing is due.
    await settle();
    expect(await mailStack.deliveries('daily-shop@4.1.0')).toEqual([]);

    now = new Date('2026-12-04T09:30:00Z');
    const mails = await mailStack.smtp.waitFor(2);
    expect(mails.map((m) => m.to).sort()).toEqual([['dev@example.com'], ['mgmt@example.com']]);
    const mail = mails.find((m) => m.to.includes('dev@example.com'));
    expect(mail!.raw).toContain('Subject: daily-shop 4.1.0: daily digest, 2026-12-04');
    const body = mail!.raw.replace(/=\r?\n/g, '');
    expect(body).toContain('# Daily digest:');
    expect(body).toContain('## Blockers');
    expect(body).toContain(
      '- feature complete gate: CONDITIONAL on 2026-12-04 (evaluation daily-fc-2): coverage 78% is under 80%',
    );
    expect(body).toContain('- YELLOW: the FEATURE_COMPLETE gate passed with conditions');

    // Later the same day: still the one digest.
    now = new Date('2026-12-04T17:00:00Z');
    await settle();
    expect((await mailStack.deliveries('daily-shop@4.1.0')).map((d) => [d.event, d.status])).toEqual([
      ['status.daily', 'SENT'],
      ['status.daily', 'SENT'],
    ]);

    // Saturday: none.
    now = new Date('2026-12-05T10:00:00Z');
    await settle();
    expect(await mailStack.deliveries('daily-shop@4.1.0')).toHaveLength(2);

    // Monday: the next one.
    now = new Date('2026-12-07T09:00:00Z');
    await eventually('Monday’s digest to be sent', async () => {
      const all = await mailStack.deliveries('daily-shop@4.1.0');
      return all.length === 4 && all.every((d) => d.status === 'SENT') ? all : undefined;
    });
    expect(mailStack.smtp.received.map((m) => m.to).sort()).toEqual([
      ['dev@example.com'],
      ['dev@example.com'],
      ['mgmt@example.com'],
      ['mgmt@example.com'],
    ]);
    // The frozen release got no digest on either day.
    expect(await mailStack.deliveries('daily-shop@4.0.0')).toEqual([]);
  });
});
