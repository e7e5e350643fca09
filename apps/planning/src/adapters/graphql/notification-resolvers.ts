import { describeTarget } from '@flightdeck/notify';
import { requestActor, type SubgraphContext, type SubgraphResolvers } from '@flightdeck/subgraph';
import { authorize, requireHuman } from '@flightdeck/kernel';
import type { CodeFreeze } from '../../application/code-freeze.js';
import type { CommunicationPlan } from '../../application/communication-plan.js';
import type { Delivery, Subscription } from '../../application/notification-ports.js';
import type { Notifications } from '../../application/notifications.js';
import { audiencePlans, type Audience, type Cadence } from '../../domain/communication-plan.js';
import { CAN } from './roles.js';

export interface NotificationContext extends SubgraphContext {
  plan: CommunicationPlan;
  notifications: Notifications;
  freeze: CodeFreeze;
}

const subscriptionView = (s: Subscription) => ({
  ...s,
  channel: s.target.kind,
  destination: describeTarget(s.target),
});

const deliveryView = (d: Delivery) => ({
  ...d,
  event: d.notification.event,
  title: d.notification.title,
  channel: d.target.kind,
  destination: describeTarget(d.target),
  nextAttemptAt: d.status === 'RETRYING' || d.status === 'PENDING' ? d.nextAttemptAt : null,
});

interface SubscribeArgs {
  input: {
    product: string;
    audience: Audience;
    cadence?: Cadence | null;
    channel: { kind: string; url?: string | null; to?: string[] | null; secret?: string | null };
  };
}

/** The communication plan and the delivery log; authorisation here, as in resolvers.ts. */
export const notificationResolvers: SubgraphResolvers<NotificationContext> = {
  Query: {
    audiences: () => audiencePlans(),
    subscriptions: async (_: unknown, a: { product?: string | null; audience?: Audience | null }, ctx) => {
      authorize(ctx.identity, CAN.manageNotifications);
      const list = await ctx.plan.list({
        ...(a.product ? { product: a.product } : {}),
        ...(a.audience ? { audience: a.audience } : {}),
      });
      return list.map(subscriptionView);
    },
    notificationDeliveries: async (_: unknown, a: { release: string }, ctx) => {
      authorize(ctx.identity, CAN.readDeliveries);
      const stored = await ctx.freeze.resolve(a.release);
      return (await ctx.notifications.deliveriesOf(stored.release.id)).map(deliveryView);
    },
  },
  Mutation: {
    subscribe: async (_: unknown, { input }: SubscribeArgs, ctx) => {
      const identity = authorize(ctx.identity, CAN.manageNotifications);
      requireHuman(identity);
      // Only the fields given: a stray null must not look like a value to the target's checks.
      const target = Object.fromEntries(Object.entries(input.channel).filter(([, v]) => v != null));
      const s = await ctx.plan.subscribe(requestActor(identity), {
        product: input.product,
        audience: input.audience,
        cadence: input.cadence ?? undefined,
        target,
      });
      return subscriptionView(s);
    },
    unsubscribe: async (_: unknown, a: { id: string }, ctx) => {
      requireHuman(authorize(ctx.identity, CAN.manageNotifications));
      return subscriptionView(await ctx.plan.unsubscribe(a.id));
    },
  },
};
