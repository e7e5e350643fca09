import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { measurementPoints, thresholdsOf } from './analysis.js';

interface MetricInput {
  name: string;
  successCondition?: string | null;
  failureCondition?: string | null;
  phase: string;
  measurements: readonly { at: string; value?: number | null; phase: string; detail: string }[];
}

const clock = (t: number) => new Date(t).toISOString().slice(11, 19);

/** One metric's measurements over time against its thresholds; failed points are marked, not only coloured. */
export function MetricChart({ metric, width }: { metric: MetricInput; width?: number }) {
  const points = measurementPoints(metric.measurements);
  const thresholds = thresholdsOf(metric);
  const failed = points.filter((p) => p.phase === 'FAILED' && p.value !== null);
  // The thresholds stay in view even when every value is far from them.
  const values = [...points.flatMap((p) => (p.value === null ? [] : [p.value])), ...thresholds.map((t) => t.value)];
  const span = values.length ? Math.max(...values) - Math.min(...values) || Math.abs(values[0]!) || 1 : 1;
  const domain: [number, number] = values.length
    ? [Math.min(...values) - span * 0.1, Math.max(...values) + span * 0.1]
    : [0, 1];
  const summary = `${metric.name}: ${points.length} measurement(s), ${failed.length} failed; ${thresholds.map((t) => `${t.kind} ${t.condition}`).join(', ') || 'no numeric threshold'}.`;
  const chart = (
    <LineChart
      data={points}
      width={width}
      height={width ? 180 : undefined}
      margin={{ top: 16, right: 24, bottom: 4, left: 4 }}
    >
      <CartesianGrid stroke="#e4e4e4" />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={['dataMin', 'dataMax']}
        tickFormatter={clock}
        stroke="#444"
      />
      <YAxis
        domain={domain}
        stroke="#444"
        width={56}
        tickFormatter={(v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(2))}
      />
      {thresholds.map((t) => (
        <ReferenceLine
          key={`${t.kind}${t.value}`}
          y={t.value}
          stroke={t.kind === 'failure' ? '#b00020' : '#1b7f3b'}
          strokeDasharray="6 3"
          label={{ value: t.condition, position: 'insideTopRight', fontSize: 11 }}
        />
      ))}
      <Line
        dataKey="value"
        stroke="#1f5fa8"
        strokeWidth={2}
        isAnimationActive={false}
        connectNulls={false}
        dot={{ r: 3 }}
      />
      <Scatter data={failed} dataKey="value" fill="#b00020" shape="cross" isAnimationActive={false} />
      <Tooltip labelFormatter={(t) => clock(Number(t))} />
    </LineChart>
  );
  return (
    <figure className="chart small-chart" aria-label={`${metric.name} measurements`}>
      <div role="img" aria-label={summary}>
        {width ? (
          chart
        ) : (
          <ResponsiveContainer width="100%" height={180}>
            {chart}
          </ResponsiveContainer>
        )}
      </div>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
