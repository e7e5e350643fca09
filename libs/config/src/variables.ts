import { z } from 'zod';

// Builders for environment variables: every value arrives as a string, so each builder parses text and says
// in its error what text would be accepted.

export function envString(description: string, opts: { minLength?: number } = {}) {
  const min = opts.minLength ?? 1;
  return z
    .string()
    .min(min, { error: `must be at least ${min} characters` })
    .describe(description);
}

export function envUrl(description: string, protocols: string[]) {
  return z
    .string()
    .refine((v) => isUrlWith(v, protocols), {
      error: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    })
    .describe(description);
}

/** One URL or a comma-separated list of them (kept as the original text). */
export function envUrlList(description: string, protocols: string[]) {
  return z
    .string()
    .refine((v) => v.split(',').every((u) => isUrlWith(u.trim(), protocols)), {
      error: `must be one or more comma-separated URLs starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    })
    .describe(description);
}

export function envInt(description: string, range: { min: number; max: number }) {
  return z
    .string()
    .regex(/^-?\d+$/, { error: `must be a whole number between ${range.min} and ${range.max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(range.min, { error: `must be at least ${range.min}` })
        .max(range.max, { error: `must be at most ${range.max}` }),
    )
    .describe(description);
}

export function envPort(description: string) {
  return envInt(description, { min: 0, max: 65535 });
}

export function envBoolean(description: string) {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false (also accepted: 1/0, yes/no)' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .describe(description);
}

export function envEnum<const T extends readonly [string, ...string[]]>(description: string, values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` }).describe(description);
}

function isUrlWith(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Splits a NATS_URL value into the server list the NATS client takes. */
export function natsServers(natsUrl: string): string[] {
  return natsUrl
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}
