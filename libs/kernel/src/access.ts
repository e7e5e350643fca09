import { ForbiddenError, UnauthenticatedError } from './errors.js';
import type { Identity, Role } from './roles.js';

/**
 * The caller must be known and hold at least one of `allowed` (any role when none is listed); returns the identity
 * to go on with. `what` names the action in the refusal: "starting a rollout needs one of the roles …".
 */
export function authorize(identity: Identity | undefined, allowed: readonly Role[] = [], what = 'this'): Identity {
  if (!identity) throw new UnauthenticatedError();
  if (allowed.length > 0 && !allowed.some((r) => identity.roles.includes(r))) {
    const held = identity.roles.length ? identity.roles.join(', ') : 'no roles';
    throw new ForbiddenError(
      `${what} needs one of the roles ${allowed.join(', ')}; ${identity.subject} has ${held}`,
      allowed,
      identity.roles,
    );
  }
  return identity;
}

/** A person only, never the CI role or another machine identity: for decisions (approvals, overrides, plans). */
export function requireHuman(identity: Identity | undefined, what = 'do this'): Identity {
  if (!identity) throw new UnauthenticatedError();
  if (identity.machine || identity.roles.includes('CI')) {
    throw new ForbiddenError(
      `${identity.subject} is a machine identity (CI): only a person may ${what}`,
      [],
      identity.roles,
    );
  }
  return identity;
}
