import { useQuery } from 'urql';
import { can } from '../../auth/permissions.js';
import { useSession } from '../../auth/SessionContext.js';
import { ApiError } from '../../components/ApiError.js';
import { graphql } from '../../gql/index.js';
import { CommunicationPlanPanel } from './CommunicationPlanPanel.js';
import { DeliveriesTable } from './Notifications.js';

const Deliveries = graphql(`
  query ReleaseNotifications($release: String!) {
    notificationDeliveries(release: $release) {
      id
      audience
      event
      title
      destination
      status
      attempts
      lastError
      nextAttemptAt
      createdAt
      sentAt
    }
  }
`);

/** The release's notifications and, for those who may manage it, the product's communication plan. */
export function NotificationsSection({ releaseId, product }: { releaseId: string; product: string }) {
  const { session } = useSession();
  const mayRead = can(session, 'readDeliveries');
  const mayManage = can(session, 'manageNotifications');
  const [deliveries] = useQuery({ query: Deliveries, variables: { release: releaseId }, pause: !mayRead });
  if (!mayRead) return null;
  return (
    <section id="notifications" tabIndex={-1} aria-labelledby="notifications-h" className="card">
      <h2 id="notifications-h">Notifications</h2>
      <ApiError error={deliveries.error} />
      {deliveries.data && <DeliveriesTable deliveries={deliveries.data.notificationDeliveries} />}
      {mayManage && <CommunicationPlanPanel product={product} />}
    </section>
  );
}
