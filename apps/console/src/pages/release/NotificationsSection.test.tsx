import { render, screen } from '@testing-library/react';
import { UnsecuredJWT } from 'jose';
import { Provider } from 'urql';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionProvider } from '../../auth/SessionContext.js';
import { saveSession, sessionFromToken } from '../../auth/session.js';
import { fakeGateway } from '../../test-support/fake-gateway.js';
import { planningAudiences } from '../../test-support/planning-audiences.js';
import { NotificationsSection } from './NotificationsSection.js';

/** Signs in as `subject` with these roles (the console only reads the claims; the gateway verifies the token). */
function signInAs(subject: string, roles: string[]) {
  saveSession(sessionFromToken(new UnsecuredJWT({ roles }).setSubject(subject).encode()));
}

function renderSection() {
  const gateway = fakeGateway({
    ReleaseNotifications: () => ({ data: { notificationDeliveries: [] } }),
    CommunicationPlan: () => ({ data: { audiences: planningAudiences, subscriptions: [] } }),
  });
  render(
    <Provider value={gateway.client}>
      <SessionProvider>
        <NotificationsSection releaseId="r1" product="shop" />
      </SessionProvider>
    </Provider>,
  );
  return gateway;
}

afterEach(() => saveSession(undefined));

describe('NotificationsSection', () => {
  it('offers a release manager the communication plan with its controls', async () => {
    signInAs('rita', ['RELEASE_MANAGER']);
    renderSection();
    await screen.findByText(/No one subscribed to this product yet/);
    expect(screen.getByRole('form', { name: 'Add a subscription' })).toBeTruthy();
  });

  it('shows a QA lead what was sent, but neither the plan nor a way to change it', async () => {
    signInAs('quinn', ['QA_LEAD']);
    const gateway = renderSection();
    await screen.findByText('Nobody has been notified about this release yet.');
    expect(screen.queryByText(/Communication plan/)).toBeNull();
    expect(screen.queryByRole('form')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    expect(gateway.sent.map((o) => o.operationName)).toEqual(['ReleaseNotifications']);
  });
});
