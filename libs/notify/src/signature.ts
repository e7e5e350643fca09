import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a signed webhook carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-flightdeck-signature';
export const DELIVERY_HEADER = 'x-flightdeck-delivery';
export const EVENT_HEADER = 'x-flightdeck-event';

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Signs a body at a time; the timestamp is inside the signed text, so a captured request cannot be replayed later. */
export function signWebhook(body: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/** What a receiver does: checks the header against the body, and that the timestamp is within `toleranceSeconds` of now. */
export function verifyWebhookSignature(
  body: string,
  header: string | undefined,
  secret: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): SignatureCheck {
  if (!header) return { valid: false, reason: `no ${SIGNATURE_HEADER} header` };
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1)
    return { valid: false, reason: `the ${SIGNATURE_HEADER} header is not "t=<unix seconds>,v1=<hex>"` };
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now - t) > tolerance)
    return {
      valid: false,
      reason: `the signature's timestamp is ${Math.abs(now - t)} s away from now (at most ${tolerance} s)`,
    };
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  const given = Buffer.from(v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { valid: false, reason: 'the signature does not match the body' };
  return { valid: true };
}
