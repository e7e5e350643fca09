import { useMutation } from 'urql';
import { can } from '../../auth/permissions.js';
import { useSession } from '../../auth/SessionContext.js';
import { AdviceSource } from '../../components/AdviceSource.js';
import { ApiError } from '../../components/ApiError.js';
import { Badge } from '../../components/Badge.js';
import { formatNumber, formatPercent, humanize } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';
import type { ReleaseData } from './release-data.js';
import { ScopeNotes } from './ScopeNotes.js';

const Prioritize = graphql(`
  mutation PrioritizeScope($id: ID!) {
    prioritizeScope(releaseId: $id) {
      capacity
      ranking {
        rank
        wsjf
        costOfDelay
        feature {
          id
          title
        }
      }
      mvp {
        ...Alternative
      }
      recommended {
        ...Alternative
      }
      extended {
        ...Alternative
      }
      advice {
        source
        confidence
        model
        fallbackReason
        rationale
        summary
        sequencing
        features {
          featureId
          score
          rationale
          risk
        }
      }
    }
  }
  fragment Alternative on ScopeAlternative {
    name
    summary
    capacity
    totalEffort
    totalCostOfDelay
    valueShare
    overCapacity
    notes
    selected {
      id
      title
    }
    leftOut {
      reason
      feature {
        id
        title
      }
    }
  }
`);

const MOSCOW: Record<string, string> = { MUST: 'Must', SHOULD: 'Should', COULD: 'Could', WONT: "Won't" };

export function ScopeSection({ release, onChange }: { release: ReleaseData; onChange(): void }) {
  const { session } = useSession();
  const [result, prioritize] = useMutation(Prioritize);
  const byWsjf = [...release.features].sort((a, b) => b.wsjf - a.wsjf);
  const titles = new Map(release.features.map((f) => [f.id, f.title]));
  const p = result.data?.prioritizeScope;
  return (
    <section id="scope" tabIndex={-1} aria-labelledby="scope-h" className="card">
      <h2 id="scope-h">Scope</h2>
      {byWsjf.length === 0 ? (
        <p className="muted">No features in scope yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Features by WSJF (cost of delay ÷ effort), highest first</caption>
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col">MoSCoW</th>
                <th scope="col">Status</th>
                <th scope="col">Value</th>
                <th scope="col">Time crit.</th>
                <th scope="col">Risk red.</th>
                <th scope="col">Effort</th>
                <th scope="col">Cost of delay</th>
                <th scope="col">WSJF</th>
                <th scope="col">Depends on</th>
              </tr>
            </thead>
            <tbody>
              {byWsjf.map((f) => (
                <tr key={f.id}>
                  <th scope="row">
                    {f.title}
                    {f.kind && <span className="muted"> · {humanize(f.kind)}</span>}
                    {f.breakingChange && <Badge value="FAIL" label="Breaking" />}
                  </th>
                  <td>{MOSCOW[f.priority]}</td>
                  <td>
                    <Badge value={f.status} label={humanize(f.status)} />
                  </td>
                  <td>{f.businessValue}</td>
                  <td>{f.timeCriticality}</td>
                  <td>{f.riskReduction}</td>
                  <td>{f.effort}</td>
                  <td>{formatNumber(f.costOfDelay)}</td>
                  <td>
                    <strong>{formatNumber(f.wsjf, 2)}</strong>
                  </td>
                  <td>{f.dependsOn.map((d) => titles.get(d) ?? d).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ScopeNotes features={release.features} />
      {can(session, 'prioritizeScope') && release.features.length > 0 && (
        <p>
          <button
            type="button"
            disabled={result.fetching}
            onClick={() => void prioritize({ id: release.id }).then(onChange)}
          >
            {result.fetching ? 'Prioritising…' : 'Prioritise scope (MVP, recommended, extended)'}
          </button>
          <span className="muted">
            {' '}
            Each run is recorded as a prediction, so its accuracy is measured after the release.
          </span>
        </p>
      )}
      <ApiError error={result.error} action="Prioritising the scope" />
      {p && (
        <div className="two-col">
          <div>
            <h3>Deterministic baseline: capacity {formatNumber(p.capacity)} points</h3>
            {[p.mvp, p.recommended, p.extended].map((a) => (
              <div key={a.name} className="alternative">
                <h4>
                  {humanize(a.name)} {a.overCapacity && <Badge value="WARN" label="over capacity" />}
                </h4>
                <p>{a.summary}</p>
                <p className="muted">
                  {formatNumber(a.totalEffort)} points, {formatPercent(a.valueShare)} of the value
                </p>
                <ol>
                  {a.selected.map((f) => (
                    <li key={f.id}>{f.title}</li>
                  ))}
                </ol>
                {a.leftOut.length > 0 && (
                  <p className="muted">
                    Left out: {a.leftOut.map((l) => `${l.feature.title} (${l.reason})`).join('; ')}
                  </p>
                )}
                {a.notes.map((n) => (
                  <p key={n} className="muted">
                    {n}
                  </p>
                ))}
              </div>
            ))}
          </div>
          <div>
            <h3>Advice</h3>
            <AdviceSource
              source={p.advice.source}
              model={p.advice.model}
              confidence={p.advice.confidence}
              fallbackReason={p.advice.fallbackReason}
            />
            <p>{p.advice.summary}</p>
            {p.advice.rationale && <p>{p.advice.rationale}</p>}
            <p>Suggested order: {p.advice.sequencing.map((id) => titles.get(id) ?? id).join(' → ')}</p>
            <ul>
              {p.advice.features.map((f) => (
                <li key={f.featureId}>
                  {titles.get(f.featureId) ?? f.featureId}: score {formatNumber(f.score, 2)}, risk {humanize(f.risk)} —{' '}
                  {f.rationale}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
