import { useEffect, useId, useRef, useState } from 'react';
import { describeSubscription } from './subscription-words.js';

export interface Subscription {
  id: string;
  audience: string;
  cadence: string;
  destination: string;
}

interface Props {
  subscriptions: readonly Subscription[];
  /** Absent: read only. Called once the person has confirmed the removal. */
  onRemove?(s: Subscription): void;
  /** The subscription being removed now, whose button waits. */
  removing?: string | undefined;
}

/** The product's communication plan: which audience hears on which channel, how often; each row removable on demand. */
export function CommunicationPlan({ subscriptions, onRemove, removing }: Props) {
  if (!subscriptions.length)
    return <p className="muted">No one subscribed to this product yet (flightdeck notify subscribe).</p>;
  return (
    <ul aria-label="Communication plan">
      {subscriptions.map((s) => (
        <li key={s.id}>
          {describeSubscription(s)}
          {onRemove && <RemoveControl subscription={s} onRemove={onRemove} removing={removing === s.id} />}
        </li>
      ))}
    </ul>
  );
}

/** A Remove button that first asks, naming the subscription; the question takes the focus so it is read out. */
function RemoveControl({
  subscription,
  onRemove,
  removing,
}: {
  subscription: Subscription;
  onRemove(s: Subscription): void;
  removing: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const question = useRef<HTMLSpanElement>(null);
  const questionId = useId();
  const what = describeSubscription(subscription);
  useEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);
  if (removing)
    return (
      <button type="button" className="small secondary" disabled>
        Removing…
      </button>
    );
  if (!asking)
    return (
      <button type="button" className="small secondary" aria-label={`Remove ${what}`} onClick={() => setAsking(true)}>
        Remove
      </button>
    );
  return (
    <span role="group" aria-labelledby={questionId} tabIndex={-1} ref={question}>
      {' '}
      <span id={questionId}>Remove {what} from the communication plan?</span>
      <button
        type="button"
        className="small danger"
        onClick={() => {
          setAsking(false);
          onRemove(subscription);
        }}
      >
        Yes, remove
      </button>
      <button type="button" className="small secondary" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </span>
  );
}
