import { describe, expect, it } from 'vitest';
import { RuleError } from '@flightdeck/kernel';
import {
  cadenceFor,
  parseAudience,
  parseCadence,
  parseProduct,
  weeklyStatusDue,
} from '../../src/domain/communication-plan.js';
import { noticeFor } from '../../src/domain/notices.js';

const release = { id: 'r-1', product: 'shop', version: '2.4.0' };

describe('noticeFor', () => {
  it('sends a failed gate to QA and the development team, with its reasons, as a warning', () => {
    const n = noticeFor(
      { kind: 'gate.evaluated', gate: 'ALPHA', outcome: 'FAIL', reasons: ['coverage 82% < 90%'] },
      release,
    )!;
    expect(n).toMatchObject({
      event: 'gate.failed',
      audiences: ['QA', 'DEVELOPMENT_TEAM'],
      title: 'shop 2.4.0: ALPHA gate failed',
      severity: 'warning',
      data: { releaseId: 'r-1', gate: 'ALPHA', outcome: 'FAIL' },
    });
    expect(n.text).toContain('- coverage 82% < 90%');
  });

  it('sends a passed gate to QA alone', () => {
    const n = noticeFor({ kind: 'gate.evaluated', gate: 'BETA', outcome: 'CONDITIONAL', reasons: [] }, release)!;
    expect(n.audiences).toEqual(['QA']);
    expect(n.title).toBe('shop 2.4.0: BETA gate passed with conditions');
  });

  it('tells the team and management of a rollback, critically, and the team of a rollout waiting for a person', () => {
    const back = noticeFor(
      { kind: 'rollout.rolled_back', rolloutId: 'ro-1', environment: 'production', reason: 'p99 2 s' },
      release,
    )!;
    expect(back).toMatchObject({ audiences: ['DEVELOPMENT_TEAM', 'MANAGEMENT'], severity: 'critical' });
    expect(back.text).toContain('p99 2 s');
    const paused = noticeFor(
      { kind: 'rollout.paused', rolloutId: 'ro-2', environment: 'staging', reason: 'manual step' },
      release,
    )!;
    expect(paused).toMatchObject({ event: 'rollout.awaiting_approval', audiences: ['DEVELOPMENT_TEAM'] });
  });

  it('announces production to management, customers and partners and the team; a staging success to nobody', () => {
    expect(
      noticeFor({ kind: 'rollout.succeeded', rolloutId: 'ro-3', environment: 'production' }, release),
    ).toMatchObject({
      event: 'release.in_production',
      audiences: ['MANAGEMENT', 'CUSTOMERS_PARTNERS', 'DEVELOPMENT_TEAM'],
    });
    expect(
      noticeFor({ kind: 'rollout.succeeded', rolloutId: 'ro-4', environment: 'staging' }, release),
    ).toBeUndefined();
  });
});

describe('noticeFor a gate waiting on approvals', () => {
  const pending = (role: string) => `approval pending: 1 more approval from ${role} (0 of 1)`;
  const waiting = (roles: string[], reasons = roles.map(pending)) =>
    ({
      kind: 'gate.evaluated',
      gate: 'BETA',
      outcome: 'CONDITIONAL',
      reasons,
      awaitingApprovals: { roles },
    }) as const;

  it('asks the approvers’ audiences to act, naming the gate and the roles, QA told as of every gate result', () => {
    const n = noticeFor(waiting(['TECHNICAL_LEAD', 'PRODUCT_OWNER']), release)!;
    expect(n).toMatchObject({
      event: 'gate.awaiting_approval',
      title: 'shop 2.4.0: BETA gate waits for approval from TECHNICAL_LEAD, PRODUCT_OWNER',
      severity: 'warning',
      data: { gate: 'BETA', pendingRoles: ['TECHNICAL_LEAD', 'PRODUCT_OWNER'] },
    });
    expect([...n.audiences].sort()).toEqual(['DEVELOPMENT_TEAM', 'MANAGEMENT', 'QA']);
    expect(noticeFor(waiting(['QA_LEAD']), release)!.audiences).toEqual(['QA']);
  });

  it('sends a four-eyes wait (no role missing) to management, with the gate’s reasons in the text', () => {
    const fourEyes =
      'approval pending: four-eyes: rita requested the release and cannot be its only approver; another person must approve';
    const n = noticeFor(waiting([], [fourEyes]), release)!;
    expect(n).toMatchObject({ event: 'gate.awaiting_approval', audiences: ['QA', 'MANAGEMENT'] });
    expect(n.text).toContain(fourEyes);
  });

  it('reads what gates says, never the reasons’ wording: without awaitingApprovals it is a gate result', () => {
    // A gate with a warned criterion and a pending sign-off (gates sets no awaitingApprovals), and an event from
    // before the field existed whose reasons read like a pending approval: both are gate results for QA.
    const results = [
      { reasons: ['coverage (soft): 85% < 90%', pending('PRODUCT_OWNER')] },
      { reasons: [pending('PRODUCT_OWNER')] },
    ].map(({ reasons }) =>
      noticeFor({ kind: 'gate.evaluated', gate: 'BETA', outcome: 'CONDITIONAL', reasons }, release),
    );
    for (const n of results) expect(n).toMatchObject({ event: 'gate.evaluated', audiences: ['QA'] });
  });
});

