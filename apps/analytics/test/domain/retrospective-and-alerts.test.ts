import { describe, expect, it } from 'vitest';
import {
  addActionItem,
  addItem,
  alertmanagerPayloadSchema,
  complete,
  currentStage,
  incidentsFromAlerts,
  isActionOverdue,
  newRetrospective,
  updateActionItem,
} from '../../src/domain/index.js';

const at = new Date('2026-03-10T10:00:00Z');

describe('retrospective', () => {
  it('follows the agenda, keeps action items editable after closing, and knows what is overdue', () => {
    let r = newRetrospective({ id: 'x', releaseId: 'r', by: 'rita', at });
    expect(currentStage(r)).toBe('SET_THE_STAGE');
    r = addItem(r, {
      id: 'i1',
      stage: 'GENERATE_INSIGHTS',
      kind: 'INSIGHT',
      text: '  canary too short ',
      by: 'tom',
      at,
    });
    expect(r.items[0]!.text).toBe('canary too short');
    expect(currentStage(r)).toBe('GENERATE_INSIGHTS');
    expect(() => addItem(r, { id: 'i2', stage: 'GATHER_DATA', kind: 'NOTE', text: '   ', by: 'tom', at })).toThrow(
      'text must not be empty',
    );
    expect(() =>
      addActionItem(r, { id: 'a0', title: 't', owner: 'o', dueDate: new Date('2026-03-01T00:00:00Z'), at }),
    ).toThrow('is before the retrospective started');
    r = addActionItem(r, {
      id: 'a1',
      title: 'longer canary',
      owner: 'sam',
      dueDate: new Date('2026-03-12T00:00:00Z'),
      at,
    });
    expect(currentStage(r)).toBe('DECIDE_ACTIONS');
    r = complete(r, new Date('2026-03-10T11:00:00Z'));
    expect(currentStage(r)).toBe('CLOSE');
    expect(() => addItem(r, { id: 'i3', stage: 'CLOSE', kind: 'NOTE', text: 'x', by: 't', at })).toThrow(
      'takes no more changes',
    );
    const a = r.actionItems[0]!;
    expect(isActionOverdue(a, new Date('2026-03-12T00:00:00Z'))).toBe(false);
    expect(isActionOverdue(a, new Date('2026-03-12T00:00:01Z'))).toBe(true);
    r = updateActionItem(r, 'a1', { status: 'DONE' }, new Date('2026-03-13T00:00:00Z'));
    expect(isActionOverdue(r.actionItems[0]!, new Date('2026-03-13T00:00:00Z'))).toBe(false);
    expect(() => updateActionItem(r, 'nope', { status: 'DONE' }, at)).toThrow(
      'action item nope is not in the retrospective of release r (it has a1)',
    );
  });
});

describe('Alertmanager payloads', () => {
  const payload = (alerts: unknown[]) => alertmanagerPayloadSchema.parse({ version: '4', status: 'firing', alerts });

  it('one incident per alert occurrence: same fingerprint and start is the same incident, a new start a new one', () => {
    const firing = {
      status: 'firing',
      labels: { alertname: 'Down', severity: 'page', namespace: 'shop', deployment: 'api' },
      startsAt: '2026-03-10T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: 'f1',
    };
    const [a] = incidentsFromAlerts(payload([firing]));
    expect(a).toMatchObject({
      title: 'Down',
      severity: 'critical',
      workload: 'shop/api',
      openedAt: new Date('2026-03-10T10:00:00Z'),
    });
    expect(a!.resolvedAt).toBeUndefined();
    const [again] = incidentsFromAlerts(payload([{ ...firing, status: 'resolved', endsAt: '2026-03-10T10:30:00Z' }]));
    expect(again!.incidentId).toBe(a!.incidentId);
    expect(again!.resolvedAt).toEqual(new Date('2026-03-10T10:30:00Z'));
    const [later] = incidentsFromAlerts(payload([{ ...firing, startsAt: '2026-03-11T10:00:00Z' }]));
    expect(later!.incidentId).not.toBe(a!.incidentId);
    const [warning] = incidentsFromAlerts(
      payload([{ ...firing, labels: { alertname: 'Slow', severity: 'warning', workload: 'shop/api' } }]),
    );
    expect(warning).toMatchObject({ severity: 'warning', workload: 'shop/api' });
  });

  it('says what is wrong with a payload that is not version 4', () => {
    const r = alertmanagerPayloadSchema.safeParse({ version: '3', status: 'firing', alerts: [] });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toContain('version must be \\"4\\"');
  });
});
