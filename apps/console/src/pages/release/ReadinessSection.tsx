import { useMutation, useQuery } from 'urql';
import { can } from '../../auth/permissions.js';
import { useSession } from '../../auth/SessionContext.js';
import { AdviceSource } from '../../components/AdviceSource.js';
import { ApiError } from '../../components/ApiError.js';
import { Badge } from '../../components/Badge.js';
import { formatTime } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';

const Readiness = graphql(`
  query ReleaseReadiness($id: ID!) {
    release(id: $id) {
      id
      readiness {
        id
        score
        recommendation
        confidence
        blockingIssues
        mitigations
        monitoring
        predictedOutcome
        source
        rationale
        fallbackReason
        assessedAt
        assessedBy
      }
    }
  }
`);
const Assess = graphql(`
  mutation AssessReadiness($release: String!) {
    assessReadiness(release: $release) {
      id
    }
  }
`);

export function ReadinessSection({ releaseId }: { releaseId: string }) {
  const { session } = useSession();
  const [result, refetch] = useQuery({ query: Readiness, variables: { id: releaseId } });
  const [assessing, assess] = useMutation(Assess);
  const r = result.data?.release?.readiness;
  return (
    <section id="readiness" tabIndex={-1} aria-labelledby="readiness-h" className="card">
      <h2 id="readiness-h">Readiness</h2>
      <ApiError error={result.error} />
      {!r && result.data && <p className="muted">Not assessed yet.</p>}
      {r && (
        <div className="two-col">
          <div>
            <p>
              <Badge value={r.recommendation} label={r.recommendation.replace(/_/g, '-')} /> score{' '}
              <strong>{r.score}/100</strong> (deterministic: gates, open critical issues, trends)
            </p>
            <p className="muted">
              Assessed {formatTime(r.assessedAt)} by {r.assessedBy}; expected outcome of the last gate:{' '}
              {r.predictedOutcome}.
            </p>
            <h3>Blocking issues</h3>
            {r.blockingIssues.length ? (
              <ul>
                {r.blockingIssues.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            ) : (
              <p>None.</p>
            )}
          </div>
          <div>
            <h3>Advice</h3>
            <AdviceSource source={r.source} confidence={r.confidence} fallbackReason={r.fallbackReason} />
            {r.rationale && <p>{r.rationale}</p>}
            {r.mitigations.length > 0 && (
              <>
                <h4>Mitigations</h4>
                <ul>
                  {r.mitigations.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </>
            )}
            {r.monitoring.length > 0 && (
              <>
                <h4>Monitoring</h4>
                <ul>
                  {r.monitoring.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        </div>
      )}
      {can(session, 'assessReadiness') && (
        <button
          type="button"
          disabled={assessing.fetching}
          onClick={() => void assess({ release: releaseId }).then(() => refetch({ requestPolicy: 'network-only' }))}
        >
          {assessing.fetching ? 'Assessing…' : 'Assess readiness now'}
        </button>
      )}
      <ApiError error={assessing.error} action="Assessing readiness" />
    </section>
  );
}
