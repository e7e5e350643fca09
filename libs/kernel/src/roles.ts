export const ROLES = [
  'RELEASE_MANAGER',
  'TECHNICAL_LEAD',
  'QA_LEAD',
  'PRODUCT_OWNER',
  'DEVELOPER',
  'SRE',
  /** Signs off a release candidate for the business (docs/ARCHITECTURE.md, "Roles"). */
  'BUSINESS_STAKEHOLDER',
  /** Signs off that support is ready for a release candidate. */
  'SUPPORT_LEAD',
  'VIEWER',
  'CI',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is calling, as established from a verified token. */
export interface Identity {
  subject: string;
  name?: string;
  roles: Role[];
  /** A machine identity (CI pipeline): may submit evidence, never approve. */
  machine: boolean;
}

/**
 * Someone who did something, as a record keeps them. `subject` (the token's `sub`) is the one identity key:
 * every "same person" rule, every lookup and every comparison uses it. `name` is only ever shown; it is the
 * token's display name, or the subject when the token carries none.
 */
export interface Person {
  subject: string;
  name: string;
}

/** The person behind an identity: its subject to compare, its display name (or subject) to show. */
export function personOf(identity: Pick<Identity, 'subject' | 'name'>): Person {
  const name = identity.name?.trim();
  return { subject: identity.subject, name: name ? name : identity.subject };
}
