import { useMutation } from 'urql';
import { can } from '../../auth/permissions.js';
import { useSession } from '../../auth/SessionContext.js';
import { AdviceSource } from '../../components/AdviceSource.js';
import { ApiError } from '../../components/ApiError.js';
import { ForecastChart } from '../../components/ForecastChart.js';
import { formatDate, formatNumber, formatPercent, formatTime, humanize } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';
import type { ReleaseData } from './release-data.js';

const Forecast = graphql(`
  mutation ForecastTimeline($id: ID!) {
    forecastTimeline(releaseId: $id) {
      forecast {
        p50
      }
      advice {
        source
        confidence
        model
        fallbackReason
        rationale
        commentary
        risks {
          description
          likelihood
          impact
          contingency
        }
      }
    }
  }
`);

export function TimelineSection({ release, onChange }: { release: ReleaseData; onChange(): void }) {
  const { session } = useSession();
  const [result, forecast] = useMutation(Forecast);
  const t = release.timeline;
  const f = release.forecast;
  const advice = result.data?.forecastTimeline.advice;
  return (
    <section id="timeline" tabIndex={-1} aria-labelledby="timeline-h" className="card">
      <h2 id="timeline-h">Timeline</h2>
      <ForecastChart input={{ targetDate: release.targetDate, timeline: t, forecast: f }} />
      <div className="two-col">
        <div className="table-wrap">
          <table>
            <caption>Release calendar</caption>
            <thead>
              <tr>
                <th scope="col">Milestone</th>
                <th scope="col">Date</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {t.milestones.map((m) => (
                <tr key={m.name}>
                  <th scope="row">{m.name}</th>
                  <td>{formatDate(m.date)}</td>
                  <td>{m.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <dl className="facts">
            <dt>Development</dt>
            <dd>
              {formatDate(t.developmentStart)} → {formatDate(t.featureComplete)} ({formatNumber(t.developmentWeeks)}{' '}
              weeks)
            </dd>
            <dt>Scope / capacity</dt>
            <dd>
              {formatNumber(t.scopePoints)} / {formatNumber(t.capacityPoints)} points at {formatNumber(t.velocity)} per
              week
            </dd>
            <dt>Remaining</dt>
            <dd>{formatNumber(t.remainingPoints)} points</dd>
            <dt>Critical path</dt>
            <dd>
              {t.criticalPath.features.map((x) => x.title).join(' → ') || '—'} ({formatNumber(t.criticalPath.points)}{' '}
              points, {formatNumber(t.criticalPath.weeks)} weeks; delay {formatNumber(t.criticalPathDelayDays)} days)
            </dd>
            {f && (
              <>
                <dt>Forecast</dt>
                <dd>
                  {formatPercent(f.probabilityOnTime)} on time; buffer {formatNumber(f.bufferDays)} days (recommended{' '}
                  {formatNumber(f.recommendedBufferDays)}); {f.runs} runs on {humanize(f.basis)}, {formatTime(f.at)}
                </dd>
              </>
            )}
          </dl>
          {t.warnings.length > 0 && (
            <ul className="warnings" aria-label="Timeline warnings">
              {t.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {can(session, 'forecastTimeline') && (
        <button
          type="button"
          disabled={result.fetching}
          onClick={() => void forecast({ id: release.id }).then(onChange)}
        >
          {result.fetching ? 'Forecasting…' : f ? 'Run the forecast again' : 'Forecast the timeline'}
        </button>
      )}
      <ApiError error={result.error} action="Forecasting" />
      {advice && (
        <div className="advice">
          <h3>Risk commentary</h3>
          <AdviceSource
            source={advice.source}
            model={advice.model}
            confidence={advice.confidence}
            fallbackReason={advice.fallbackReason}
          />
          <p>{advice.commentary}</p>
          {advice.rationale && <p>{advice.rationale}</p>}
          <ul>
            {advice.risks.map((r) => (
              <li key={r.description}>
                {r.description} — likelihood {humanize(r.likelihood)}, impact {humanize(r.impact)}. {r.contingency}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
