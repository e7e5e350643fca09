import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ApiError } from '../../components/ApiError.js';
import { Badge } from '../../components/Badge.js';
import { formatTime } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';

const Rollouts = graphql(`
  query ReleaseRollouts($id: ID!) {
    release(id: $id) {
      id
      rollouts {
        id
        environment
        image
        phase
        message
        weight
        strategy
        startedAt
        completedAt
        target {
          namespace
          deployment
        }
      }
      metrics {
        productionAt
        leadTimeHours
        productionRollouts
        rolledBack
        failedDeployments
        failureCauses
        criticalIncidentsWithin48h
        planningAccuracy
        scheduleSlipDays
      }
    }
  }
`);

export function RolloutsSection({ releaseId }: { releaseId: string }) {
  const [result] = useQuery({ query: Rollouts, variables: { id: releaseId } });
  const rollouts = result.data?.release?.rollouts ?? [];
  const m = result.data?.release?.metrics;
  return (
    <section id="rollouts" tabIndex={-1} aria-labelledby="rollouts-h" className="card">
      <h2 id="rollouts-h">Rollouts</h2>
      <ApiError error={result.error} />
      {result.data && rollouts.length === 0 && (
        <p className="muted">No rollout yet: one starts once the Production (or Hotfix) gate has passed.</p>
      )}
      {rollouts.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Rollout</th>
                <th scope="col">Phase</th>
                <th scope="col">Now</th>
                <th scope="col">Canary weight</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {rollouts.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/rollouts/${r.id}`}>{r.image}</Link>{' '}
                    <span className="muted">
                      to {r.environment}, {r.target.namespace}/{r.target.deployment}
                    </span>
                  </th>
                  <td>
                    <Badge value={r.phase} />
                  </td>
                  <td>{r.message}</td>
                  <td>{r.weight}%</td>
                  <td>{formatTime(r.startedAt)}</td>
                  <td>{formatTime(r.completedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {m && (
        <p className="muted">
          Analytics: {m.productionRollouts} production rollout(s), {m.rolledBack} rolled back, {m.failedDeployments}{' '}
          failed
          {m.failureCauses.length > 0 && <> ({m.failureCauses.join(', ')})</>}; {m.criticalIncidentsWithin48h} critical
          incident(s) within 48 h
          {m.leadTimeHours !== null && m.leadTimeHours !== undefined && <>; lead time {m.leadTimeHours.toFixed(1)} h</>}
          .
        </p>
      )}
    </section>
  );
}
