import type { Forecast } from './forecast.js';
import { assessHealth, type HealthReport } from './health.js';
import type { Release } from './release.js';
import type { Timeline } from './timeline.js';

/** A release's health from its own fields (scope, gate outcomes, its team's velocity), its timeline and a forecast. */
export function releaseHealth(r: Release, timeline: Timeline, now: Date, forecast?: Forecast): HealthReport {
  return assessHealth({
    createdAt: r.createdAt,
    status: r.status,
    targetDate: r.targetDate,
    features: r.features,
    gates: r.signals.gates,
    velocityHistory: r.team.velocityHistory,
    timeline,
    ...(forecast ? { forecast } : {}),
    now,
  });
}
