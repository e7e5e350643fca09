import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CommunicationPlan, type Subscription } from './CommunicationPlan.js';

const teams: Subscription = {
  id: 's1',
  audience: 'DEVELOPMENT_TEAM',
  cadence: 'DAILY',
  destination: 'teams https://…',
};
const slack: Subscription = {
  id: 's2',
  audience: 'CUSTOMERS_PARTNERS',
  cadence: 'AS_IT_HAPPENS',
  destination: 'slack https://hooks.slack.com/…',
};

describe('CommunicationPlan', () => {
  it('lists each audience with its cadence and where it goes, or how to add one', () => {
    const { rerender } = render(<CommunicationPlan subscriptions={[teams]} />);
    expect(screen.getByRole('list', { name: 'Communication plan' }).textContent).toBe(
      'Development team, Daily: teams https://…',
    );
    // Read only (no onRemove): nobody is offered a Remove button.
    expect(screen.queryByRole('button')).toBeNull();
    rerender(<CommunicationPlan subscriptions={[]} />);
    expect(screen.getByText(/No one subscribed to this product/).textContent).toContain('flightdeck notify subscribe');
  });

  it('asks before removing, naming the subscription; "Keep it" removes nothing', () => {
    const onRemove = vi.fn();
    render(<CommunicationPlan subscriptions={[teams, slack]} onRemove={onRemove} />);
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Remove Customers and partners, As it happens: slack https://hooks.slack.com/…',
      }),
    );
    const question = screen.getByRole('group', {
      name: 'Remove Customers and partners, As it happens: slack https://hooks.slack.com/… from the communication plan?',
    });
    expect(document.activeElement).toBe(question);
    fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(onRemove).not.toHaveBeenCalled();
    expect(screen.queryByRole('group')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: /^Remove Customers and partners/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove' }));
    expect(onRemove).toHaveBeenCalledExactlyOnceWith(slack);
  });

  it('shows the row being removed as waiting', () => {
    render(<CommunicationPlan subscriptions={[teams, slack]} onRemove={() => {}} removing="s1" />);
    expect((screen.getByRole('button', { name: 'Removing…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getAllByRole('button', { name: /^Remove / })).toHaveLength(1);
  });
});
