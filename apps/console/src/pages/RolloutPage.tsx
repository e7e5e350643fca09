import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { usePolling } from '../api/usePolling.js';
import { ApiError } from '../components/ApiError.js';
import { Badge } from '../components/Badge.js';
import { DecisionsTimeline } from '../components/DecisionsTimeline.js';
import { replicasFor } from '../components/analysis.js';
import { formatTime, humanize } from '../format/dates.js';
import { graphql } from '../gql/index.js';
import { AnalysisRuns } from './rollout/AnalysisRuns.js';
import { RolloutActions } from './rollout/RolloutActions.js';
import { StepsTable } from './rollout/StepsTable.js';

const Rollout = graphql(`
  query RolloutLive($id: ID!) {
    rollout(id: $id) {
      id
      environment
      image
      stableImage
      totalReplicas
      strategy
      phase
      message
      currentStepIndex
      weight
      rollForwardOnly
      attempt
      startedBy
      startedAt
      updatedAt
      completedAt
      warmUntil
      revision
      release {
        id
        product
        version
      }
      target {
        cluster
        namespace
        deployment
        container
      }
      steps {
        index
        kind
        weight
        pauseSeconds
        templates
        status
        startedAt
        appliedAt
        completedAt
        approvedBy
      }
      analysisRuns {
        id
        stepIndex
        phase
        score
        passScore
        warningScore
        message
        startedAt
        completedAt
        metrics {
          name
          query
          successCondition
          failureCondition
          intervalSeconds
          count
          failureLimit
          inconclusiveLimit
          phase
          measurements {
            at
            value
            phase
            detail
          }
        }
        advice {
          recommendation
          rationale
          source
          confidence
          fallbackReason
        }
      }
      decisions(last: 100) {
        at
        action
        message
        measurements {
          metric
          value
          phase
          detail
        }
      }
      rollback {
        cause
        reason
        decidedAt
        appliedAt
        fast
      }
      validation {
        complete
        failed
        items {
          id
          title
          window
          dueAt
          status
          overdue
          by
          at
          note
        }
      }
      webhooks {
        hook
        ok
        status
        detail
        at
      }
    }
  }
`);

const LIVE = ['PROGRESSING', 'PAUSED', 'PROMOTING', 'ROLLING_BACK'];

export function RolloutPage() {
  const { id = '' } = useParams();
  const [result, refetch] = useQuery({ query: Rollout, variables: { id } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const r = result.data?.rollout;
  const live = !!r && LIVE.includes(r.phase);
  // Refreshed every 2 s while the rollout runs (the gateway has no subscriptions).
  usePolling(refresh, 2_000, live);
  if (result.error && !r) return <ApiError error={result.error} />;
  if (!result.data) return <p aria-live="polite">Loading the rollout…</p>;
  if (!r)
    return (
      <section>
        <h1>No such rollout</h1>
        <p>The API knows no rollout {id}.</p>
      </section>
    );
  const replicas = replicasFor(r.totalReplicas, r.weight);
  return (
    <article>
      <p className="muted">
        <Link to={`/releases/${r.release.id}`}>
          {r.release.product} {r.release.version}
        </Link>
      </p>
      <h1>Rollout of {r.image}</h1>
      <p aria-live="polite" className="now">
        <Badge value={r.phase} /> {r.message} {live && <span className="muted">(live, refreshed every 2 s)</span>}
      </p>
      <dl className="facts">
        <dt>Where</dt>
        <dd>
          {r.environment}: {r.target.cluster || 'current cluster'} / {r.target.namespace} / {r.target.deployment}{' '}
          (container {r.target.container})
        </dd>
        <dt>Strategy</dt>
        <dd>
          {humanize(r.strategy)}
          {r.rollForwardOnly ? ', roll forward only' : ''}; attempt {r.attempt}
        </dd>
        <dt>Canary weight</dt>
        <dd>
          <strong>{r.weight}%</strong> — {replicas.canary} of {r.totalReplicas} replicas on {r.image}, {replicas.stable}{' '}
          on {r.stableImage}
        </dd>
        <dt>Started</dt>
        <dd>
          {formatTime(r.startedAt)} by {r.startedBy}
        </dd>
        <dt>Finished</dt>
        <dd>{formatTime(r.completedAt)}</dd>
        {r.warmUntil && (
          <>
            <dt>Previous version warm until</dt>
            <dd>{formatTime(r.warmUntil)}</dd>
          </>
        )}
      </dl>
      {r.rollback && (
        <section className="card alert-card" aria-labelledby="rollback-h">
          <h2 id="rollback-h">
            {r.rollback.appliedAt
              ? 'Rolled back'
              : r.phase === 'ROLLING_BACK'
                ? 'Rolling back'
                : 'Rollback not finished'}
            {r.rollback.fast ? ' (fast: the warm previous version scaled up)' : ''}
          </h2>
          <p>
            <strong>{humanize(r.rollback.cause)}:</strong> {r.rollback.reason}
          </p>
          <p className="muted">
            Decided {formatTime(r.rollback.decidedAt)}, applied {formatTime(r.rollback.appliedAt)}.
          </p>
        </section>
      )}
      <RolloutActions rollout={r} onChange={refresh} />
      <ApiError error={result.error} />
      <StepsTable steps={r.steps} current={r.currentStepIndex} />
      <AnalysisRuns runs={r.analysisRuns} />
      <section className="card" aria-labelledby="decisions-h">
        <h2 id="decisions-h">Decisions</h2>
        <DecisionsTimeline decisions={r.decisions} />
      </section>
      {r.validation && (
        <section className="card" aria-labelledby="validation-h">
          <h2 id="validation-h">Post-deployment validation</h2>
          <ul>
            {r.validation.items.map((v) => (
              <li key={v.id}>
                <Badge value={v.status} /> {v.title} — {humanize(v.window)}, due {formatTime(v.dueAt)}
                {v.overdue ? ' (overdue)' : ''}
                {v.by ? `; ${v.by}, ${formatTime(v.at)}${v.note ? `: ${v.note}` : ''}` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      {r.webhooks.length > 0 && (
        <section className="card" aria-labelledby="hooks-h">
          <h2 id="hooks-h">Webhooks</h2>
          <ul>
            {r.webhooks.map((w) => (
              <li key={`${w.hook}${w.at}`}>
                <Badge value={w.ok ? 'PASS' : 'FAIL'} /> {humanize(w.hook)}: HTTP {w.status} — {w.detail} (
                {formatTime(w.at)})
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
