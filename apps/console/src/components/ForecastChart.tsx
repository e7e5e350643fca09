import {
  Area,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { forecastView, type ForecastInput } from './forecast.js';

const tick = (t: number) => new Date(t).toISOString().slice(5, 10);

/** The timeline forecast: chance of completion over time, the P50–P95 band, feature complete and the release. */
export function ForecastChart({ input, width }: { input: ForecastInput; width?: number }) {
  const view = forecastView(input);
  const chart = (
    <ComposedChart
      data={view.curve}
      width={width}
      height={width ? 260 : undefined}
      margin={{ top: 24, right: 24, bottom: 8, left: 8 }}
    >
      <XAxis dataKey="t" type="number" scale="time" domain={view.domain} tickFormatter={tick} stroke="#444" />
      <YAxis
        domain={[0, 1]}
        tickFormatter={(p: number) => `${Math.round(p * 100)}%`}
        stroke="#444"
        label={{ value: 'chance done', angle: -90, position: 'insideLeft' }}
      />
      {view.band && (
        <ReferenceArea
          x1={view.band.from}
          x2={view.band.to}
          fill="#7aa6d8"
          fillOpacity={0.25}
          label={{ value: 'P50–P95', position: 'insideTop' }}
        />
      )}
      <Area dataKey="p" type="monotone" stroke="none" fill="#1f5fa8" fillOpacity={0.08} isAnimationActive={false} />
      <Line
        dataKey="p"
        type="monotone"
        stroke="#1f5fa8"
        strokeWidth={2}
        dot={{ r: 4 }}
        isAnimationActive={false}
        name="chance done"
      />
      {view.markers.map((m) => (
        <ReferenceLine
          key={`${m.kind}:${m.label}`}
          x={m.t}
          stroke={m.kind === 'milestone' ? '#999' : m.kind === 'release' ? '#222' : '#b35c00'}
          strokeDasharray={m.kind === 'milestone' ? '2 4' : '6 3'}
          label={{ value: m.label, position: 'top', fontSize: 11 }}
        />
      ))}
      <Tooltip
        labelFormatter={(t) => new Date(Number(t)).toISOString().slice(0, 10)}
        formatter={(p) => `${Math.round(Number(p) * 100)}%`}
      />
    </ComposedChart>
  );
  if (view.curve.length === 0) return <p className="chart">{view.summary}</p>;
  return (
    <figure className="chart" role="group" aria-label="Timeline forecast">
      <div role="img" aria-label={view.summary}>
        {width ? (
          chart
        ) : (
          <ResponsiveContainer width="100%" height={260}>
            {chart}
          </ResponsiveContainer>
        )}
      </div>
      <figcaption>{view.summary}</figcaption>
    </figure>
  );
}
