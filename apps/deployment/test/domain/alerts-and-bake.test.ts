import { describe, expect, it } from 'vitest';
import {
  applyAction,
  decide,
  parseMatcher,
  receiveAlert,
  retry,
  supersedeBake,
  type IncomingAlert,
  type Rollout,
} from '../../src/domain/index.js';
import { drive, erroring, healthy, person, start, t0, World } from './world.js';

const abortOnAlerts = {
  matchers: ['alertname=~"CheckoutErrors|HighLatency"', 'team="shop"'],
  minSeverity: 'WARNING' as const,
};
const later = (s: number) => new Date(t0.getTime() + s * 1000).toISOString();
const alert = (over: Partial<IncomingAlert> & { labels?: Record<string, string> } = {}): IncomingAlert => ({
  status: 'firing',
  startsAt: later(3),
  fingerprint: 'f1',
  ...over,
  labels: {
    alertname: 'CheckoutErrors',
    team: 'shop',
    severity: 'critical',
    namespace: 'shop',
    deployment: 'web-canary',
    ...over.labels,
  },
});

/** A rollout part-way through its canary steps (the first analysis running). */
function midway(over: Parameters<typeof start>[0] = {}): { rollout: Rollout; w: World } {
  const w = new World(healthy);
  const rollout = drive(start({ abortOnAlerts, ...over }), w, 500, (r) => r.analysisRuns.length > 0).rollout;
  return { rollout, w };
}

function accepted(r: Rollout, a: IncomingAlert, now: Date): Rollout {
  const v = receiveAlert(r, a, now);
  if (!v.matched) throw new Error(`expected the alert to match, but: ${v.reason}`);
  return v.rollout;
}

