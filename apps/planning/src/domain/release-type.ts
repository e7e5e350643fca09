export const RELEASE_TYPES = ['MAJOR', 'MINOR', 'PATCH', 'HOTFIX'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];

export interface DurationRange {
  /** Shortest usual duration, in days (fractions for hours). */
  minDays: number;
  maxDays: number;
}

export interface ReleaseTypeRules {
  pattern: string;
  cadence: string;
  planning: DurationRange;
  testing: DurationRange;
}

const HOUR = 1 / 24;

/** The release process's defaults per type (docs/ARCHITECTURE.md, "Release types"). */
export const RELEASE_TYPE_RULES: Record<ReleaseType, ReleaseTypeRules> = {
  MAJOR: {
    pattern: 'X.0.0',
    cadence: 'quarterly',
    planning: { minDays: 42, maxDays: 56 },
    testing: { minDays: 14, maxDays: 21 },
  },
  MINOR: {
    pattern: 'X.Y.0',
    cadence: 'monthly',
    planning: { minDays: 21, maxDays: 28 },
    testing: { minDays: 7, maxDays: 14 },
  },
  PATCH: {
    pattern: 'X.Y.Z',
    cadence: 'as needed',
    planning: { minDays: 7, maxDays: 7 },
    testing: { minDays: 3, maxDays: 5 },
  },
  HOTFIX: {
    pattern: 'X.Y.Z-hotfix[.N]',
    cadence: 'emergency only',
    planning: { minDays: 0, maxDays: 24 * HOUR },
    testing: { minDays: 0, maxDays: 8 * HOUR },
  },
};

export function isReleaseType(value: string): value is ReleaseType {
  return (RELEASE_TYPES as readonly string[]).includes(value);
}
