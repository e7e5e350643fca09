import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ApiError } from '../../components/ApiError.js';
import { Badge } from '../../components/Badge.js';
import { formatNumber, formatTime } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';
import type { Scope } from './scope.js';

const Incidents = graphql(`
  query Incidents($product: String, $from: DateTime, $to: DateTime) {
    incidents(product: $product, from: $from, to: $to, first: 50) {
      id
      title
      severity
      source
      product
      workload
      openedAt
      resolvedAt
      resolution
      durationHours
      release {
        id
        version
      }
    }
  }
`);

/** Median of the resolved incidents' durations: the time to restore (MTTR) in this window. */
export function medianHours(durations: readonly (number | null | undefined)[]): number | undefined {
  const xs = durations.filter((d): d is number => typeof d === 'number').sort((a, b) => a - b);
  if (!xs.length) return undefined;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid] : (xs[mid - 1]! + xs[mid]!) / 2;
}

export function IncidentsSection({ scope }: { scope: Scope }) {
  const [result] = useQuery({ query: Incidents, variables: scope });
  const list = result.data?.incidents ?? [];
  const mttr = medianHours(list.map((i) => i.durationHours));
  return (
    <section className="card" aria-labelledby="incidents-h">
      <h2 id="incidents-h">Incidents</h2>
      <ApiError error={result.error} />
      <p>
        {list.length} incident(s); time to restore:{' '}
        {mttr === undefined ? 'none resolved' : `${formatNumber(mttr)} h median`} (of the incidents shown).
      </p>
      {list.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Severity</th>
                <th scope="col">Release</th>
                <th scope="col">Opened</th>
                <th scope="col">Resolved</th>
                <th scope="col">Hours</th>
              </tr>
            </thead>
            <tbody>
              {list.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    {i.title}{' '}
                    <span className="muted">
                      ({i.source}
                      {i.workload ? `, ${i.workload}` : ''})
                    </span>
                  </th>
                  <td>
                    <Badge value={i.severity} />
                  </td>
                  <td>
                    {i.release ? (
                      <Link to={`/releases/${i.release.id}`}>
                        {i.product} {i.release.version}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{formatTime(i.openedAt)}</td>
                  <td>
                    {i.resolvedAt ? (
                      `${formatTime(i.resolvedAt)}${i.resolution ? `: ${i.resolution}` : ''}`
                    ) : (
                      <Badge value="FAIL" label="open" />
                    )}
                  </td>
                  <td>{formatNumber(i.durationHours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
