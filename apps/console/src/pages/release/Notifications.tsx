import { Badge } from '../../components/Badge.js';
import { formatTime, humanize } from '../../format/dates.js';
import { audienceLabel } from './subscription-words.js';

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
              {audienceLabel(d.audience)}: {d.destination}
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
