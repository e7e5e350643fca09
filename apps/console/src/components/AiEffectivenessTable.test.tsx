import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AiEffectivenessTable } from './AiEffectivenessTable.js';

const texts = (row: HTMLElement) => [...row.querySelectorAll('th, td')].map((c) => c.textContent);

describe('AiEffectivenessTable', () => {
  it('scores a kind with enough outcomes, says how many a kind has so far when it has too few, and why one is never scored', () => {
    render(
      <AiEffectivenessTable
        rows={[
          {
            metric: 'RISK_PREDICTION',
            kind: 'deployment-health',
            source: 'DETERMINISTIC',
            samples: 5,
            value: 0.8,
            target: 0.8,
            met: false,
          },
        ]}
        tooFewOutcomes={[
          {
            metric: 'QUALITY_GATE_PREDICTION',
            kind: 'gate-validation',
            source: 'AI',
            samples: 2,
            minimum: 5,
            target: 0.9,
          },
          {
            metric: 'TIMELINE_VARIANCE',
            kind: 'timeline-risk',
            source: 'DETERMINISTIC',
            samples: 0,
            minimum: 5,
            target: 0.15,
          },
        ]}
        notScorable={[{ kind: 'test-planning', reason: 'nothing records which feature a defect came from' }]}
      />,
    );
    const rows = within(screen.getByRole('table', { name: 'AI effectiveness' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map(texts)).toEqual([
      ['Risk prediction', 'deployment-health', 'Deterministic baseline', '80%', '> 80%', '5', '✗ missed'],
      ['Quality gate prediction', 'gate-validation', 'AI', '2 of 5 outcomes so far', '> 90%', '2', 'not yet'],
      [
        'Timeline variance',
        'timeline-risk',
        'Deterministic baseline',
        '0 of 5 outcomes so far',
        '< 15%',
        '0',
        'not yet',
      ],
      ['—', 'test-planning', 'AI or baseline', 'not scorable: nothing records which feature a defect came from'],
    ]);
  });

  it('says so when nothing was recorded', () => {
    render(<AiEffectivenessTable rows={[]} tooFewOutcomes={[]} notScorable={[]} />);
    expect(screen.getByText('No advice has been recorded in this window yet.')).toBeTruthy();
  });
});
