import { useQuery } from 'urql';
import { can } from '../../auth/permissions.js';
import { useSession } from '../../auth/SessionContext.js';
import { ApiError } from '../../components/ApiError.js';
import { graphql } from '../../gql/index.js';
import { CommunicationPlan, DeliveriesTable } from './Notifications.js';

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
const Plan = graphql(`
  query CommunicationPlan($product: String!) {
    subscriptions(product: $product) {
      id
      audience
      cadence
      destination
    }
  }
`);

/** The release's notifications and the product's communication plan, for those who may read them. */
export function NotificationsSection({ releaseId, product }: { releaseId: string; product: string }) {
  const { session } = useSession();
  const mayRead = can(session, 'readDeliveries');
  const mayManage = can(session, 'manageNotifications');
  const [deliveries] = useQuery({ query: Deliveries, variables: { release: releaseId }, pause: !mayRead });
  const [plan] = useQuery({ query: Plan, variables: { product }, pause: !mayManage });
  if (!mayRead) return null;
  return (
    <section id="notifications" tabIndex={-1} aria-labelledby="notifications-h" className="card">
      <h2 id="notifications-h">Notifications</h2>
      <ApiError error={deliveries.error} />
      {deliveries.data && <DeliveriesTable deliveries={deliveries.data.notificationDeliveries} />}
      {mayManage && (
        <>
          <h3>Communication plan of {product}</h3>
          <ApiError error={plan.error} />
          {plan.data && <CommunicationPlan subscriptions={plan.data.subscriptions} />}
        </>
      )}
    </section>
  );
}