describe('alerts that abort a rollout', () => {
  it('parses Alertmanager matchers and refuses bad ones, saying what would be right', () => {
    expect(parseMatcher('alertname="HighErrorRate"')).toEqual({ name: 'alertname', op: '=', value: 'HighErrorRate' });
    expect(parseMatcher('severity=~"critical|page"')).toEqual({ name: 'severity', op: '=~', value: 'critical|page' });
    expect(parseMatcher('env!=staging')).toEqual({ name: 'env', op: '!=', value: 'staging' });
    expect(() => parseMatcher('alertname')).toThrow(/not a label matcher; write name="value"/);
    expect(() => parseMatcher('a=~"("')).toThrow(/does not compile/);
    expect(() => start({ abortOnAlerts: { matchers: [] } })).toThrow(/at least one label matcher/);
    expect(() => start({ abortOnAlerts: { matchers: ['x="1"'], minSeverity: 'LOUD' as never } })).toThrow(
      /minSeverity: "LOUD" is none of INFO, WARNING, CRITICAL/,
    );
  });

  it('rolls back at once on a matching alert, whatever the analysis waits for, with the alert and its labels as the cause', () => {
    const { rollout, w } = midway();
    const aborted = accepted(rollout, alert(), w.now);
    expect(aborted.decisions.at(-1)).toMatchObject({ action: 'ALERT' });
    const next = decide(aborted, w.obs(), w.now);
    expect(next).toMatchObject({ kind: 'START_ROLLBACK', cause: 'ALERT' });
    const done = drive(aborted, w).rollout;
    expect(done.phase).toBe('ROLLED_BACK');
    expect(done.rollback).toMatchObject({
      cause: 'ALERT',
      reason:
        'alert CheckoutErrors (critical) fired: {alertname="CheckoutErrors", deployment="web-canary", namespace="shop", severity="critical", team="shop"}',
    });
    expect(w.effects.at(-1)).toEqual({
      type: 'SCALE_CANARY',
      canaryImage: 'shop/web:2.0.0',
      canaryReplicas: 0,
      stableReplicas: 4,
    });
  });

  it('changes nothing for a duplicate, a late, a resolved or an unrelated alert, and says why', () => {
    const { rollout, w } = midway();
    const reasons = (r: Rollout, a: IncomingAlert) => {
      const v = receiveAlert(r, a, w.now);
      expect(v.matched).toBe(false);
      return v.matched ? '' : v.reason;
    };
    expect(reasons(rollout, alert({ status: 'resolved' }))).toBe('the alert is resolved');
    expect(reasons(rollout, alert({ labels: { team: 'payments' } }))).toBe('its labels do not match team="shop"');
    expect(reasons(rollout, alert({ labels: { alertname: 'DiskFull' } }))).toBe(
      'its labels do not match alertname=~"CheckoutErrors|HighLatency"',
    );
    expect(reasons(rollout, alert({ labels: { severity: 'info' } }))).toBe('its severity INFO is below WARNING');
    expect(reasons(rollout, alert({ labels: { deployment: 'cart' } }))).toBe('it is about shop/cart, not shop/web');
    expect(reasons(rollout, alert({ labels: { namespace: 'pay' } }))).toBe('it is about namespace pay, not shop');
    expect(reasons(rollout, alert({ startsAt: later(-60) }))).toMatch(/before the rollout started/);
    const aborted = accepted(rollout, alert(), w.now);
    expect(reasons(aborted, alert())).toBe('the same alert already acted on this rollout (a repeat)');
    expect(reasons(aborted, alert({ fingerprint: 'f2' }))).toBe(
      'an earlier alert (CheckoutErrors) is already rolling it back',
    );
    const done = drive(aborted, w).rollout;
    expect(reasons(done, alert({ fingerprint: 'f3' }))).toBe('the rollout is already rolled back');
    // After a retry, the alert that acted before is still a repeat; a new occurrence acts again.
    const again = retry(done, person('sre-sam'), w.now);
    expect(reasons(again, alert())).toBe('the same alert already acted on this rollout (a repeat)');
    expect(receiveAlert(again, alert({ startsAt: later(30) }), w.now).matched).toBe(true);
    const plain = midway({ abortOnAlerts: undefined }).rollout;
    expect(reasons(plain, alert())).toBe('the rollout names no alerts that abort it');
  });

  it('holds a roll-forward-only rollout as FAILED on a matching alert, undoing nothing', () => {
    const { rollout, w } = midway({ rollForwardOnly: true });
    const before = w.effects.length;
    const held = drive(accepted(rollout, alert(), w.now), w).rollout;
    expect(held.phase).toBe('FAILED');
    expect(held.message).toMatch(
      /^alert CheckoutErrors \(critical\) fired: .*; the rollout is roll-forward-only, so nothing is undone/,
    );
    expect(w.effects.length).toBe(before);
  });
});

