import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { ApiError } from '../../components/ApiError.js';
import { Badge } from '../../components/Badge.js';
import { formatNumber, formatPercent } from '../../format/dates.js';
import { graphql } from '../../gql/index.js';
import type { Scope } from './scope.js';

const Dora = graphql(`
  query Dora($product: String, $from: DateTime, $to: DateTime) {
    now: doraMetrics(product: $product) {
      levels
      asOf
      window {
        from
        to
      }
      deploymentFrequency {
        deployments
        perDay
        level
        formula
      }
      leadTimeForChanges {
        releases
        medianHours
        codeFreezeToProductionMedianHours
        level
        formula
      }
      changeFailureRate {
        deployments
        failed
        rate
        level
        formula
      }
      failedDeploymentRecoveryTime {
        failures
        recovered
        medianHours
        level
        formula
      }
    }
    trend: doraTrend(product: $product, from: $from, to: $to, interval: WEEK) {
      points {
        window {
          from
        }
        deploymentFrequency {
          deployments
          perDay
        }
        leadTimeForChanges {
          medianHours
        }
        changeFailureRate {
          deployments
          failed
          rate
        }
        failedDeploymentRecoveryTime {
          medianHours
        }
      }
    }
  }
`);

const week = (iso: string) => iso.slice(5, 10);

function Trend({
  title,
  data,
  dataKey,
  format,
}: {
  title: string;
  data: Record<string, unknown>[];
  dataKey: string;
  format: (v: number) => string;
}) {
  return (
    <figure className="chart small-chart" aria-label={`${title} per week`}>
      <figcaption>{title}, per week</figcaption>
      <div
        role="img"
        aria-label={`${title} per week: ${data.map((d) => `${d.week as string} ${d[dataKey] === null ? 'no data' : format(d[dataKey] as number)}`).join(', ')}`}
      >
        <ResponsiveContainer width="100%" height={150}>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e4e4e4" />
            <XAxis dataKey="week" stroke="#444" fontSize={11} />
            <YAxis stroke="#444" fontSize={11} width={48} tickFormatter={(v: number) => format(v)} />
            <Line
              dataKey={dataKey}
              stroke="#1f5fa8"
              strokeWidth={2}
              dot={{ r: 2 }}
              connectNulls={false}
              isAnimationActive={false}
            />
            <Tooltip formatter={(v) => format(Number(v))} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function DoraSection({ scope }: { scope: Scope }) {
  const [result] = useQuery({ query: Dora, variables: scope });
  const now = result.data?.now;
  const points = (result.data?.trend.points ?? []).map((p) => ({
    week: week(p.window.from),
    perDay: p.deploymentFrequency.perDay ?? null,
    leadHours: p.leadTimeForChanges.medianHours ?? null,
    cfr: p.changeFailureRate.deployments ? (p.changeFailureRate.rate ?? null) : null,
    recoveryHours: p.failedDeploymentRecoveryTime.medianHours ?? null,
  }));
  const keys = now
    ? [
        {
          name: 'Deployment frequency',
          value: `${formatNumber(now.deploymentFrequency.perDay, 2)} per day (${now.deploymentFrequency.deployments} deployments)`,
          level: now.deploymentFrequency.level,
          formula: now.deploymentFrequency.formula,
        },
        {
          name: 'Lead time for changes',
          value: `${formatNumber(now.leadTimeForChanges.medianHours)} h median (${now.leadTimeForChanges.releases} releases)`,
          level: now.leadTimeForChanges.level,
          formula: now.leadTimeForChanges.formula,
        },
        {
          name: 'Change failure rate',
          value: `${formatPercent(now.changeFailureRate.rate)} (${now.changeFailureRate.failed} of ${now.changeFailureRate.deployments})`,
          level: now.changeFailureRate.level,
          formula: now.changeFailureRate.formula,
        },
        {
          name: 'Failed deployment recovery time',
          value: `${formatNumber(now.failedDeploymentRecoveryTime.medianHours)} h median (${now.failedDeploymentRecoveryTime.recovered} of ${now.failedDeploymentRecoveryTime.failures} recovered)`,
          level: now.failedDeploymentRecoveryTime.level,
          formula: now.failedDeploymentRecoveryTime.formula,
        },
      ]
    : [];
  return (
    <section className="card" aria-labelledby="dora-h">
      <h2 id="dora-h">DORA four keys</h2>
      <ApiError error={result.error} />
      {now && (
        <>
          <p className="muted">
            Last 30 days{now.asOf ? `, as of ${now.asOf.slice(0, 19).replace('T', ' ')} UTC` : ''}. Bands: {now.levels}
          </p>
          <div className="kpis">
            {keys.map((k) => (
              <div key={k.name} className="kpi" data-testid={`dora-${k.name}`}>
                <h3>{k.name}</h3>
                <p className="big">{k.value}</p>
                <p>
                  <Badge
                    value={k.level}
                    label={k.level === 'NO_DATA' ? 'no data' : `${k.level.toLowerCase()} performer`}
                  />
                </p>
                <p className="muted small">{k.formula}</p>
              </div>
            ))}
          </div>
          <div className="charts">
            <Trend title="Deployments per day" data={points} dataKey="perDay" format={(v) => v.toFixed(2)} />
            <Trend title="Lead time (h, median)" data={points} dataKey="leadHours" format={(v) => v.toFixed(0)} />
            <Trend title="Change failure rate" data={points} dataKey="cfr" format={(v) => `${Math.round(v * 100)}%`} />
            <Trend
              title="Recovery time (h, median)"
              data={points}
              dataKey="recoveryHours"
              format={(v) => (v < 10 ? v.toFixed(2) : v.toFixed(0))}
            />
          </div>
        </>
      )}
    </section>
  );
}
