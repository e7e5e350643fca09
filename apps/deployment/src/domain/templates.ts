import type { MetricTemplate } from './types.js';

/**
 * Built-in analysis templates on the metric names the simulated workloads (and most HTTP services) export:
 * `http_requests_total{namespace,deployment,code}` and `http_request_duration_seconds_bucket`.
 * `{{canarySelector}}` selects the new version's pods, `{{stableSelector}}` the stable version's.
 */
export const BUILT_IN_TEMPLATES: Record<string, Omit<MetricTemplate, 'intervalSeconds' | 'count'>> = {
  'success-rate': {
    name: 'success-rate',
    query:
      '1 - (sum(rate(http_requests_total{ {{canarySelector}},code=~"5.." }[{{interval}}])) or vector(0)) / sum(rate(http_requests_total{ {{canarySelector}} }[{{interval}}]))',
    successCondition: 'result >= 0.95',
    failureCondition: 'result < 0.95',
    failureLimit: 0,
    inconclusiveLimit: 2,
    weight: 2,
  },
  'latency-p99': {
    name: 'latency-p99',
    query:
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{ {{canarySelector}} }[{{interval}}])))',
    successCondition: 'result <= 0.5',
    failureCondition: 'result > 1',
    failureLimit: 0,
    inconclusiveLimit: 2,
    weight: 1,
  },
  /** Canary minus stable error ratio: the new version may not be more than 2 points worse than the one it replaces. */
  'error-ratio-vs-stable': {
    name: 'error-ratio-vs-stable',
    query:
      '(sum(rate(http_requests_total{ {{canarySelector}},code=~"5.." }[{{interval}}])) or vector(0)) / sum(rate(http_requests_total{ {{canarySelector}} }[{{interval}}])) - ((sum(rate(http_requests_total{ {{stableSelector}},code=~"5.." }[{{interval}}])) or vector(0)) / sum(rate(http_requests_total{ {{stableSelector}} }[{{interval}}])))',
    failureCondition: 'result > 0.02',
    failureLimit: 0,
    inconclusiveLimit: 2,
    weight: 2,
  },
};

export const DEFAULT_TEMPLATES = ['success-rate', 'latency-p99'];
