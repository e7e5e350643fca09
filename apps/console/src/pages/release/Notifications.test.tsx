import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DeliveriesTable, type Delivery } from './Notifications.js';

const sent: Delivery = {
  id: 'd1',
  audience: 'CUSTOMERS_PARTNERS',
  event: 'gate.failed',
  title: 'shop 2.4.0: BETA gate failed',
  destination: 'slack https://hooks.slack.com/…',
  status: 'SENT',
  attempts: 1,
  createdAt: '2027-03-01T10:00:00Z',
  sentAt: '2027-03-01T10:00:01Z',
};
const retrying: Delivery = {
  id: 'd2',
  audience: 'MANAGEMENT',
  event: 'rollout.rolled_back',
  title: 'shop 2.4.0: rolled back in production',
  destination: 'email to cto@example.com',
  status: 'RETRYING',
  attempts: 2,
  lastError: 'SMTP 451 try again later',
  nextAttemptAt: '2027-03-01T11:02:00Z',
  createdAt: '2027-03-01T11:00:00Z',
};

describe('DeliveriesTable', () => {
  it('lists who was told what, newest first, with why a delivery has not arrived yet', () => {
    render(<DeliveriesTable deliveries={[sent, retrying]} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual([
      'shop 2.4.0: rolled back in production',
      'shop 2.4.0: BETA gate failed',
    ]);
    expect(rows[0]!.textContent).toContain('Management: email to cto@example.com');
    expect(rows[0]!.textContent).toMatch(/Retrying after 2 attempts — SMTP 451 try again later \(next .+\)/);
    expect(rows[1]!.textContent).toContain('Customers and partners: slack https://hooks.slack.com/…');
    expect(rows[1]!.textContent).not.toContain('attempts');
  });

  it('says so when nobody has been notified', () => {
    render(<DeliveriesTable deliveries={[]} />);
    expect(screen.getByText('Nobody has been notified about this release yet.')).toBeTruthy();
  });
});
