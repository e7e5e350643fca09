import { useId, useState, type FormEvent } from 'react';
import type { CombinedError } from '@urql/core';
import { ApiError } from '../../components/ApiError.js';
import { humanize } from '../../format/dates.js';
import type { SubscribeInput } from '../../gql/graphql.js';
import {
  audienceLabel,
  CHANNELS,
  EMPTY_DRAFT,
  subscribeInput,
  type AudiencePlan,
  type SubscriptionDraft,
} from './subscription-words.js';

interface Props {
  product: string;
  /** The audiences and the cadences each may choose, as planning answers them. */
  audiences: readonly AudiencePlan[];
  /** Resolves true once the subscription is stored: the form empties; false keeps what was typed. */
  onSubscribe(input: SubscribeInput): Promise<boolean>;
  busy: boolean;
  error: CombinedError | undefined;
}

/** Adds an audience's channel to the product's plan: the fields the chosen channel needs, nothing more. */
export function SubscribeForm({ product, audiences, onSubscribe, busy, error }: Props) {
  const id = useId();
  const [draft, setDraft] = useState<SubscriptionDraft>(EMPTY_DRAFT);
  const field = <K extends keyof SubscriptionDraft>(key: K) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) =>
      setDraft({ ...draft, [key]: e.target.value as SubscriptionDraft[K] }),
  });
  const channel = CHANNELS.find((c) => c.kind === draft.kind);
  const audience = audiences.find((a) => a.audience === draft.audience);
  const cadences = audience?.cadences ?? [...new Set(audiences.flatMap((a) => a.cadences))];
  const chooseAudience = (value: string) => {
    const allowed = audiences.find((a) => a.audience === value)?.cadences;
    // A cadence the newly chosen audience may not have falls back to its usual one.
    const keep = !draft.cadence || !allowed || allowed.includes(draft.cadence);
    setDraft({ ...draft, audience: value as SubscriptionDraft['audience'], cadence: keep ? draft.cadence : '' });
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await onSubscribe(subscribeInput(product, draft))) setDraft(EMPTY_DRAFT);
  }

  return (
    <form onSubmit={submit} className="stack narrow" aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>Add a subscription</h4>
      <div className="field">
        <label htmlFor={`${id}-audience`}>Audience</label>
        <select
          id={`${id}-audience`}
          value={draft.audience}
          onChange={(e) => chooseAudience(e.target.value)}
          required
          aria-describedby={`${id}-audience-help`}
        >
          <option value="">Choose…</option>
          {audiences.map((a) => (
            <option key={a.audience} value={a.audience}>
              {audienceLabel(a.audience)}
            </option>
          ))}
        </select>
        <span id={`${id}-audience-help`} className="muted">
          {audience ? `Receives ${audience.receives}.` : ''}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-cadence`}>Cadence</label>
        <select id={`${id}-cadence`} {...field('cadence')}>
          <option value="">
            The audience&apos;s usual{audience ? ` (${humanize(audience.usualCadence).toLowerCase()})` : ''}
          </option>
          {cadences.map((c) => (
            <option key={c} value={c}>
              {humanize(c)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-kind`}>Channel</label>
        <select id={`${id}-kind`} {...field('kind')} required>
          <option value="">Choose…</option>
          {CHANNELS.map((c) => (
            <option key={c.kind} value={c.kind}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      {channel && 'urlLabel' in channel && (
        <div className="field">
          <label htmlFor={`${id}-url`}>{channel.urlLabel}</label>
          <input id={`${id}-url`} type="url" {...field('url')} required placeholder="https://" />
        </div>
      )}
      {channel?.kind === 'EMAIL' && (
        <div className="field">
          <label htmlFor={`${id}-to`}>Addresses</label>
          <input id={`${id}-to`} {...field('to')} required aria-describedby={`${id}-to-help`} />
          <span id={`${id}-to-help`} className="muted">
            Separate several addresses with commas.
          </span>
        </div>
      )}
      {channel && 'secret' in channel && (
        <div className="field">
          <label htmlFor={`${id}-secret`}>Shared secret</label>
          <input
            id={`${id}-secret`}
            type="password"
            autoComplete="new-password"
            {...field('secret')}
            required
            aria-describedby={`${id}-secret-help`}
          />
          <span id={`${id}-secret-help`} className="muted">
            At least 16 characters; the receiver checks each delivery&apos;s HMAC-SHA256 signature with it. It is never
            shown again.
          </span>
        </div>
      )}
      <ApiError error={error} action="Adding the subscription" />
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add subscription'}
      </button>
    </form>
  );
}
