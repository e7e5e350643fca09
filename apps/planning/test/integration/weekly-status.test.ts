import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@flightdeck/testing';
import { startMailStack, type MailStack } from './mail-stack.js';

// Monday 30 November 2026, 08:00 UTC: an hour before the weekly status is due.
let now = new Date('2026-11-30T08:00:00Z');
let mailStack: MailStack;

beforeAll(async () => {
  mailStack = await startMailStack('weekly-status', () => now);
});

afterAll(() => mailStack?.stop());

const weeklyOf = async (release: string) =>
  (await mailStack.deliveries(release)).filter((d) => d.event === 'status.weekly');

describe('the weekly status update', () => {
  it('goes to the WEEKLY subscribers of the product from Monday 09:00 UTC, once a week, from the release’s state', async () => {
    await mailStack.call('mutation($i: SubscribeInput!) { subscribe(input: $i) { id } }', {
      i: { product: 'weekly-shop', audience: 'MANAGEMENT', channel: { kind: 'EMAIL', to: ['mgmt@example.com'] } },
    });
    // The development team's default cadence is DAILY: no weekly update for them (their daily digest instead).
    await mailStack.call('mutation($i: SubscribeInput!) { subscribe(input: $i) { id cadence } }', {
      i: { product: 'weekly-shop', audience: 'DEVELOPMENT_TEAM', channel: { kind: 'EMAIL', to: ['dev@example.com'] } },
    });
    await mailStack.createRelease({
      product: 'weekly-shop',
      version: '3.1.0',
      theme: 'Weekly',
      targetDate: '2027-01-15T00:00:00Z',
      team: { velocityHistory: [8, 10, 12] },
    });
    // Several schedule passes before 09:00: nothing is due.
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailStack.deliveries('weekly-shop@3.1.0')).toEqual([]);

    now = new Date('2026-11-30T09:30:00Z');
    const mails = await mailStack.smtp.waitFor(2);
    const mail = mails.find((m) => m.to.includes('mgmt@example.com'));
    expect(mail!.to).toEqual(['mgmt@example.com']);
    expect(mails.find((m) => m.to.includes('dev@example.com'))!.raw).toContain(
      'Subject: weekly-shop 3.1.0: daily digest, 2026-11-30',
    );
    expect(mail!.raw).toContain('Subject: weekly-shop 3.1.0: weekly status, week of 2026-11-30');
    const body = mail!.raw.replace(/=\r?\n/g, '');
    expect(body).toContain('# Weekly release status:');
    expect(body).toContain('**Next update:** 2026-12-07');

    // Later the same week: still the one update.
    now = new Date('2026-12-03T15:00:00Z');
    await new Promise((r) => setTimeout(r, 500));
    const thisWeek = await weeklyOf('weekly-shop@3.1.0');
    expect(thisWeek.map((d) => [d.event, d.status])).toEqual([['status.weekly', 'SENT']]);

    // The next Monday: the next one.
    now = new Date('2026-12-07T09:00:00Z');
    await eventually('the second week’s update to be sent', async () => {
      const all = await weeklyOf('weekly-shop@3.1.0');
      return all.length === 2 && all.every((d) => d.status === 'SENT') ? all : undefined;
    });
    expect(mailStack.smtp.received.filter((m) => m.raw.includes('weekly status')).map((m) => m.to)).toEqual([
      ['mgmt@example.com'],
      ['mgmt@example.com'],
    ]);
  });
});
