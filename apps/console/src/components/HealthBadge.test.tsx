import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HealthBadge, reasonsWorstFirst } from './HealthBadge.js';

const reasons = [
  { rule: 'progress', status: 'GREEN' as const, message: '4 of 5 features done' },
  { rule: 'gates', status: 'RED' as const, message: 'the PRODUCTION gate failed' },
  { rule: 'velocity', status: 'YELLOW' as const, message: 'velocity is declining' },
];

describe('HealthBadge', () => {
  it('says the status in a word and a shape, not only a colour', () => {
    render(<HealthBadge status="RED" />);
    const badge = screen.getByLabelText('Health: Red');
    expect(badge.textContent).toBe('■ Red');
    expect(badge.className).toContain('tone-bad');
  });

  it('lists the reasons worst first, each with its status in words for screen readers', () => {
    render(<HealthBadge status="RED" reasons={reasons} />);
    const items = within(screen.getByRole('list', { name: 'Why it is Red' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      '■ Red: the PRODUCTION gate failed',
      '▲ Yellow: velocity is declining',
      '● Green: 4 of 5 features done',
    ]);
  });

  it('in compact form shows at most two reasons and none that are Green', () => {
    render(
      <HealthBadge
        status="YELLOW"
        reasons={[...reasons, { rule: 'timeline', status: 'RED', message: 'P85 is 6 days late' }]}
        compact
      />,
    );
    const items = within(screen.getByRole('list')).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual(['■ Red: the PRODUCTION gate failed', '■ Red: P85 is 6 days late']);
  });

  it('a Green release with no reasons shows only its word', () => {
    render(<HealthBadge status="GREEN" reasons={[]} />);
    expect(screen.getByLabelText('Health: Green').textContent).toBe('● Green');
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('orders reasons without changing the list it was given', () => {
    const copy = [...reasons];
    expect(reasonsWorstFirst(reasons).map((r) => r.status)).toEqual(['RED', 'YELLOW', 'GREEN']);
    expect(reasons).toEqual(copy);
  });
});
