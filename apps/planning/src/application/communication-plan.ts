import { InvalidTargetError, parseChannelTarget } from '@flightdeck/notify';
import { NotFoundError, RuleError } from '@flightdeck/kernel';
import { cadenceFor, parseAudience, parseProduct, type Audience } from '../domain/communication-plan.js';
import type { Clock, IdGenerator, RequestMeta } from './ports.js';
import type { Subscription, SubscriptionStore } from './notification-ports.js';

export interface SubscribeInput {
  product: unknown;
  audience: unknown;
  /** Absent: the audience's cadence in the process (AUDIENCE_PLAN). */
  cadence?: unknown;
  /** `{ kind, url }`, `{ kind: 'EMAIL', to }` or `{ kind: 'WEBHOOK', url, secret }`. */
  target: unknown;
}

/** Who gets what, on which channel and cadence, per product. Everything is checked before anything is stored. */
export class CommunicationPlan {
  constructor(private readonly deps: { subscriptions: SubscriptionStore; clock: Clock; newId: IdGenerator }) {}

  async subscribe(meta: RequestMeta, input: SubscribeInput): Promise<Subscription> {
    const product = parseProduct(input.product);
    const audience = parseAudience(input.audience);
    const cadence = cadenceFor(audience, input.cadence);
    let target;
    try {
      target = parseChannelTarget(input.target);
    } catch (error) {
      if (error instanceof InvalidTargetError) throw new RuleError(error.message, `target.${error.field}`);
      throw error;
    }
    const subscription: Subscription = {
      id: this.deps.newId(),
      product,
      audience,
      cadence,
      target,
      createdBy: meta.by,
      createdAt: this.deps.clock.now(),
    };
    await this.deps.subscriptions.insert(subscription);
    return subscription;
  }

  async unsubscribe(id: string): Promise<Subscription> {
    const removed = await this.deps.subscriptions.remove(id);
    if (!removed) throw new NotFoundError(`subscription ${id} does not exist`);
    return removed;
  }

  list(filter: { product?: string; audience?: Audience }): Promise<Subscription[]> {
    return this.deps.subscriptions.list(filter);
  }
}
