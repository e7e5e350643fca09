import { Schema, type Connection, type Model } from 'mongoose';
import { CHANNEL_KINDS } from '@flightdeck/notify';
import { AUDIENCES, CADENCES } from '../../domain/communication-plan.js';

export interface SubscriptionDoc {
  _id: string;
  product: string;
  audience: string;
  cadence: string;
  /** The channel target as parsed by @flightdeck/notify (kind, url or to, secret). */
  target: { kind: string } & Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
}

const subscriptionSchema = new Schema<SubscriptionDoc>(
  {
    _id: { type: String, required: true },
    product: { type: String, required: true },
    audience: { type: String, enum: AUDIENCES, required: true },
    cadence: { type: String, enum: CADENCES, required: true },
    target: {
      type: new Schema({ kind: { type: String, enum: CHANNEL_KINDS, required: true } }, { _id: false, strict: false }),
      required: true,
    },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'notification_subscriptions', versionKey: false },
);
subscriptionSchema.index({ product: 1, audience: 1 });

export interface DeliveryDoc {
  _id: string;
  releaseId: string;
  product: string;
  audience: string;
  subscriptionId: string;
  target: { kind: string } & Record<string, unknown>;
  notification: Record<string, unknown>;
  status: string;
  attempts: number;
  lastError?: string;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt?: Date;
}

/** The delivery log, which is also the queue the delivery worker takes due deliveries from. */
const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    releaseId: { type: String, required: true },
    product: { type: String, required: true },
    audience: { type: String, required: true },
    subscriptionId: { type: String, required: true },
    target: { type: Schema.Types.Mixed, required: true },
    notification: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: ['PENDING', 'RETRYING', 'SENT', 'FAILED'], required: true },
    attempts: { type: Number, required: true },
    lastError: String,
    nextAttemptAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    sentAt: Date,
  },
  { collection: 'notification_deliveries', versionKey: false },
);
deliverySchema.index({ status: 1, nextAttemptAt: 1 });
deliverySchema.index({ releaseId: 1, createdAt: 1 });

export type SubscriptionModel = Model<SubscriptionDoc>;
export type DeliveryModel = Model<DeliveryDoc>;

export function subscriptionModel(connection: Connection): SubscriptionModel {
  return (
    (connection.models.NotificationSubscription as SubscriptionModel | undefined) ??
    connection.model<SubscriptionDoc>('NotificationSubscription', subscriptionSchema)
  );
}

export function deliveryModel(connection: Connection): DeliveryModel {
  return (
    (connection.models.NotificationDelivery as DeliveryModel | undefined) ??
    connection.model<DeliveryDoc>('NotificationDelivery', deliverySchema)
  );
}
