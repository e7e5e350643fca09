import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { AdviceSource } from '../../components/AdviceSource.js';
import { ApiError } from '../../components/ApiError.js';
import { Badge } from '../../components/Badge.js';
import { formatDate, formatNumber, formatPercent, humanize } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';

const Shipped = graphql(`
  query ShippedReleases($filter: ReleaseFilter) {
    releases(filter: $filter, first: 100) {
      edges {
        node {
          id
          product
          version
          targetDate
        }
      }
    }
    overdueActionItems {
      id
      title
      owner
      dueDate
      status
      releaseId
    }
  }
`);

const Learning = graphql(`
  query ReleaseLearning($id: ID!) {
    releaseAnalysis(releaseId: $id) {
      version
      productionAt
      onTime
      findings
      plannedFeatures
      deliveredFeatures
      missedFeatures
      metrics {
        productionRollouts
        rolledBack
        failedDeployments
        criticalIncidentsWithin48h
        planningAccuracy
        scheduleSlipDays
        leadTimeHours
      }
      gates {
        gate
        outcome
        at
      }
      predictions {
        what
        source
        predicted
        actual
        hit
      }
      narrative {
        text
        source
        confidence
        model
        fallbackReason
      }
    }
    retrospective(releaseId: $id) {
      id
      status
      automatic
      dueAt
      overdue
      currentStage
      startedBy
      items {
        id
        stage
        kind
        text
        by
      }
      actionItems {
        id
        title
        owner
        dueDate
        status
        overdue
      }
    }
  }
`);

export function ReleaseLearningSection({ product }: { product: string }) {
  const [shipped] = useQuery({
    query: Shipped,
    variables: { filter: { ...(product ? { product } : {}), status: ['RELEASED', 'CLOSED'] } },
  });
  const releases = shipped.data?.releases.edges.map((e) => e.node).reverse() ?? [];
  const [chosen, setChosen] = useState('');
  const id = chosen || releases[0]?.id || '';
  const [learning] = useQuery({ query: Learning, variables: { id }, pause: !id });
  const a = learning.data?.releaseAnalysis;
  const retro = learning.data?.retrospective;
  const overdue = shipped.data?.overdueActionItems ?? [];
  return (
    <section className="card" aria-labelledby="learning-h">
      <h2 id="learning-h">Post-release analysis and retrospectives</h2>
      <ApiError error={shipped.error} />
      {overdue.length > 0 && (
        <div role="status" className="alert">
          <strong>{overdue.length} overdue action item(s):</strong>
          <ul>
            {overdue.map((o) => (
              <li key={o.id}>
                {o.title} — {o.owner}, due {formatDate(o.dueDate)} (<Link to={`/releases/${o.releaseId}`}>release</Link>
                )
              </li>
            ))}
          </ul>
        </div>
      )}
      {releases.length === 0 ? (
        <p className="muted">No release has shipped yet.</p>
      ) : (
        <label>
          Release
          <select value={id} onChange={(e) => setChosen(e.target.value)}>
            {releases.map((r) => (
              <option key={r.id} value={r.id}>
                {r.product} {r.version} (target {formatDate(r.targetDate)})
              </option>
            ))}
          </select>
        </label>
      )}
      <ApiError error={learning.error} />
      {a && (
        <div className="two-col">
          <div>
            <h3>
              {a.version}:{' '}
              {a.onTime === null || a.onTime === undefined ? 'not in production' : a.onTime ? 'on time' : 'late'}
            </h3>
            <p>
              In production {formatDate(a.productionAt)}; {a.deliveredFeatures.length} of {a.plannedFeatures.length}{' '}
              planned features delivered (planning accuracy {formatPercent(a.metrics.planningAccuracy)}); schedule slip{' '}
              {formatNumber(a.metrics.scheduleSlipDays)} days.
            </p>
            <p>
              {a.metrics.productionRollouts} production rollout(s), {a.metrics.rolledBack} rolled back,{' '}
              {a.metrics.criticalIncidentsWithin48h} critical incident(s) within 48 h.
            </p>
            <h4>Findings</h4>
            <ul>
              {a.findings.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
            <h4>Predictions against what happened</h4>
            <ul>
              {a.predictions.map((p, i) => (
                <li key={i}>
                  {p.what} ({p.source === 'AI' ? 'AI' : 'deterministic'}): predicted {p.predicted}, actual {p.actual} —{' '}
                  {p.hit === null || p.hit === undefined ? (
                    'not known yet'
                  ) : p.hit ? (
                    <Badge value="PASS" label="hit" />
                  ) : (
                    <Badge value="FAIL" label="miss" />
                  )}
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h4>Narrative</h4>
            <AdviceSource
              source={a.narrative.source}
              model={a.narrative.model}
              confidence={a.narrative.confidence}
              fallbackReason={a.narrative.fallbackReason}
            />
            <p>{a.narrative.text}</p>
            <h4>Retrospective</h4>
            {!retro ? (
              <p className="muted">None started.</p>
            ) : (
              <>
                <p>
                  {retro.status === 'COMPLETED' ? (
                    <Badge value="DONE" label="completed" />
                  ) : (
                    <Badge value="PAUSED" label={`open, at ${humanize(retro.currentStage)}`} />
                  )}{' '}
                  started by {retro.startedBy}
                  {retro.automatic ? ' (opened automatically for a hotfix)' : ''}
                  {retro.dueAt ? `, due ${formatDate(retro.dueAt)}` : ''}
                  {retro.overdue ? ' — overdue' : ''}
                </p>
                <ul>
                  {retro.items.map((i) => (
                    <li key={i.id}>
                      <strong>{humanize(i.kind)}</strong>: {i.text} <span className="muted">({i.by})</span>
                    </li>
                  ))}
                </ul>
                <h5>Action items</h5>
                {retro.actionItems.length === 0 ? (
                  <p className="muted">None.</p>
                ) : (
                  <ul>
                    {retro.actionItems.map((x) => (
                      <li key={x.id}>
                        <Badge
                          value={x.status === 'DONE' ? 'DONE' : x.overdue ? 'FAIL' : 'PENDING'}
                          label={humanize(x.status)}
                        />{' '}
                        {x.title} — {x.owner}, due {formatDate(x.dueDate)}
                        {x.overdue ? ' (overdue)' : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
