import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql/index.js';
import { AiSection } from './analytics/AiSection.js';
import { DoraSection } from './analytics/DoraSection.js';
import { IncidentsSection } from './analytics/IncidentsSection.js';
import { KpiSection } from './analytics/KpiSection.js';
import { ReleaseLearningSection } from './analytics/ReleaseLearningSection.js';

const Products = graphql(`
  query AnalyticsProducts {
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

const WINDOWS = [
  ['90', 'last 90 days'],
  ['180', 'last 6 months'],
  ['365', 'last year'],
] as const;

export function AnalyticsPage() {
  const [params, setParams] = useSearchParams();
  const product = params.get('product') ?? '';
  const days = Number(params.get('days') ?? '180');
  const [products] = useQuery({ query: Products });
  const names = useMemo(
    () => [...new Set(products.data?.releases.edges.map((e) => e.node.product) ?? [])].sort(),
    [products.data],
  );
  // One window for every section, fixed to the day so re-renders ask the same question.
  const window = useMemo(() => {
    const to = new Date();
    to.setUTCHours(0, 0, 0, 0);
    to.setUTCDate(to.getUTCDate() + 1);
    return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
  }, [days]);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const scope = { product: product || null, ...window };
  return (
    <section>
      <h1>Analytics</h1>
      <form className="filters" aria-label="Scope of the analytics" onSubmit={(e) => e.preventDefault()}>
        <label>
          Product
          <select value={product} onChange={(e) => set('product', e.target.value)}>
            <option value="">Whole organisation</option>
            {names.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Window
          <select value={String(days)} onChange={(e) => set('days', e.target.value)}>
            {WINDOWS.map(([d, label]) => (
              <option key={d} value={d}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <DoraSection scope={scope} />
      <KpiSection scope={scope} />
      <AiSection scope={scope} />
      <IncidentsSection scope={scope} />
      <ReleaseLearningSection product={product} />
    </section>
  );
}
