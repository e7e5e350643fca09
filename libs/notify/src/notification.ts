import { z } from 'zod';

/** What is sent: one message, the same on every channel, each channel rendering it its own way. */
export interface Notification {
  /** The delivery's id: the idempotency key a receiver sees (webhook header, e-mail Message-ID), stable across retries. */
  id: string;
  /** What happened, e.g. "gate.failed" or "status.weekly"; webhooks receive it as their event name. */
  event: string;
  title: string;
  /** Plain text with line breaks; Markdown-style lists and **bold** read well on every channel. */
  text: string;
  severity: 'info' | 'warning' | 'critical';
  /** Where to act: the console page or the API. */
  link?: { label: string; url: string };
  /** Machine-readable facts for webhooks (release id, gate, outcome…). */
  data?: Record<string, unknown>;
}

export const CHANNEL_KINDS = ['SLACK', 'TEAMS', 'EMAIL', 'WEBHOOK'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const httpsOrLoopback = z
  .url({ protocol: /^https?$/ })
  .refine(
    (u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u),
    'an https:// URL (plain http only on the loopback, for tests)',
  );

/** Where a notification goes: the channel and its address. */
export const channelTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('SLACK'), url: httpsOrLoopback }),
  z.object({ kind: z.literal('TEAMS'), url: httpsOrLoopback }),
  z.object({ kind: z.literal('EMAIL'), to: z.array(z.email()).min(1, 'at least one address') }),
  z.object({
    kind: z.literal('WEBHOOK'),
    url: httpsOrLoopback,
    /** The HMAC-SHA256 key the receiver shares; at least 16 characters. */
    secret: z.string().min(16, 'a shared secret of at least 16 characters'),
  }),
]);
export type ChannelTarget = z.output<typeof channelTargetSchema>;

export class InvalidTargetError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'InvalidTargetError';
  }
}

/** Checks a target from a caller, naming what is wrong and what would be right (an unknown channel lists the known ones). */
export function parseChannelTarget(input: unknown): ChannelTarget {
  const kind = (input as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !(CHANNEL_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidTargetError(
      `channel ${JSON.stringify(kind ?? null)} is unknown; expected one of ${CHANNEL_KINDS.join(', ')}`,
      'kind',
    );
  }
  const parsed = channelTargetSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'target';
  throw new InvalidTargetError(
    `${kind} target: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(target)'}: ${i.message}`).join('; ')}`,
    field,
  );
}

/** Where a target points, without its secret, for logs and the delivery log. */
export function describeTarget(t: ChannelTarget): string {
  if (t.kind === 'EMAIL') return `email to ${t.to.join(', ')}`;
  const u = new URL(t.url);
  return `${t.kind.toLowerCase()} ${u.origin}${u.pathname.length > 1 ? '/…' : ''}`;
}
