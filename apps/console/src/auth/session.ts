import { decodeJwt } from 'jose';

/** The roles of libs/auth; the token's `roles` claim names some of them. */
export const ROLES = [
  'RELEASE_MANAGER',
  'TECHNICAL_LEAD',
  'QA_LEAD',
  'PRODUCT_OWNER',
  'DEVELOPER',
  'SRE',
  'VIEWER',
  'CI',
] as const;
export type Role = (typeof ROLES)[number];

export interface Session {
  token: string;
  subject: string;
  name?: string;
  roles: Role[];
  machine: boolean;
  expiresAt?: Date;
}

/**
 * Reads a token's claims to decide which actions to show. Nothing here is trusted: the gateway and every service
 * verify the token again and refuse what its roles do not allow, and the console shows their message.
 */
export function sessionFromToken(raw: string, now = new Date()): Session {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  if (!token)
    throw new Error(
      'Paste a token: the text after "Bearer " that `npm start` printed, or one from your identity provider.',
    );
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new Error(
      'This is not a JWT (three base64url parts separated by dots). Paste the token itself, without quotes.',
    );
  }
  if (typeof claims.sub !== 'string' || !claims.sub) throw new Error('The token has no `sub` claim naming the user.');
  const roles = Array.isArray(claims.roles)
    ? claims.roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r))
    : [];
  if (!Array.isArray(claims.roles))
    throw new Error(`The token has no \`roles\` claim (an array of ${ROLES.join(', ')}).`);
  const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  if (expiresAt && expiresAt <= now)
    throw new Error(
      `The token expired at ${expiresAt.toISOString()}; ask for a new one (npm run mint-token, or sign in to your identity provider again).`,
    );
  return {
    token,
    subject: claims.sub,
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    roles,
    machine: claims.machine === true || roles.includes('CI'),
    ...(expiresAt ? { expiresAt } : {}),
  };
}

const KEY = 'flightdeck.token';

export function loadSession(storage: Storage = sessionStorage): Session | undefined {
  const token = storage.getItem(KEY);
  if (!token) return undefined;
  try {
    return sessionFromToken(token);
  } catch {
    storage.removeItem(KEY);
    return undefined;
  }
}

export function saveSession(session: Session | undefined, storage: Storage = sessionStorage): void {
  if (session) storage.setItem(KEY, session.token);
  else storage.removeItem(KEY);
}
