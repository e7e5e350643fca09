import { GraphQLError } from 'graphql';
import type { Identity, Role } from './roles.js';

function unauthenticated(): GraphQLError {
  return new GraphQLError('authentication required: send an Authorization: Bearer <token> header (local tokens: npm run mint-token)', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

function forbidden(message: string, needed: readonly Role[], held: readonly Role[]): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', needed: [...needed], held: [...held] } });
}

/**
 * Resolver guard: the caller must be authenticated and hold at least one of `roles` (any role when none given).
 * Returns the identity so a resolver can go on with it.
 */
export function requireRole(identity: Identity | undefined, ...roles: Role[]): Identity {
  if (!identity) throw unauthenticated();
  if (roles.length > 0 && !roles.some((r) => identity.roles.includes(r))) {
    const held = identity.roles.length ? identity.roles.join(', ') : 'no roles';
    throw forbidden(`this needs one of the roles ${roles.join(', ')}; ${identity.subject} has ${held}`, roles, identity.roles);
  }
  return identity;
}

/** Guard for approvals and other decisions: a person only, never the CI role or another machine identity. */
export function requireHuman(identity: Identity | undefined): Identity {
  if (!identity) throw unauthenticated();
  if (identity.machine || identity.roles.includes('CI')) {
    throw forbidden(
      `${identity.subject} is a machine identity (CI): it may submit evidence but never approve; a person with the needed role must do this`,
      [],
      identity.roles,
    );
  }
  return identity;
}
