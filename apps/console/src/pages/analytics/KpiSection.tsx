import { useQuery } from 'urql';
import { ApiError } from '../../components/ApiError.js';
import { Badge } from '../../components/Badge.js';
import { formatNumber, formatPercent } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';
import type { Scope } from './scope.js';

const Kpis = graphql(`
  query Kpis($product: String, $from: DateTime, $to: DateTime) {
    releaseKpis(product: $product, from: $from, to: $to) {
      releaseFrequency {
        planned
        delivered
        onTime
        ratio
        formula
      }
      leadTimeCodeFreezeToProduction {
        releases
        medianDays
        targetDays
        met
        formula
      }
      deploymentSuccessRate {
        samples
        value
        target
        met
        formula
      }
      releaseQuality {
        samples
        value
        target
        met
        formula
      }
    }
  }
`);

function Met({ met }: { met: boolean | null | undefined }) {
  if (met === null || met === undefined) return <Badge value="PENDING" label="no data" />;
  return met ? <Badge value="PASS" label="target met" /> : <Badge value="FAIL" label="target missed" />;
}

export function KpiSection({ scope }: { scope: Scope }) {
  const [result] = useQuery({ query: Kpis, variables: scope });
  const k = result.data?.releaseKpis;
  return (
    <section className="card" aria-labelledby="kpi-h">
      <h2 id="kpi-h">Release KPIs against their targets</h2>
      <ApiError error={result.error} />
      {k && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">KPI</th>
                <th scope="col">Value</th>
                <th scope="col">Target</th>
                <th scope="col">Met</th>
                <th scope="col">How</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Release frequency vs plan</th>
                <td>
                  {k.releaseFrequency.delivered} delivered of {k.releaseFrequency.planned} planned (
                  {formatPercent(k.releaseFrequency.ratio)}), {k.releaseFrequency.onTime} on time
                </td>
                <td>as planned</td>
                <td>
                  <Met
                    met={
                      k.releaseFrequency.ratio === null || k.releaseFrequency.ratio === undefined
                        ? null
                        : k.releaseFrequency.ratio >= 1
                    }
                  />
                </td>
                <td className="small">{k.releaseFrequency.formula}</td>
              </tr>
              <tr>
                <th scope="row">Lead time, code freeze → production</th>
                <td>
                  {formatNumber(k.leadTimeCodeFreezeToProduction.medianDays)} days median (
                  {k.leadTimeCodeFreezeToProduction.releases} releases)
                </td>
                <td>&lt; {k.leadTimeCodeFreezeToProduction.targetDays} days</td>
                <td>
                  <Met met={k.leadTimeCodeFreezeToProduction.met} />
                </td>
                <td className="small">{k.leadTimeCodeFreezeToProduction.formula}</td>
              </tr>
              <tr>
                <th scope="row">Deployment success rate</th>
                <td>
                  {formatPercent(k.deploymentSuccessRate.value, 1)} ({k.deploymentSuccessRate.samples} rollouts)
                </td>
                <td>&gt; {formatPercent(k.deploymentSuccessRate.target)}</td>
                <td>
                  <Met met={k.deploymentSuccessRate.met} />
                </td>
                <td className="small">{k.deploymentSuccessRate.formula}</td>
              </tr>
              <tr>
                <th scope="row">Release quality</th>
                <td>
                  {formatNumber(k.releaseQuality.value, 2)} critical issues per release in 48 h (
                  {k.releaseQuality.samples} releases)
                </td>
                <td>&lt; {k.releaseQuality.target}</td>
                <td>
                  <Met met={k.releaseQuality.met} />
                </td>
                <td className="small">{k.releaseQuality.formula}</td>
              </tr>
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
