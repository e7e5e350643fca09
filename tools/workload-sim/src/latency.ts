/** Request durations as a log-normal distribution fitted to a median and a 99th percentile. */

const z99 = 2.3263478740408408;

/** Abramowitz–Stegun 7.1.26: the error function to about 1e-7. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return sign * y;
}

export class LatencyModel {
  private readonly mu: number;
  private readonly sigma: number;

  constructor(p50: number, p99: number) {
    const median = Math.min(p50, p99 * 0.999);
    this.mu = Math.log(median);
    this.sigma = Math.max(1e-6, (Math.log(p99) - this.mu) / z99);
  }

  /** The share of requests that finish within `seconds`. */
  cdf(seconds: number): number {
    if (seconds <= 0) return 0;
    return 0.5 * (1 + erf((Math.log(seconds) - this.mu) / (this.sigma * Math.SQRT2)));
  }

  mean(): number {
    return Math.exp(this.mu + (this.sigma * this.sigma) / 2);
  }
}
