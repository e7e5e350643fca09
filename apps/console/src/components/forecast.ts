/** The forecast chart's data: pure, so the chart and its tests read the same numbers. */

export interface ForecastInput {
  targetDate: string;
  timeline: {
    developmentStart: string;
    featureComplete: string;
    milestones: readonly { name: string; date: string }[];
  };
  forecast?: { p50: string; p85: string; p95: string; probabilityOnTime: number; bufferDays: number } | null;
}

export interface ForecastPoint {
  /** Milliseconds since the epoch. */
  t: number;
  /** Chance of being done by t, 0…1. */
  p: number;
  label: string;
}

export interface ForecastView {
  /** Development start at 0, then P50, P85, P95: the known points of the completion curve. */
  curve: ForecastPoint[];
  /** The P50…P95 band. */
  band?: { from: number; to: number };
  markers: { t: number; label: string; kind: 'feature-complete' | 'release' | 'milestone' }[];
  domain: [number, number];
  /** One sentence a person reads instead of the chart. */
  summary: string;
}

const DAY = 86_400_000;

function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** One marker per date: milestones on the same day share it ("CODE_FREEZE / BETA"), so labels never overlap. */
function milestonesByDay(
  milestones: readonly { name: string; date: string }[],
): { t: number; label: string; kind: 'milestone' }[] {
  const byDay = new Map<number, string[]>();
  for (const m of milestones) byDay.set(Date.parse(m.date), [...(byDay.get(Date.parse(m.date)) ?? []), m.name]);
  return [...byDay].map(([t, names]) => ({ t, label: names.join(' / '), kind: 'milestone' }));
}

export function forecastView(input: ForecastInput): ForecastView {
  const start = Date.parse(input.timeline.developmentStart);
  const featureComplete = Date.parse(input.timeline.featureComplete);
  const release = Date.parse(input.targetDate);
  const markers: ForecastView['markers'] = [
    { t: featureComplete, label: 'Feature complete', kind: 'feature-complete' },
    { t: release, label: 'Release', kind: 'release' },
    ...milestonesByDay(input.timeline.milestones).filter((m) => m.t !== featureComplete && m.t !== release),
  ];
  const f = input.forecast;
  if (!f) {
    const times = [start, ...markers.map((m) => m.t)];
    return {
      curve: [],
      markers,
      domain: [Math.min(...times) - DAY, Math.max(...times) + DAY],
      summary: `No forecast yet: feature complete is planned for ${day(featureComplete)} and the release for ${day(release)}.`,
    };
  }
  const p50 = Date.parse(f.p50);
  const p85 = Date.parse(f.p85);
  const p95 = Date.parse(f.p95);
  const curve: ForecastPoint[] = [
    { t: start, p: 0, label: 'Development start' },
    { t: p50, p: 0.5, label: 'P50' },
    { t: p85, p: 0.85, label: 'P85' },
    { t: p95, p: 0.95, label: 'P95' },
  ].sort((a, b) => a.t - b.t);
  const times = [...curve.map((c) => c.t), ...markers.map((m) => m.t)];
  const late = f.bufferDays < 0;
  const buffer = Math.abs(f.bufferDays).toFixed(1);
  return {
    curve,
    band: { from: p50, to: p95 },
    markers,
    domain: [Math.min(...times) - DAY, Math.max(...times) + DAY],
    summary:
      `${Math.round(f.probabilityOnTime * 100)}% chance of reaching feature complete by ${day(featureComplete)}; ` +
      `P50 ${day(p50)}, P85 ${day(p85)}, P95 ${day(p95)}; ` +
      (late ? `P85 is ${buffer} days late.` : `P85 leaves ${buffer} days of buffer.`),
  };
}
