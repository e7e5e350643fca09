import type { Audience, Cadence, SubscribeInput } from '../../gql/graphql.js';
import { humanize } from '../../format/dates.js';

/** The console's words for the audiences of the communication plan; what each may choose comes from planning. */
const AUDIENCE_LABELS: Record<Audience, string> = {
  DEVELOPMENT_TEAM: 'Development team',
  MANAGEMENT: 'Management',
  QA: 'QA',
  CUSTOMERS_PARTNERS: 'Customers and partners',
};

/** An audience as planning defines it (the `audiences` query). */
export interface AudiencePlan {
  audience: Audience;
  receives: string;
  usualCadence: Cadence;
  cadences: readonly Cadence[];
}

/** The channels libs/notify delivers to (ChannelInput.kind), and the fields each needs. */
export const CHANNELS = [
  { kind: 'SLACK', label: 'Slack', urlLabel: 'Slack incoming-webhook URL' },
  { kind: 'TEAMS', label: 'Microsoft Teams', urlLabel: 'Teams incoming-webhook URL' },
  { kind: 'EMAIL', label: 'E-mail' },
  { kind: 'WEBHOOK', label: 'Webhook (signed with a shared secret)', urlLabel: 'Receiver URL', secret: true },
] as const satisfies readonly { kind: string; label: string; urlLabel?: string; secret?: boolean }[];

export type ChannelKind = (typeof CHANNELS)[number]['kind'];

export const audienceLabel = (a: string): string => AUDIENCE_LABELS[a as Audience] ?? humanize(a);

/** One line of the plan, as the list shows it and the removal names it; the destination never carries a secret. */
export const describeSubscription = (s: { audience: string; cadence: string; destination: string }): string =>
  `${audienceLabel(s.audience)}, ${humanize(s.cadence)}: ${s.destination}`;

/** What the person typed into the subscription form. */
export interface SubscriptionDraft {
  audience: Audience | '';
  /** Empty: the audience's usual cadence. */
  cadence: Cadence | '';
  kind: ChannelKind | '';
  url: string;
  /** E-mail addresses separated by commas, semicolons or spaces. */
  to: string;
  secret: string;
}

export const EMPTY_DRAFT: SubscriptionDraft = { audience: '', cadence: '', kind: '', url: '', to: '', secret: '' };

/** The mutation's input: only the fields the chosen channel takes; planning checks them and names what is wrong. */
export function subscribeInput(product: string, draft: SubscriptionDraft): SubscribeInput {
  const channel =
    draft.kind === 'EMAIL'
      ? { kind: draft.kind, to: draft.to.split(/[\s,;]+/).filter(Boolean) }
      : {
          kind: draft.kind,
          url: draft.url.trim(),
          ...(draft.kind === 'WEBHOOK' ? { secret: draft.secret } : {}),
        };
  return {
    product,
    audience: draft.audience as Audience,
    ...(draft.cadence ? { cadence: draft.cadence } : {}),
    channel,
  };
}
