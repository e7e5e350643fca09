import { RuleError } from '@flightdeck/kernel';

/** The audiences of the release process's communication plan. */
export const AUDIENCES = ['DEVELOPMENT_TEAM', 'MANAGEMENT', 'QA', 'CUSTOMERS_PARTNERS'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** How often an audience hears from a product: events as they happen, or a daily or weekly summary. */
export const CADENCES = ['AS_IT_HAPPENS', 'DAILY', 'WEEKLY'] as const;
export type Cadence = (typeof CADENCES)[number];

/** What the process says each audience receives, and on which cadence by default. */
export const AUDIENCE_PLAN: Record<Audience, { cadence: Cadence; receives: string }> = {
  DEVELOPMENT_TEAM: {
    cadence: 'DAILY',
    receives: 'progress, blockers and quality; failed gates and rollbacks at once',
  },
  MANAGEMENT: {
    cadence: 'WEEKLY',
    receives: 'status, milestones, risks and business impact; rollbacks and production at once',
  },
  QA: { cadence: 'AS_IT_HAPPENS', receives: 'gate results and quality trends as they happen' },
  CUSTOMERS_PARTNERS: { cadence: 'AS_IT_HAPPENS', receives: 'release announcements, release notes and API changes' },
};

function oneOf<T extends string>(value: unknown, known: readonly T[], field: string, what: string): T {
  if (typeof value === 'string' && (known as readonly string[]).includes(value)) return value as T;
  throw new RuleError(
    `${what} ${JSON.stringify(value ?? null)} is unknown; expected one of ${known.join(', ')}`,
    field,
  );
}

export const parseAudience = (value: unknown): Audience => oneOf(value, AUDIENCES, 'audience', 'audience');
export const parseCadence = (value: unknown): Cadence => oneOf(value, CADENCES, 'cadence', 'cadence');

/** The audiences inside the organisation: the only ones the daily digest and the weekly status go to. */
export const INTERNAL_AUDIENCES: readonly Audience[] = AUDIENCES.filter((a) => a !== 'CUSTOMERS_PARTNERS');

/**
 * The cadences a subscription of `audience` may choose. The daily and weekly summaries carry progress, blockers and
 * risks, so only an audience inside the organisation may choose them.
 */
export const cadencesOf = (audience: Audience): readonly Cadence[] =>
  INTERNAL_AUDIENCES.includes(audience) ? CADENCES : ['AS_IT_HAPPENS'];

/** Each audience as the process defines it: what it receives, its usual cadence and the cadences it may choose. */
export const audiencePlans = () =>
  AUDIENCES.map((audience) => ({
    audience,
    receives: AUDIENCE_PLAN[audience].receives,
    usualCadence: AUDIENCE_PLAN[audience].cadence,
    cadences: cadencesOf(audience),
  }));

/** The cadence `audience` hears on: `value`, or the process's default for it when absent; one it may choose. */
export function cadenceFor(audience: Audience, value: unknown): Cadence {
  if (value == null) return AUDIENCE_PLAN[audience].cadence;
  const cadence = parseCadence(value);
  if (!cadencesOf(audience).includes(cadence))
    throw new RuleError(
      `cadence ${cadence} is for audiences inside the organisation (${INTERNAL_AUDIENCES.join(', ')}): its summaries carry progress, blockers and risks; ${audience} hears of releases as they happen, cadence AS_IT_HAPPENS`,
      'cadence',
    );
  return cadence;
}

/** A product name as releases carry it. */
export function parseProduct(value: unknown): string {
  if (typeof value === 'string' && /^[a-z0-9][a-z0-9._-]{0,62}$/.test(value)) return value;
  throw new RuleError(
    `product ${JSON.stringify(value ?? null)} is not a product name: lower-case letters, digits, '.', '_' or '-', at most 63`,
    'product',
  );
}

/** When the weekly status goes out: Mondays from 09:00 UTC (a service started later in the week catches up at once). */
export const WEEKLY_STATUS_AT = { weekday: 'Monday', hourUtc: 9 } as const;

/** The week `now` falls in, by its Monday (YYYY-MM-DD, UTC), once that week's status is due; undefined before. */
export function weeklyStatusDue(now: Date): string | undefined {
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const dueAt = monday.getTime() + WEEKLY_STATUS_AT.hourUtc * 3_600_000;
  return now.getTime() >= dueAt ? monday.toISOString().slice(0, 10) : undefined;
}

/** When the daily digest goes out: weekdays from 09:00 UTC. */
export const DAILY_DIGEST_AT = { weekdays: 'Monday to Friday', hourUtc: 9 } as const;

/** The day `now` falls on (YYYY-MM-DD, UTC), once that day's digest is due; undefined before 09:00 and at weekends. */
export function dailyDigestDue(now: Date): string | undefined {
  const weekday = now.getUTCDay();
  if (weekday === 0 || weekday === 6) return undefined;
  return now.getUTCHours() >= DAILY_DIGEST_AT.hourUtc ? now.toISOString().slice(0, 10) : undefined;
}
