import { useQuery } from 'urql';
import { ApiError } from '../../components/ApiError.js';
import { AiEffectivenessTable } from '../../components/AiEffectivenessTable.js';
import { graphql } from '../../gql/index.js';
import type { Scope } from './scope.js';

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
      tooFewOutcomes {
        metric
        kind
        source
        samples
        minimum
        target
      }
      notScorable {
        kind
        reason
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
      {a && <AiEffectivenessTable rows={a.rows} tooFewOutcomes={a.tooFewOutcomes} notScorable={a.notScorable} />}
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
