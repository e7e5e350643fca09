import { Badge } from './Badge.js';
import { formatPercent, humanize } from '../format/dates.js';

export interface ScoredRow {
  metric: string;
  kind: string;
  source?: string | null;
  samples: number;
  value: number;
  target: number;
  met: boolean;
}

export interface TooFewRow {
  metric: string;
  kind: string;
  source?: string | null;
  samples: number;
  minimum: number;
  target: number;
}

export interface NotScorableRow {
  kind: string;
  reason: string;
}

const who = (source: string | null | undefined) =>
  source ? (source === 'AI' ? 'AI' : 'Deterministic baseline') : "The team's plan";
const target = (metric: string, value: number) =>
  `${metric === 'TIMELINE_VARIANCE' ? '<' : '>'} ${formatPercent(value)}`;

/**
 * Every advice kind and source against the process's target: a score once it has enough outcomes, how many it has
 * so far when it has too few, and why when no outcome can ever score it.
 */
export function AiEffectivenessTable({
  rows,
  tooFewOutcomes,
  notScorable,
}: {
  rows: readonly ScoredRow[];
  tooFewOutcomes: readonly TooFewRow[];
  notScorable: readonly NotScorableRow[];
}) {
  if (rows.length + tooFewOutcomes.length + notScorable.length === 0)
    return <p className="muted">No advice has been recorded in this window yet.</p>;
  return (
    <div className="table-wrap">
      <table aria-label="AI effectiveness">
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
          {rows.map((r) => (
            <tr key={`${r.metric}:${r.kind}:${r.source ?? 'team'}`}>
              <th scope="row">{humanize(r.metric)}</th>
              <td>{r.kind}</td>
              <td>{who(r.source)}</td>
              <td>{formatPercent(r.value)}</td>
              <td>{target(r.metric, r.target)}</td>
              <td>{r.samples}</td>
              <td>{r.met ? <Badge value="PASS" label="met" /> : <Badge value="FAIL" label="missed" />}</td>
            </tr>
          ))}
          {tooFewOutcomes.map((t) => (
            <tr key={`few:${t.metric}:${t.kind}:${t.source ?? 'team'}`}>
              <th scope="row">{humanize(t.metric)}</th>
              <td>{t.kind}</td>
              <td>{who(t.source)}</td>
              <td className="muted">
                {t.samples} of {t.minimum} outcomes so far
              </td>
              <td>{target(t.metric, t.target)}</td>
              <td>{t.samples}</td>
              <td className="muted">not yet</td>
            </tr>
          ))}
          {notScorable.map((n) => (
            <tr key={`never:${n.kind}`}>
              <th scope="row">—</th>
              <td>{n.kind}</td>
              <td>AI or baseline</td>
              <td className="muted" colSpan={4}>
                not scorable: {n.reason}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
