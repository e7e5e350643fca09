import { agree, count } from '@flightdeck/kernel';
import { addDays, daysBetween, milestoneDate, milestonesFor, type Milestone } from './calendar.js';
import { criticalPath } from './critical-path.js';
import type { ReleaseType } from './release-type.js';
import { inScope, type Feature } from './scope.js';

export interface TeamCapacity {
  /** Story points completed per past week, oldest first. */
  velocityHistory: readonly number[];
  /** Points per week the team plans to deliver; used when there is no history. */
  plannedVelocity?: number;
}

export interface Timeline {
  milestones: Milestone[];
  /** When the remaining development starts: kickoff, or now if kickoff has passed. */
  developmentStart: Date;
  featureComplete: Date;
  /** Weeks left between development start and feature complete (0 when passed). */
  developmentWeeks: number;
  /** Mean weekly velocity (history, else planned), 0 when unknown. */
  velocity: number;
  /** Points the team can still deliver before feature complete. */
  capacityPoints: number;
  scopePoints: number;
  remainingPoints: number;
  criticalPath: { featureIds: string[]; points: number; weeks: number };
  /** Days the critical path ends after feature complete; 0 when on time. */
  criticalPathDelayDays: number;
  warnings: string[];
}

export function meanVelocity(team: TeamCapacity): number {
  const h = team.velocityHistory;
  if (h.length > 0) return h.reduce((a, b) => a + b, 0) / h.length;
  return team.plannedVelocity ?? 0;
}

/** The release's timeline: calendar milestones, the capacity left before feature complete, and the critical path. */
export function planTimeline(
  release: { type: ReleaseType; targetDate: Date; features: readonly Feature[] },
  team: Readonly<TeamCapacity>,
  now: Date,
): Timeline {
  const milestones = milestonesFor(release.type, release.targetDate);
  const kickoff = milestoneDate(milestones, 'KICKOFF')!;
  const featureComplete = milestoneDate(milestones, 'FEATURE_COMPLETE')!;
  const developmentStart = now > kickoff ? now : kickoff;
  const developmentWeeks = Math.max(0, daysBetween(developmentStart, featureComplete) / 7);
  const velocity = meanVelocity(team);
  const scope = release.features.filter(inScope);
  const scopePoints = sum(scope.map((f) => f.effort));
  const remainingPoints = sum(scope.filter((f) => f.status !== 'DONE').map((f) => f.effort));
  const path = criticalPath(release.features);
  const pathWeeks = velocity > 0 ? path.points / velocity : Infinity;
  const pathEnd = addDays(developmentStart, Number.isFinite(pathWeeks) ? pathWeeks * 7 : 0);
  const warnings: string[] = [];
  if (velocity <= 0)
    warnings.push('no velocity history and no planned velocity: capacity and critical-path duration are unknown');
  if (now > featureComplete && remainingPoints > 0)
    warnings.push(
      `feature complete (${day(featureComplete)}) has passed with ${count(remainingPoints, 'point')} still open`,
    );
  if (now > kickoff && now < featureComplete) {
    const lost = daysBetween(kickoff, now);
    if (lost >= 1 && release.features.every((f) => f.status === 'TODO'))
      warnings.push(`kickoff was ${count(Math.round(lost), 'day')} ago and no feature has started`);
  }
  const capacityPoints = round(velocity * developmentWeeks);
  if (velocity > 0 && remainingPoints > capacityPoints)
    warnings.push(
      `${count(remainingPoints, 'point')} ${agree(remainingPoints, 'remains', 'remain')} but the team can deliver about ${capacityPoints} before feature complete`,
    );
  return {
    milestones,
    developmentStart,
    featureComplete,
    developmentWeeks: round(developmentWeeks),
    velocity: round(velocity),
    capacityPoints,
    scopePoints,
    remainingPoints,
    criticalPath: {
      featureIds: path.featureIds,
      points: path.points,
      weeks: Number.isFinite(pathWeeks) ? round(pathWeeks) : 0,
    },
    criticalPathDelayDays:
      velocity > 0 && path.points > 0 ? round(Math.max(0, daysBetween(featureComplete, pathEnd))) : 0,
    warnings,
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

export function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}
