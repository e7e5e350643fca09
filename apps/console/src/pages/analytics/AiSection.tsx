import { useQuery } from 'urql';
import { ApiError } from '../../components/ApiError.js';
import { Badge } from '../../components/Badge.js';
import { formatPercent, humanize } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';
import type { Scope } from '../AnalyticsPage.js';

const Ai = graphql(`
  query AiEffectiveness($product: String, $from: DateTime, $to: DateTime) {
    aiEffectiveness(product: $product, from: $from, to: $to) {
      formulas
      rows {
        metric
        kind
        source
        samples
        value
        target
        met
      }
    }
  }
`);

export function AiSection({ scope }: { scope: Scope }) {
  const [result] = useQuery({ query: Ai, variables: scope });
  const a = result.data?.aiEffectiveness;
  return (
    <section className="card" aria-labelledby="ai-h">
      <h2 id="ai-h">AI effectiveness per kind of advice</h2>
      <ApiError error={result.error} />
      {a && a.rows.length === 0 && <p className="muted">No prediction has met its outcome in this window yet.</p>}
      {a && a.rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">Advice</th>
                <th scope="col">Who predicted</th>
                <th scope="col">Value</th>
                <th scope="col">Target</th>
                <th scope="col">Samples</th>
                <th scope="col">Met</th>
              </tr>
            </thead>
            <tbody>
              {a.rows.map((r) => (
                <tr key={`${r.metric}:${r.kind}:${r.source ?? 'team'}`}>
                  <th scope="row">{humanize(r.metric)}</th>
                  <td>{r.kind}</td>
                  <td>{r.source ? (r.source === 'AI' ? 'AI' : 'Deterministic baseline') : "The team's plan"}</td>
                  <td>{formatPercent(r.value)}</td>
                  <td>
                    {r.metric === 'TIMELINE_VARIANCE' ? '<' : '>'} {formatPercent(r.target)}
                  </td>
                  <td>{r.samples}</td>
                  <td>{r.met ? <Badge value="PASS" label="met" /> : <Badge value="FAIL" label="missed" />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {a && (
        <details>
          <summary>Formulas</summary>
          <ul>
            {a.formulas.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
