import type { Identity } from './roles.js';

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
