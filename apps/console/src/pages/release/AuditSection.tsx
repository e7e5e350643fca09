import { useQuery } from 'urql';
import { ApiError } from '../../components/ApiError.js';
import { formatTime, humanize } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';

const Audit = graphql(`
  query ReleaseAudit($release: String!) {
    auditTrail(release: $release, last: 200) {
      id
      at
      by
      action
      gate
      what
      why
    }
  }
`);

interface Transition {
  from: string;
  to: string;
  by: string;
  at: string;
  reason: string;
}

/** Gates' append-only audit trail, with planning's status changes woven in by time. */
export function AuditSection({ releaseId, transitions }: { releaseId: string; transitions: readonly Transition[] }) {
  const [result] = useQuery({ query: Audit, variables: { release: releaseId } });
  const entries = [
    ...(result.data?.auditTrail ?? []).map((a) => ({
      key: a.id,
      at: a.at,
      by: a.by,
      what: `${humanize(a.action)}${a.gate ? ` (${a.gate})` : ''}: ${a.what}`,
      why: a.why ?? '',
    })),
    ...transitions.map((t, i) => ({
      key: `t${i}`,
      at: t.at,
      by: t.by,
      what: `Status ${humanize(t.from)} → ${humanize(t.to)}`,
      why: t.reason,
    })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <section id="audit" tabIndex={-1} aria-labelledby="audit-h" className="card">
      <h2 id="audit-h">Audit trail</h2>
      <ApiError error={result.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.key}>
                <td>{formatTime(e.at)}</td>
                <td>{e.by}</td>
                <td>{e.what}</td>
                <td>{e.why || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
