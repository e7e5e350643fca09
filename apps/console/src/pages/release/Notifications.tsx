import { Badge } from '../../components/Badge.js';
import { formatTime, humanize } from '../../format/dates.js';

export interface Delivery {
  id: string;
  audience: string;
  event: string;
  title: string;
  destination: string;
  status: 'PENDING' | 'RETRYING' | 'SENT' | 'FAILED';
  attempts: number;
  lastError?: string | null;
  nextAttemptAt?: string | null;
  createdAt: string;
  sentAt?: string | null;
}

export interface Subscription {
  id: string;
  audience: string;
  cadence: string;
  destination: string;
}

/** Who was told what about the release, newest first, and how each delivery went (why it failed, when it is retried). */
export function DeliveriesTable({ deliveries }: { deliveries: readonly Delivery[] }) {
  if (!deliveries.length) return <p className="muted">Nobody has been notified about this release yet.</p>;
  const newestFirst = [...deliveries].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <table aria-label="Notifications sent">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col">To</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {newestFirst.map((d) => (
          <tr key={d.id}>
            <td>{formatTime(d.createdAt)}</td>
            <th scope="row">{d.title}</th>
            <td>
              {humanize(d.audience)}: {d.destination}
            </td>
            <td>
              <Badge value={d.status === 'SENT' ? 'PASSED' : d.status} label={humanize(d.status)} />
              {d.status !== 'SENT' && d.attempts > 0 && <> after {d.attempts} attempts</>}
              {d.lastError && d.status !== 'SENT' && <> — {d.lastError}</>}
              {d.status === 'RETRYING' && d.nextAttemptAt && <> (next {formatTime(d.nextAttemptAt)})</>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The product's communication plan: which audience hears on which channel, how often. */
export function CommunicationPlan({ subscriptions }: { subscriptions: readonly Subscription[] }) {
  if (!subscriptions.length)
    return <p className="muted">No one subscribed to this product (flightdeck notify subscribe).</p>;
  return (
    <ul aria-label="Communication plan">
      {subscriptions.map((s) => (
        <li key={s.id}>
          {humanize(s.audience)}, {humanize(s.cadence)}: {s.destination}
        </li>
      ))}
    </ul>
  );
}
