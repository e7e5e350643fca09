import { describe, expect, it } from 'vitest';
import { RuleError } from '@flightdeck/kernel';
import { allowedNext, transition, type ReleaseSignals } from '../../src/domain/lifecycle.js';

const who = { by: 'alice', at: new Date('2026-03-01T10:00:00Z'), reason: 'on plan' };
const none: ReleaseSignals = { gates: {}, productionRolloutSucceeded: false };

describe('release lifecycle', () => {
  it('walks the regular path one step at a time', () => {
    expect(allowedNext('PLANNING', 'MINOR')).toEqual(['IN_DEVELOPMENT', 'CANCELLED']);
    expect(allowedNext('RELEASED', 'MINOR')).toEqual(['CLOSED']);
    expect(allowedNext('CLOSED', 'MINOR')).toEqual([]);
  });

  it('skips alpha and beta for a hotfix', () => {
    expect(allowedNext('IN_DEVELOPMENT', 'HOTFIX')).toEqual(['RELEASE_CANDIDATE', 'CANCELLED']);
  });

  it('keeps who, when and why', () => {
    expect(transition({ status: 'PLANNING', type: 'MAJOR' }, 'IN_DEVELOPMENT', none, who)).toEqual({
      from: 'PLANNING',
      to: 'IN_DEVELOPMENT',
      by: 'alice',
      at: who.at,
      reason: 'on plan',
    });
  });

  it('refuses a skipped step, saying what is allowed', () => {
    expect(() => transition({ status: 'PLANNING', type: 'MAJOR' }, 'BETA', none, who)).toThrow(
      'a MAJOR release in PLANNING cannot move to BETA; it can move to IN_DEVELOPMENT or CANCELLED',
    );
  });

  it('needs the matching gate to have passed to move past a gated step', () => {
    expect(() => transition({ status: 'FEATURE_COMPLETE', type: 'MINOR' }, 'CODE_FREEZE', none, who)).toThrow(
      'needs the FEATURE_COMPLETE gate to have passed; it has not been evaluated yet',
    );
    expect(() =>
      transition({ status: 'ALPHA', type: 'MINOR' }, 'BETA', { ...none, gates: { ALPHA: 'FAIL' } }, who),
    ).toThrow('was last evaluated FAIL');
    expect(
      transition({ status: 'ALPHA', type: 'MINOR' }, 'BETA', { ...none, gates: { ALPHA: 'CONDITIONAL' } }, who).to,
    ).toBe('BETA');
  });

  it('moves to RELEASED only after the production gate and a successful production rollout', () => {
    const rc = { status: 'RELEASE_CANDIDATE' as const, type: 'MINOR' as const };
    expect(() =>
      transition(rc, 'RELEASED', { gates: { PRODUCTION: 'PASS' }, productionRolloutSucceeded: false }, who),
    ).toThrow('successful production rollout');
    expect(() => transition(rc, 'RELEASED', { gates: {}, productionRolloutSucceeded: true }, who)).toThrow(
      'PRODUCTION gate',
    );
    expect(
      transition(rc, 'RELEASED', { gates: { PRODUCTION: 'PASS' }, productionRolloutSucceeded: true }, who).to,
    ).toBe('RELEASED');
  });

  it('cancels from any open state with a reason, never from a finished one', () => {
    expect(
      transition({ status: 'BETA', type: 'MAJOR' }, 'CANCELLED', none, { ...who, reason: 'superseded by 3.0.0' }).to,
    ).toBe('CANCELLED');
    expect(() => transition({ status: 'BETA', type: 'MAJOR' }, 'CANCELLED', none, { ...who, reason: ' ' })).toThrow(
      'needs a reason',
    );
    const e = (() => {
      try {
        transition({ status: 'RELEASED', type: 'MAJOR' }, 'CANCELLED', none, who);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(RuleError);
    expect((e as RuleError).field).toBe('to');
  });
});
