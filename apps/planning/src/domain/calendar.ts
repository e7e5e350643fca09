import { RELEASE_TYPE_RULES, type ReleaseType } from './release-type.js';

export const MILESTONE_NAMES = [
  'KICKOFF',
  'ALPHA',
  'FEATURE_COMPLETE',
  'CODE_FREEZE',
  'BETA',
  'RELEASE_CANDIDATE',
  'PRODUCTION',
  'POST_RELEASE_SUPPORT_END',
] as const;
export type MilestoneName = (typeof MILESTONE_NAMES)[number];

export interface Milestone {
  name: MilestoneName;
  date: Date;
  description: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}

/**
 * The milestones of a release from its target (production) date.
 *
 * MAJOR and MINOR follow the release calendar: alpha −4 weeks, feature complete −3, code freeze −2,
 * beta −2, release candidate −1, production 0, post-release support until +1 week. PATCH and HOTFIX
 * compress it to their testing duration (feature complete and code freeze together, no alpha/beta;
 * a hotfix's support window is the 48 hours of enhanced monitoring before its retrospective).
 * Kickoff is feature complete minus the type's longest planning time: the development window.
 */
export function milestonesFor(type: ReleaseType, target: Date): Milestone[] {
  const rules = RELEASE_TYPE_RULES[type];
  const at = (days: number): Date => addDays(target, days);
  let list: Milestone[];
  if (type === 'MAJOR' || type === 'MINOR') {
    list = [
      { name: 'ALPHA', date: at(-28), description: 'internal alpha build available' },
      { name: 'FEATURE_COMPLETE', date: at(-21), description: 'all planned features done; Feature Complete gate' },
      { name: 'CODE_FREEZE', date: at(-14), description: 'only release fixes merge from here' },
      { name: 'BETA', date: at(-14), description: 'beta with users; Alpha gate passed' },
      { name: 'RELEASE_CANDIDATE', date: at(-7), description: 'release candidate; Beta gate passed' },
    ];
  } else if (type === 'PATCH') {
    list = [
      { name: 'FEATURE_COMPLETE', date: at(-rules.testing.maxDays), description: 'all fixes done' },
      { name: 'CODE_FREEZE', date: at(-rules.testing.maxDays), description: 'testing starts' },
      { name: 'RELEASE_CANDIDATE', date: at(-1), description: 'release candidate' },
    ];
  } else {
    list = [
      {
        name: 'FEATURE_COMPLETE',
        date: new Date(target.getTime() - 8 * HOUR_MS),
        description: 'fix ready; minimal tests start',
      },
      { name: 'CODE_FREEZE', date: new Date(target.getTime() - 8 * HOUR_MS), description: 'only the fix goes out' },
      {
        name: 'RELEASE_CANDIDATE',
        date: new Date(target.getTime() - 2 * HOUR_MS),
        description: 'Technical Lead and Product Owner approve',
      },
    ];
  }
  const featureComplete = list.find((m) => m.name === 'FEATURE_COMPLETE')!.date;
  const supportDays = type === 'HOTFIX' ? 2 : 7;
  return [
    {
      name: 'KICKOFF' as const,
      date: addDays(featureComplete, -rules.planning.maxDays),
      description: 'development starts',
    },
    ...list,
    { name: 'PRODUCTION' as const, date: target, description: 'production rollout' },
    {
      name: 'POST_RELEASE_SUPPORT_END' as const,
      date: addDays(target, supportDays),
      description: type === 'HOTFIX' ? 'enhanced monitoring ends; retrospective due' : 'post-release support ends',
    },
  ].sort(
    (a, b) => a.date.getTime() - b.date.getTime() || MILESTONE_NAMES.indexOf(a.name) - MILESTONE_NAMES.indexOf(b.name),
  );
}

export function milestoneDate(milestones: readonly Milestone[], name: MilestoneName): Date | undefined {
  return milestones.find((m) => m.name === name)?.date;
}
