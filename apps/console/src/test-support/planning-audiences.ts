const ALL = ['AS_IT_HAPPENS', 'DAILY', 'WEEKLY'] as const;

/** The audiences as planning's `audiences` query answers them (words shortened): what the console's forms offer. */
export const planningAudiences = [
  { audience: 'DEVELOPMENT_TEAM', receives: 'progress, blockers and quality', usualCadence: 'DAILY', cadences: ALL },
  { audience: 'MANAGEMENT', receives: 'status, milestones and risks', usualCadence: 'WEEKLY', cadences: ALL },
  { audience: 'QA', receives: 'gate results as they happen', usualCadence: 'AS_IT_HAPPENS', cadences: ALL },
  {
    audience: 'CUSTOMERS_PARTNERS',
    receives: 'release notes',
    usualCadence: 'AS_IT_HAPPENS',
    cadences: ['AS_IT_HAPPENS'],
  },
];
