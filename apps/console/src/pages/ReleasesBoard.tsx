import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { can } from '../auth/permissions.js';
import { useSession } from '../auth/SessionContext.js';
import { ApiError } from '../components/ApiError.js';
import { Badge } from '../components/Badge.js';
import { HealthBadge } from '../components/HealthBadge.js';
import { formatDate, humanize } from '../format/dates.js';
import { graphql } from '../gql/index.js';
import type { ReleaseStatus } from '../gql/graphql.js';
import { nextGate } from './next-gate.js';

const STATUSES: ReleaseStatus[] = [
  'PLANNING',
  'IN_DEVELOPMENT',
  'FEATURE_COMPLETE',
  'CODE_FREEZE',
  'ALPHA',
  'BETA',
  'RELEASE_CANDIDATE',
  'RELEASED',
  'CLOSED',
  'CANCELLED',
];

const Products = graphql(`
  query BoardProducts {
    releases(first: 100) {
      edges {
        node {
          id
          product
        }
      }
    }
  }
`);

const Board = graphql(`
  query ReleasesBoard($filter: ReleaseFilter, $first: Int, $after: String) {
    releases(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          product
          version
          type
          status
          targetDate
          health {
            status
            reasons {
              rule
              status
              message
            }
          }
          gates {
            name
            title
            outcome
          }
          readiness {
            score
            recommendation
          }
        }
      }
    }
  }
`);

const PAGE = 50;

export function ReleasesBoard() {
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  const product = params.get('product') ?? '';
  const status = params.get('status') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [after, setAfter] = useState<string[]>([]);
  const filter = {
    ...(product ? { product } : {}),
    ...(status ? { status: [status as ReleaseStatus] } : {}),
    ...(from ? { targetFrom: `${from}T00:00:00Z` } : {}),
    ...(to ? { targetTo: `${to}T23:59:59Z` } : {}),
  };
  const [products] = useQuery({ query: Products });
  const [board] = useQuery({ query: Board, variables: { filter, first: PAGE, after: after.at(-1) ?? null } });
  const productNames = useMemo(
    () => [...new Set(products.data?.releases.edges.map((e) => e.node.product) ?? [])].sort(),
    [products.data],
  );
  const rows = board.data?.releases.edges.map((e) => e.node) ?? [];
  const byProduct = new Map<string, typeof rows>();
  for (const r of rows) byProduct.set(r.product, [...(byProduct.get(r.product) ?? []), r]);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setAfter([]);
    setParams(next);
  };

  return (
    <section>
      <div className="page-head">
        <h1>Releases</h1>
        {can(session, 'createRelease') && (
          <Link className="button" to="/releases/new">
            New release
          </Link>
        )}
      </div>
      <form className="filters" aria-label="Filter releases" onSubmit={(e) => e.preventDefault()}>
        <label>
          Product
          <select value={product} onChange={(e) => set('product', e.target.value)}>
            <option value="">All products</option>
            {productNames.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Target from
          <input type="date" value={from} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label>
          Target to
          <input type="date" value={to} onChange={(e) => set('to', e.target.value)} />
        </label>
      </form>
      <ApiError error={board.error} />
      {board.fetching && !board.data && <p aria-live="polite">Loading releases…</p>}
      {board.data && rows.length === 0 && <p>No release matches these filters.</p>}
      {[...byProduct].map(([name, releases]) => (
        <section key={name} aria-labelledby={`product-${name}`} className="card">
          <h2 id={`product-${name}`}>{name}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Target date</th>
                  <th scope="col">Health</th>
                  <th scope="col">Next gate</th>
                  <th scope="col">Readiness</th>
                </tr>
              </thead>
              <tbody>
                {releases.map((r) => {
                  const gate = nextGate(r.gates);
                  return (
                    <tr key={r.id}>
                      <th scope="row">
                        <Link to={`/releases/${r.id}`}>
                          {r.product} {r.version}
                        </Link>
                      </th>
                      <td>{humanize(r.type)}</td>
                      <td>{humanize(r.status)}</td>
                      <td>{formatDate(r.targetDate)}</td>
                      <td>
                        <HealthBadge status={r.health.status} reasons={r.health.reasons} compact />
                      </td>
                      <td>
                        {gate ? (
                          <>
                            {gate.title}{' '}
                            {gate.outcome ? (
                              <Badge value={gate.outcome} />
                            ) : (
                              <span className="muted">not evaluated</span>
                            )}
                          </>
                        ) : r.gates.length ? (
                          <Badge value="PASS" label="all passed" />
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>
                        {r.readiness ? (
                          <>
                            <Badge value={r.readiness.recommendation} /> {r.readiness.score}/100
                          </>
                        ) : (
                          <span className="muted">not assessed</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      {board.data && (
        <nav className="pager" aria-label="Pages">
          <span>{board.data.releases.totalCount} release(s)</span>
          {after.length > 0 && (
            <button type="button" onClick={() => setAfter(after.slice(0, -1))}>
              Previous page
            </button>
          )}
          {board.data.releases.pageInfo.hasNextPage && (
            <button type="button" onClick={() => setAfter([...after, board.data!.releases.pageInfo.endCursor!])}>
              Next page
            </button>
          )}
        </nav>
      )}
    </section>
  );
}
