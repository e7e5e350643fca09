/**
 * The soak's load on the bus: catalog events published through @flightdeck/events' JetStreamBus at a fixed rate, the
 * way deployment publishes them (a rollout's step and analysis events, and now and then a rollout starting and
 * succeeding, in staging). Every service's durable consumer reads the FLIGHTDECK stream, analytics all of it; how far
 * each is behind is sampled while the load runs.
 */
import { performance } from 'node:perf_hooks';
import {
  JetStreamBus,
  rolloutAnalysisCompleted,
  rolloutStarted,
  rolloutStepCompleted,
  rolloutSucceeded,
  type CloudEvent,
} from '@flightdeck/events';

/** The durable consumers of the four services (their default names). */
export const DURABLES = {
  planning: 'planning-release-signals',
  gates: 'gates-planning',
  deployment: 'deployment-gates',
  analytics: 'analytics-projections',
};

export interface EventLoadReport {
  published: number;
  errors: number;
  errorSamples: string[];
  /** Events/s actually published over the run. */
  achievedRate: number;
  /** The most events each durable consumer had not yet acknowledged at a sample, and at the end. */
  lag: Record<string, { max: number; last: number }>;
}

const RELEASE = 'soak-bus-release';

/** The n-th event of the mix: per 100, one rollout started and one succeeded, 65 step and 33 analysis events. */
export function eventAt(n: number): CloudEvent {
  const rollout = `soak-bus-${Math.floor(n / 100)}`;
  const base = { releaseId: RELEASE, rolloutId: rollout, environment: 'staging' };
  const at = new Date().toISOString();
  const slot = n % 100;
  if (slot === 0) {
    return rolloutStarted.create({
      source: 'soak',
      subject: rollout,
      data: {
        ...base,
        strategy: 'CANARY',
        namespace: 'soak-bus',
        deployment: 'worker',
        image: `soak/worker:${n}`,
        previousImage: 'soak/worker:0',
        steps: 4,
        startedBy: 'soak',
        startedAt: at,
      },
    });
  }
  if (slot === 99)
    return rolloutSucceeded.create({ source: 'soak', subject: rollout, data: { ...base, completedAt: at } });
  if (slot % 3 === 0) {
    return rolloutAnalysisCompleted.create({
      source: 'soak',
      subject: rollout,
      data: {
        ...base,
        runId: `${rollout}-run-${slot}`,
        stepIndex: 1,
        phase: 'SUCCESSFUL',
        score: 100,
        message: 'success-rate held',
        measurements: [
          {
            metric: 'success-rate',
            value: 0.999,
            phase: 'SUCCESSFUL',
            detail: '0.999 meets the success condition result >= 0.95',
            query: 'sum(rate(http_requests_total{code!~"5.."}[1m]))',
          },
        ],
        completedAt: at,
      },
    });
  }
  return rolloutStepCompleted.create({
    source: 'soak',
    subject: rollout,
    data: { ...base, stepIndex: slot % 4, kind: 'SET_WEIGHT', weight: 25, message: 'weight set', completedAt: at },
  });
}

export async function runEventLoad(opts: {
  natsUrl: string;
  rate: number;
  seconds: number;
  window?: number;
  lagSampleMs?: number;
}): Promise<EventLoadReport> {
  const bus = await JetStreamBus.connect({ servers: opts.natsUrl, name: 'soak-load' });
  const report: EventLoadReport = { published: 0, errors: 0, errorSamples: [], achievedRate: 0, lag: {} };
  const window = opts.window ?? 256;
  const inFlight = new Set<Promise<void>>();
  const sampleLag = async () => {
    for (const [service, durable] of Object.entries(DURABLES)) {
      const lag = await bus.consumerLag(durable).catch(() => undefined);
      if (!lag) continue;
      const behind = lag.pending + lag.ackPending;
      const r = (report.lag[service] ??= { max: 0, last: 0 });
      r.max = Math.max(r.max, behind);
      r.last = behind;
    }
  };
  const lagTimer = setInterval(() => void sampleLag(), opts.lagSampleMs ?? 5_000);
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  try {
    // Every 10 ms, publish what is due by then; never more than `window` awaiting their acknowledgement.
    for (let n = 0; performance.now() < end;) {
      const due = Math.floor(((performance.now() - start) / 1000) * opts.rate);
      while (n < due && inFlight.size < window) {
        const p = bus.publish(eventAt(n++)).then(
          () => {
            report.published++;
          },
          (err: unknown) => {
            report.errors++;
            if (report.errorSamples.length < 20) report.errorSamples.push((err as Error).message);
          },
        );
        const tracked = p.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inFlight);
    report.achievedRate = report.published / ((performance.now() - start) / 1000);
    await sampleLag();
    return report;
  } finally {
    clearInterval(lagTimer);
    await bus.close();
  }
}