describe('noticeFor production', () => {
  it('gives customers and partners the release notes as their body; the others the short notice', () => {
    const n = noticeFor(
      { kind: 'rollout.succeeded', rolloutId: 'ro-5', environment: 'production' },
      { ...release, releaseNotes: '# shop 2.4.0 release notes\n' },
    )!;
    expect(n.textFor).toEqual({ CUSTOMERS_PARTNERS: '# shop 2.4.0 release notes\n' });
    expect(n.text).toBe('shop 2.4.0 reached production (rollout ro-5).');
  });
});

describe('the communication plan input', () => {
  it('names the field and the accepted values of an unknown audience, cadence or a bad product', () => {
    expect(() => parseAudience('INVESTORS')).toThrow(
      new RuleError(
        'audience "INVESTORS" is unknown; expected one of DEVELOPMENT_TEAM, MANAGEMENT, QA, CUSTOMERS_PARTNERS',
        'audience',
      ),
    );
    expect(() => parseCadence('HOURLY')).toThrow(/expected one of AS_IT_HAPPENS, DAILY, WEEKLY/);
    expect(() => parseProduct('Shop Front')).toThrow(/lower-case letters/);
    expect(parseProduct('checkout-api')).toBe('checkout-api');
  });
});

describe('cadenceFor', () => {
  it('gives the process default when none is asked, and keeps the summaries inside the organisation', () => {
    expect(cadenceFor('DEVELOPMENT_TEAM', undefined)).toBe('DAILY');
    expect(cadenceFor('MANAGEMENT', null)).toBe('WEEKLY');
    expect(cadenceFor('CUSTOMERS_PARTNERS', undefined)).toBe('AS_IT_HAPPENS');
    expect(cadenceFor('QA', 'DAILY')).toBe('DAILY');
    expect(cadenceFor('CUSTOMERS_PARTNERS', 'AS_IT_HAPPENS')).toBe('AS_IT_HAPPENS');
    for (const cadence of ['DAILY', 'WEEKLY']) {
      const refusal = (() => {
        try {
          cadenceFor('CUSTOMERS_PARTNERS', cadence);
        } catch (err) {
          return err;
        }
      })();
      expect(refusal).toBeInstanceOf(RuleError);
      expect(refusal).toMatchObject({ field: 'cadence' });
      expect((refusal as Error).message).toMatch(
        new RegExp(
          `^cadence ${cadence} is for audiences inside the organisation .*CUSTOMERS_PARTNERS hears of releases as they happen, cadence AS_IT_HAPPENS$`,
        ),
      );
    }
  });
});

describe('weeklyStatusDue', () => {
  it('names the week by its Monday from Monday 09:00 UTC on, through Sunday', () => {
    expect(weeklyStatusDue(new Date('2026-11-30T08:59:59Z'))).toBeUndefined();
    expect(weeklyStatusDue(new Date('2026-11-30T09:00:00Z'))).toBe('2026-11-30');
    expect(weeklyStatusDue(new Date('2026-12-06T23:59:59Z'))).toBe('2026-11-30');
    expect(weeklyStatusDue(new Date('2026-12-07T08:00:00Z'))).toBeUndefined();
    expect(weeklyStatusDue(new Date('2027-01-01T12:00:00Z'))).toBe('2026-12-28');
  });
});
