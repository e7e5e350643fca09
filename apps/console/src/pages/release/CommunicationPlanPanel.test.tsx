import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Provider } from 'urql';
import { describe, expect, it } from 'vitest';
import { fakeGateway, type Answer } from '../../test-support/fake-gateway.js';
import { planningAudiences as audiences } from '../../test-support/planning-audiences.js';
import type { Subscription } from './CommunicationPlan.js';
import { CommunicationPlanPanel } from './CommunicationPlanPanel.js';

const teams: Subscription = {
  id: 's1',
  audience: 'DEVELOPMENT_TEAM',
  cadence: 'DAILY',
  destination: 'teams https://…',
};

/** The plan planning keeps for shop, and what it answers to subscribe and unsubscribe (unless told to refuse). */
function planning(initial: Subscription[], refuse: { subscribe?: string; unsubscribe?: string } = {}) {
  let plan = [...initial];
  const refused = (message: string): Answer => ({ errors: [{ message }] });
  return fakeGateway({
    CommunicationPlan: () => ({ data: { audiences, subscriptions: plan } }),
    Subscribe: (v) => {
      if (refuse.subscribe) return refused(refuse.subscribe);
      const input = v.input as { audience: string; cadence?: string; channel: { kind: string; url?: string } };
      const s = {
        id: `s${plan.length + 1}`,
        audience: input.audience,
        cadence: input.cadence ?? 'AS_IT_HAPPENS',
        destination: `${input.channel.kind.toLowerCase()} ${new URL(input.channel.url!).origin}/…`,
      };
      plan = [...plan, s];
      return { data: { subscribe: s } };
    },
    Unsubscribe: (v) => {
      if (refuse.unsubscribe) return refused(refuse.unsubscribe);
      const s = plan.find((x) => x.id === v.id)!;
      plan = plan.filter((x) => x !== s);
      return { data: { unsubscribe: s } };
    },
  });
}

function renderPanel(gateway: ReturnType<typeof planning>) {
  render(
    <Provider value={gateway.client}>
      <CommunicationPlanPanel product="shop" />
    </Provider>,
  );
}

const choose = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const names = (sent: { operationName: string }[]) => sent.map((o) => o.operationName);