describe('the post-promotion bake', () => {
  const fast = { analysisIntervalSeconds: 5, analysisCount: 2, rollbackWindowSeconds: 60 };

  it('analyses the promoted version until the window closes, then scales the warm previous version away', () => {
    const w = new World(healthy);
    w.bake = true;
    const { rollout, events } = drive(start(fast), w, 2000);
    expect(rollout.phase).toBe('PROMOTED');
    expect(rollout.bake).toMatchObject({ status: 'PASSED', templates: ['success-rate'] });
    expect(rollout.bake!.runs).toBeGreaterThanOrEqual(5);
    expect(rollout.analysisRuns.filter((a) => a.id.includes('-bake-'))).toHaveLength(3);
    // The bake's queries select the promoted version, now in the stable Deployment.
    expect(rollout.analysisRuns.at(-1)!.metrics[0]!.query).toContain('namespace="shop",deployment="web"');
    expect(w.effects.at(-1)).toEqual({ type: 'SCALE_DOWN_CANARY' });
    expect(rollout.decisions.at(-1)!.message).toMatch(
      /^bake passed: \d+ analysis runs on shop\/web:2\.0\.0 found nothing wrong by the end of the rollback window; shop\/web:1\.0\.0 in web-canary is scaled away/,
    );
    expect(events.filter((e) => e === 'promoted')).toHaveLength(1);
    expect(decide(rollout, w.obs(), w.now)).toEqual({ kind: 'WAIT', reason: 'the rollout is promoted' });
  });

  it('rolls back to the warm previous version at once when the bake fails, recorded as a bake failure', () => {
    let bad = false;
    const w = new World((q) => (bad ? erroring() : healthy(q)));
    w.bake = true;
    const promoted = drive(start(fast), w, 2000, (r) => r.phase === 'PROMOTED').rollout;
    bad = true;
    const { rollout, events } = drive(promoted, w, 2000);
    expect(rollout.phase).toBe('ROLLED_BACK');
    expect(rollout.rollback).toMatchObject({ cause: 'BAKE', fast: true });
    expect(rollout.rollback!.reason).toMatch(/^bake failure after promotion: /);
    expect(rollout.rollback!.measurements[0]).toMatchObject({ metric: 'success-rate', value: 0.7, phase: 'FAILED' });
    expect(rollout.bake).toMatchObject({ status: 'FAILED' });
    expect(events).toEqual(expect.arrayContaining(['bake_failed', 'rolled_back']));
    expect(w.effects.slice(-3)).toEqual([
      { type: 'SCALE_CANARY', canaryImage: 'shop/web:1.0.0', canaryReplicas: 4, stableReplicas: 0 },
      { type: 'SET_STABLE', image: 'shop/web:1.0.0', replicas: 4 },
      { type: 'SCALE_DOWN_CANARY' },
    ]);
  });

  it('never rolls a roll-forward-only rollout back: the bake stops, saying why, and nothing is undone', () => {
    let bad = false;
    const w = new World((q) => (bad ? erroring() : healthy(q)));
    w.bake = true;
    const promoted = drive(start({ ...fast, rollForwardOnly: true }), w, 2000, (r) => r.phase === 'PROMOTED').rollout;
    const before = w.effects.length;
    bad = true;
    const { rollout, events } = drive(promoted, w, 2000, (r) => r.bake?.status !== 'RUNNING');
    expect(rollout.phase).toBe('PROMOTED');
    expect(rollout.bake).toMatchObject({ status: 'HALTED' });
    expect(rollout.message).toMatch(
      /^bake failure after promotion: .*; the rollout is roll-forward-only \(e\.g\. an irreversible migration\), so the bake does not roll it back: it stops here/,
    );
    expect(events).toEqual(expect.arrayContaining(['failed', 'bake_failed']));
    expect(w.effects.length).toBe(before);
    expect(decide(rollout, w.obs(), w.now)).toEqual({ kind: 'WAIT', reason: 'the rollout is promoted' });
  });

  it('rolls back on a matching alert during the bake, and a newer rollout of the Deployment ends the bake', () => {
    const w = new World(healthy);
    w.bake = true;
    const promoted = drive(start({ ...fast, abortOnAlerts }), w, 2000, (r) => r.phase === 'PROMOTED').rollout;
    const back = drive(accepted(promoted, alert({ startsAt: w.now.toISOString() }), w.now), w).rollout;
    expect(back.rollback).toMatchObject({ cause: 'ALERT', fast: true });
    expect(back.phase).toBe('ROLLED_BACK');
    const ended = supersedeBake(promoted, 'ro-2', w.now);
    expect(ended.bake).toMatchObject({ status: 'SUPERSEDED' });
    expect(decide(ended, w.obs(), w.now)).toEqual({ kind: 'WAIT', reason: 'the rollout is promoted' });
    expect(receiveAlert(ended, alert({ startsAt: w.now.toISOString() }), w.now)).toEqual({
      matched: false,
      reason: 'the rollout is already promoted and its bake is over',
    });
  });

  it('has no bake without a rollback window', () => {
    const w = new World(healthy);
    w.bake = true;
    const r = drive(start({ rollbackWindowSeconds: 0 }), w).rollout;
    expect(r.phase).toBe('PROMOTED');
    expect(r.bake).toBeUndefined();
    expect(applyAction(r, decide(r, w.obs(), w.now), w.now).rollout).toBe(r);
  });
});
