import type { JWTPayload } from 'jose';
import { AuthenticationError } from './errors.js';
import { ROLES, isRole, type Identity, type Role } from './roles.js';

/** Turns the claims of a verified token into an Identity, refusing anything that is not one. */
export function identityFromClaims(payload: JWTPayload): Identity {
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new AuthenticationError('token has no `sub` claim: it must name the user or machine', 'bad_claims');
  }
  const roles = payload.roles;
  if (roles === undefined) {
    throw new AuthenticationError(
      `token has no \`roles\` claim (expected an array of roles, known: ${ROLES.join(', ')})`,
      'bad_claims',
    );
  }
  if (!Array.isArray(roles)) {
    throw new AuthenticationError(
      `token claim \`roles\` must be an array of roles (known: ${ROLES.join(', ')}), got ${JSON.stringify(roles)}`,
      'bad_claims',
    );
  }
  const known: Role[] = [];
  for (const r of roles) {
    if (!isRole(r))
      throw new AuthenticationError(`unknown role '${String(r)}' (known: ${ROLES.join(', ')})`, 'bad_claims');
    if (!known.includes(r)) known.push(r);
  }
  const name = typeof payload.name === 'string' ? payload.name : undefined;
  // The CI role is a machine role whatever the `machine` claim says.
  const machine = payload.machine === true || known.includes('CI');
  return { subject: payload.sub, ...(name !== undefined ? { name } : {}), roles: known, machine };
}
