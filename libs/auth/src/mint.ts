import { SignJWT } from 'jose';
import { ROLES, isRole, type Role } from './roles.js';

export interface MintTokenOptions {
  secret: string;
  subject: string;
  roles: Role[];
  name?: string;
  machine?: boolean;
  /** jose time span, e.g. '8h', '30m', '7d'; default 8h. */
  expiresIn?: string;
  issuer?: string;
  audience?: string;
}

export const DEFAULT_ISSUER = 'flightdeck';
export const DEFAULT_AUDIENCE = 'flightdeck';

/** Signs an HS256 token that createTokenVerifier({ secret }) accepts: for local use and tests. */
export async function mintToken(opts: MintTokenOptions): Promise<string> {
  const unknown = opts.roles.filter((r) => !isRole(r));
  if (unknown.length > 0)
    throw new Error(`unknown role${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
  if (!opts.subject) throw new Error('a token needs a subject (the user or machine name)');
  const machine = opts.machine === true || opts.roles.includes('CI');
  return new SignJWT({
    roles: opts.roles,
    ...(opts.name ? { name: opts.name } : {}),
    ...(machine ? { machine: true } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.subject)
    .setIssuer(opts.issuer ?? DEFAULT_ISSUER)
    .setAudience(opts.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '8h')
    .sign(new TextEncoder().encode(opts.secret));
}
