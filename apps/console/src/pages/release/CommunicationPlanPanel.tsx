import { useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ApiError } from '../../components/ApiError.js';
import { graphql } from '../../gql/index.js';
import type { SubscribeInput } from '../../gql/graphql.js';
import { CommunicationPlan, type Subscription } from './CommunicationPlan.js';
import { SubscribeForm } from './SubscribeForm.js';
import { describeSubscription } from './subscription-words.js';

const Plan = graphql(`
  query CommunicationPlan($product: String!) {
    audiences {
      audience
      receives
      usualCadence
      cadences
    }
    subscriptions(product: $product) {
      id
      audience
      cadence
      destination
    }
  }
`);
const Subscribe = graphql(`
  mutation Subscribe($input: SubscribeInput!) {
    subscribe(input: $input) {
      id
      audience
      cadence
      destination
    }
  }
`);
const Unsubscribe = graphql(`
  mutation Unsubscribe($id: ID!) {
    unsubscribe(id: $id) {
      id
      audience
      cadence
      destination
    }
  }
`);

/** The product's communication plan for someone who may manage it: rows to remove, a form to add; re-read after each. */
export function CommunicationPlanPanel({ product }: { product: string }) {
  const [plan, refetch] = useQuery({ query: Plan, variables: { product } });
  const [added, subscribe] = useMutation(Subscribe);
  const [removed, unsubscribe] = useMutation(Unsubscribe);
  const [removing, setRemoving] = useState<string>();
  const [done, setDone] = useState('');
  // The removed row's buttons are gone: the focus moves to the sentence saying what was removed.
  const status = useRef<HTMLParagraphElement>(null);
  const reread = () => refetch({ requestPolicy: 'network-only' });

  async function add(input: SubscribeInput): Promise<boolean> {
    setDone('');
    const answer = await subscribe({ input });
    if (!answer.data) return false;
    setDone(`Added ${describeSubscription(answer.data.subscribe)}`);
    reread();
    return true;
  }

  async function remove(s: Subscription) {
    setDone('');
    setRemoving(s.id);
    const answer = await unsubscribe({ id: s.id });
    setRemoving(undefined);
    if (!answer.data) return;
    setDone(`Removed ${describeSubscription(answer.data.unsubscribe)}`);
    status.current?.focus();
    reread();
  }

  return (
    <>
      <h3>Communication plan of {product}</h3>
      <ApiError error={plan.error} />
      {plan.data && (
        <CommunicationPlan
          subscriptions={plan.data.subscriptions}
          onRemove={(s) => void remove(s)}
          removing={removing}
        />
      )}
      <ApiError error={removed.error} action="Removing the subscription" />
      <p role="status" className="muted" tabIndex={-1} ref={status}>
        {done}
      </p>
      {plan.data && (
        <SubscribeForm
          product={product}
          audiences={plan.data.audiences}
          onSubscribe={add}
          busy={added.fetching}
          error={added.error}
        />
      )}
    </>
  );
}