describe('CommunicationPlanPanel', () => {
  it('offers each audience the cadences planning lets it choose, names its usual one and says what it receives', async () => {
    renderPanel(planning([]));
    await screen.findByText(/No one subscribed to this product yet/);
    const cadences = () =>
      within(screen.getByLabelText('Cadence'))
        .getAllByRole('option')
        .map((o) => o.textContent);
    choose('Audience', 'MANAGEMENT');
    choose('Cadence', 'DAILY');
    expect(cadences()).toEqual(["The audience's usual (weekly)", 'As it happens', 'Daily', 'Weekly']);
    expect(screen.getByText('Receives status, milestones and risks.')).toBeTruthy();
    choose('Audience', 'CUSTOMERS_PARTNERS');
    expect(cadences()).toEqual(["The audience's usual (as it happens)", 'As it happens']);
    expect((screen.getByLabelText('Cadence') as HTMLSelectElement).value).toBe('');
  });

  it('adds a signed webhook: sends what the channel needs, re-reads the plan, never shows the secret back', async () => {
    const gateway = planning([]);
    renderPanel(gateway);
    await screen.findByText(/No one subscribed to this product yet/);
    choose('Audience', 'QA');
    expect(screen.getByRole('option', { name: "The audience's usual (as it happens)" })).toBeTruthy();
    choose('Channel', 'WEBHOOK');
    expect(screen.queryByLabelText('Addresses')).toBeNull();
    choose('Receiver URL', 'https://hooks.example.com/flightdeck');
    const secret = screen.getByLabelText('Shared secret') as HTMLInputElement;
    expect(secret.type).toBe('password');
    choose('Shared secret', 'a-secret-of-more-than-16-characters');
    fireEvent.click(screen.getByRole('button', { name: 'Add subscription' }));

    const plan = await screen.findByRole('list', { name: 'Communication plan' });
    expect(plan.textContent).toBe('QA, As it happens: webhook https://hooks.example.com/…Remove');
    expect(gateway.sent.find((o) => o.operationName === 'Subscribe')!.variables).toEqual({
      input: {
        product: 'shop',
        audience: 'QA',
        channel: {
          kind: 'WEBHOOK',
          url: 'https://hooks.example.com/flightdeck',
          secret: 'a-secret-of-more-than-16-characters',
        },
      },
    });
    expect(names(gateway.sent)).toEqual(['CommunicationPlan', 'Subscribe', 'CommunicationPlan']);
    expect(screen.getByRole('status').textContent).toBe('Added QA, As it happens: webhook https://hooks.example.com/…');
    // The form is empty again and the secret is nowhere on the page.
    expect((screen.getByLabelText('Audience') as HTMLSelectElement).value).toBe('');
    expect(screen.queryByLabelText('Shared secret')).toBeNull();
    expect(document.body.innerHTML).not.toContain('a-secret-of-more-than-16-characters');
  });

  it("shows planning's refusal and keeps what was typed; e-mail addresses are sent one by one", async () => {
    const message = 'EMAIL target: to.1: Invalid email address';
    const gateway = planning([teams], { subscribe: message });
    renderPanel(gateway);
    await screen.findByRole('list', { name: 'Communication plan' });
    choose('Audience', 'MANAGEMENT');
    choose('Cadence', 'WEEKLY');
    choose('Channel', 'EMAIL');
    expect(screen.queryByLabelText('Shared secret')).toBeNull();
    choose('Addresses', 'cto@example.com, vp@example');
    fireEvent.click(screen.getByRole('button', { name: 'Add subscription' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(`Adding the subscription was refused: ${message}`);
    expect(gateway.sent.find((o) => o.operationName === 'Subscribe')!.variables).toEqual({
      input: {
        product: 'shop',
        audience: 'MANAGEMENT',
        cadence: 'WEEKLY',
        channel: { kind: 'EMAIL', to: ['cto@example.com', 'vp@example'] },
      },
    });
    expect((screen.getByLabelText('Addresses') as HTMLInputElement).value).toBe('cto@example.com, vp@example');
    expect((screen.getByLabelText('Cadence') as HTMLSelectElement).value).toBe('WEEKLY');
    // Nothing changed, so the plan is not re-read.
    expect(names(gateway.sent)).toEqual(['CommunicationPlan', 'Subscribe']);
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('removes a subscription once confirmed and re-reads the plan', async () => {
    const gateway = planning([teams]);
    renderPanel(gateway);
    const plan = await screen.findByRole('list', { name: 'Communication plan' });
    fireEvent.click(within(plan).getByRole('button', { name: 'Remove Development team, Daily: teams https://…' }));
    expect(names(gateway.sent)).toEqual(['CommunicationPlan']);
    fireEvent.click(within(plan).getByRole('button', { name: 'Yes, remove' }));

    await screen.findByText(/No one subscribed to this product yet/);
    expect(gateway.sent.slice(1)).toEqual([
      { operationName: 'Unsubscribe', variables: { id: 's1' } },
      { operationName: 'CommunicationPlan', variables: { product: 'shop' } },
    ]);
    expect(screen.getByRole('status').textContent).toBe('Removed Development team, Daily: teams https://…');
    expect(document.activeElement).toBe(screen.getByRole('status'));
  });

  it("shows planning's refusal to remove, and the row stays", async () => {
    const gateway = planning([teams], { unsubscribe: 'subscription s1 does not exist' });
    renderPanel(gateway);
    const plan = await screen.findByRole('list', { name: 'Communication plan' });
    fireEvent.click(within(plan).getByRole('button', { name: /^Remove Development team/ }));
    fireEvent.click(within(plan).getByRole('button', { name: 'Yes, remove' }));

    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Removing the subscription was refused: subscription s1 does not exist',
      ),
    );
    expect(within(plan).getByRole('button', { name: /^Remove Development team/ })).toBeTruthy();
    expect(names(gateway.sent)).toEqual(['CommunicationPlan', 'Unsubscribe']);
  });
});
