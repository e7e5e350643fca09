import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DecisionsTimeline } from './DecisionsTimeline.js';
import { decisionLines } from './decisions.js';

const decisions = [
  {
    at: '2027-03-01T10:00:09Z',
    action: 'START_ROLLBACK',
    message: 'step 2 of 4: analysis failed: success-rate: 0 successful, 3 failed',
    measurements: [
      {
        metric: 'success-rate',
        value: 0.7123,
        phase: 'FAILED',
        detail: '0.712 meets the failure condition result < 0.95',
      },
    ],
  },
  {
    at: '2027-03-01T10:00:00Z',
    action: 'START',
    message: 'rollout of shop/api:2.1.0 started by sam',
    measurements: [],
  },
  {
    at: '2027-03-01T10:00:12Z',
    action: 'FINISH_ROLLBACK',
    message: 'rolled back: 4 replicas of shop/api:2.0.0 serve all traffic.',
    measurements: [{ metric: 'latency-p99', value: null, phase: 'INCONCLUSIVE', detail: 'no data' }],
  },
];

describe('decisionLines', () => {
  it('orders the decisions oldest first and ends each sentence with a full stop', () => {
    const lines = decisionLines(decisions);
    expect(lines.map((l) => l.sentence)).toEqual([
      'rollout of shop/api:2.1.0 started by sam.',
      'step 2 of 4: analysis failed: success-rate: 0 successful, 3 failed.',
      'rolled back: 4 replicas of shop/api:2.0.0 serve all traffic.',
    ]);
  });

  it('gives each decision a tone and its measurements as evidence', () => {
    const lines = decisionLines(decisions);
    expect(lines.map((l) => l.tone)).toEqual(['info', 'bad', 'bad']);
    expect(lines[1]!.evidence).toEqual([
      'success-rate = 0.712 (failed): 0.712 meets the failure condition result < 0.95',
    ]);
    expect(lines[2]!.evidence).toEqual(['latency-p99 = no value (inconclusive): no data']);
  });

  it('gives an action it does not know a neutral tone', () => {
    expect(
      decisionLines([{ at: '2027-03-01T10:00:00Z', action: 'SOMETHING_NEW', message: 'x', measurements: [] }])[0]!.tone,
    ).toBe('neutral');
  });
});

describe('DecisionsTimeline', () => {
  it('renders an ordered list of sentences with times and the measurements behind them', () => {
    render(<DecisionsTimeline decisions={decisions} />);
    const items = within(screen.getByRole('list', { name: 'Decisions, oldest first' }))
      .getAllByRole('listitem')
      .filter((li) => li.parentElement?.tagName === 'OL');
    expect(items).toHaveLength(3);
    expect(items[1]!.textContent).toContain('1 Mar, 10:00:09 UTC');
    expect(items[1]!.textContent).toContain('Start rollback');
    expect(within(items[1]!).getByRole('list', { name: 'Measurements behind it' }).textContent).toContain(
      'success-rate = 0.712 (failed)',
    );
  });

  it('says when there is nothing yet', () => {
    render(<DecisionsTimeline decisions={[]} />);
    expect(screen.getByText('No decisions yet.')).toBeTruthy();
  });
});
