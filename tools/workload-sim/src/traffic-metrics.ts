import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { Behaviour } from './behaviours.js';
import { LatencyModel } from './latency.js';

/**
 * The simulated traffic of Ready pods as Prometheus metrics, per pod:
 * `http_requests_total{namespace,deployment,pod,version,code}` and the histogram `http_request_duration_seconds`.
 * Traffic accrues in simulated time at the pod's behaviour (rps, errorRatio, latency) while the pod is Ready,
 * and is worked out when scraped, so the counts are exact and cost nothing between scrapes.
 */

/** Where the traffic's time comes from: the real clock, or kube-sim's simulated one. */
export interface Clock {
  now(): Date;
}

export const realClock: Clock = { now: () => new Date() };

export const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 10];

export interface PodIdentity {
  uid: string;
  namespace: string;
  deployment: string;
  pod: string;
  version: string;
}

interface PodTraffic {
  id: PodIdentity;
  behaviour: Behaviour;
  latency: LatencyModel;
  readyAt?: number;
  requests: number;
}

type Labels = Record<string, string>;

export class TrafficMetrics {
  readonly registry = new Registry();
  private readonly pods = new Map<string, PodTraffic>();

  constructor(private readonly clock: Clock = realClock) {
    const pods = this.pods;
    const advance = () => this.advance();
    new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served by simulated pods, by response code',
      labelNames: ['namespace', 'deployment', 'pod', 'version', 'code'],
      registers: [this.registry],
      collect() {
        advance();
        this.reset();
        for (const p of pods.values()) {
          const errors = Math.floor(p.requests * p.behaviour.errorRatio);
          const total = Math.floor(p.requests);
          this.inc(labelsOf(p, { code: '200' }), total - errors);
          this.inc(labelsOf(p, { code: '500' }), errors);
        }
      },
    });
    this.registry.registerMetric(this.histogram() as unknown as Metric);
    new Gauge({
      name: 'workload_sim_ready_pods',
      help: 'Simulated pods that are Ready and serving traffic',
      labelNames: ['namespace', 'deployment', 'version'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const p of pods.values())
          if (p.readyAt !== undefined)
            this.inc({ namespace: p.id.namespace, deployment: p.id.deployment, version: p.id.version });
      },
    });
  }

  private histogram() {
    const name = 'http_request_duration_seconds';
    const help = 'Duration of HTTP requests served by simulated pods';
    const get = async () => {
      this.advance();
      const values: { metricName: string; labels: Labels; value: number }[] = [];
      for (const p of this.pods.values()) {
        const count = Math.floor(p.requests);
        const base = labelsOf(p);
        // Rounded, not floored: a floor puts one request of every pod above the largest bucket its latency can
        // reach (20 requests at a p99 of 0.25 s: 19 within 5 s), which a short rate() window reads as a p99 of seconds.
        for (const le of durationBuckets)
          values.push({
            metricName: `${name}_bucket`,
            labels: { ...base, le: String(le) },
            value: Math.round(count * p.latency.cdf(le)),
          });
        values.push({ metricName: `${name}_bucket`, labels: { ...base, le: '+Inf' }, value: count });
        values.push({ metricName: `${name}_sum`, labels: base, value: count * p.latency.mean() });
        values.push({ metricName: `${name}_count`, labels: base, value: count });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    };
    return { name, help, type: 'histogram', aggregator: 'sum', get, reset: () => {}, collect: () => {} };
  }

  private advance(): void {
    const now = this.clock.now().getTime();
    for (const p of this.pods.values()) {
      if (p.readyAt === undefined) continue;
      p.requests += (p.behaviour.rps * (now - p.readyAt)) / 1000;
      p.readyAt = now;
    }
  }

  /** A pod became Ready: it serves traffic from now on (a pod seen before keeps its counts). */
  podReady(id: PodIdentity, behaviour: Behaviour): void {
    this.advance();
    const existing = this.pods.get(id.uid);
    const latency = new LatencyModel(behaviour.p50Seconds ?? behaviour.p99Seconds / 4, behaviour.p99Seconds);
    if (existing)
      Object.assign(existing, { id, behaviour, latency, readyAt: existing.readyAt ?? this.clock.now().getTime() });
    else this.pods.set(id.uid, { id, behaviour, latency, readyAt: this.clock.now().getTime(), requests: 0 });
  }

  /** A pod stopped being Ready: its series stay, frozen, until it is gone. */
  podNotReady(uid: string): void {
    this.advance();
    const p = this.pods.get(uid);
    if (p) p.readyAt = undefined;
  }

  podGone(uid: string): void {
    this.pods.delete(uid);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function labelsOf(p: PodTraffic, extra: Labels = {}): Labels {
  return { namespace: p.id.namespace, deployment: p.id.deployment, pod: p.id.pod, version: p.id.version, ...extra };
}
