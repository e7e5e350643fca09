import { describe, expect, it } from 'vitest';
import {
  approveFreezeException,
  decideChange,
  FREEZE_CHECKLIST,
  freezeChecklist,
  tickFreezeItem,
} from '../../src/domain/code-freeze.js';
import { changeStatus, planRelease, type Release } from '../../src/domain/release.js';

const now = new Date('2026-05-01T09:00:00Z');
const rita = { by: 'rita', byName: 'Rita RM', at: now };

function frozen(): Release {
  let r = planRelease(
    'r1',
    { product: 'shop', version: '2.6.0', theme: 't', owner: 'rita', targetDate: new Date('2026-07-01T12:00:00Z') },
    ['2.5.0'],
    rita,
  );
  for (const to of ['IN_DEVELOPMENT', 'FEATURE_COMPLETE'] as const) r = changeStatus(r, to, rita, 'next').release;
  r = { ...r, signals: { ...r.signals, gates: { FEATURE_COMPLETE: 'PASS' } } };
  return changeStatus(r, 'CODE_FREEZE', rita, 'freeze').release;
}

describe('freeze enforcement', () => {
  it('lets everything in before the freeze', () => {
    const r = planRelease(
      'r1',
      { product: 'shop', version: '2.6.0', theme: 't', owner: 'rita', targetDate: new Date('2026-07-01T12:00:00Z') },
      ['2.5.0'],
      rita,
    );
    expect(decideChange(r, { id: 'abc', critical: false })).toMatchObject({ allowed: true, frozen: false });
  });

  it('during the freeze refuses a non-critical change until the release manager lets it in, and keeps who and why', () => {
    let r = frozen();
    expect(decideChange(r, { id: 'github:acme/shop#42', critical: false })).toEqual({
      allowed: false,
      frozen: true,
      reason:
        'shop 2.6.0 is frozen (CODE_FREEZE): github:acme/shop#42 is not critical and no release manager let it in (approveFreezeException)',
    });
    expect(decideChange(r, { id: 'github:acme/shop#43', critical: true }).allowed).toBe(true);
    r = approveFreezeException(r, 'github:acme/shop#42', 'fixes the checkout rounding bug found in alpha', rita);
    const d = decideChange(r, { id: 'github:acme/shop#42', critical: false });
    expect(d).toMatchObject({
      allowed: true,
      reason:
        'shop 2.6.0 is frozen (CODE_FREEZE); github:acme/shop#42 was let in by Rita RM: fixes the checkout rounding bug found in alpha',
    });
    expect(d.exception).toMatchObject({ by: 'rita', at: now });
  });

  it('refuses an exception without a freeze or without a reason', () => {
    const r = frozen();
    expect(() => approveFreezeException(r, 'x', ' ', rita)).toThrow(
      'reason: say why this change must go in during the freeze',
    );
    const open = planRelease(
      'r2',
      { product: 'shop', version: '2.7.0', theme: 't', owner: 'rita', targetDate: new Date('2026-08-01T12:00:00Z') },
      ['2.5.0'],
      rita,
    );
    expect(() => approveFreezeException(open, 'x', 'why', rita)).toThrow(
      'shop 2.7.0 is PLANNING: there is no freeze to make an exception to',
    );
  });
});

describe('the code-freeze checklist', () => {
  it('holds every phase of the process and is ticked with evidence', () => {
    expect([...new Set(FREEZE_CHECKLIST.map((i) => i.phase))]).toEqual(['PRE_FREEZE', 'FREEZE', 'STABILISATION']);
    const r = tickFreezeItem(
      frozen(),
      'branch-protected',
      'https://github.com/acme/shop/settings/branches (release/2.6 protected)',
      rita,
    );
    const item = freezeChecklist(r).find((i) => i.id === 'branch-protected')!;
    expect(item.tick).toMatchObject({
      by: 'rita',
      evidence: 'https://github.com/acme/shop/settings/branches (release/2.6 protected)',
    });
    expect(freezeChecklist(r).filter((i) => i.tick)).toHaveLength(1);
    expect(() => tickFreezeItem(r, 'nope', 'x', rita)).toThrow(
      /^itemId "nope" is not on the code-freeze checklist; it has: features-merged, /,
    );
    expect(() => tickFreezeItem(r, 'daily-builds', '', rita)).toThrow(
      'evidence: give a link or a sentence showing the item is done',
    );
    expect(() => tickFreezeItem(r, 'daily-builds', 'x'.repeat(2001), rita)).toThrow(
      'evidence is 2001 characters; give at most 2000 (a link to the rest)',
    );
  });
});
