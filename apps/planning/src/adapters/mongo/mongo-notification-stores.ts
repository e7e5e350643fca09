import type { ChannelKind, ChannelTarget, Notification } from '@flightdeck/notify';
import type {
  Delivery,
  DeliveryStatus,
  DeliveryStore,
  Subscription,
  SubscriptionStore,
} from '../../application/notification-ports.js';
import type { Audience, Cadence } from '../../domain/communication-plan.js';
import type { DeliveryDoc, DeliveryModel, SubscriptionDoc, SubscriptionModel } from './notification-models.js';

const subscriptionOf = (d: SubscriptionDoc): Subscription => ({
  id: d._id,
  product: d.product,
  audience: d.audience as Audience,
  cadence: d.cadence as Cadence,
  target: d.target as unknown as ChannelTarget,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
});

export class MongoSubscriptionStore implements SubscriptionStore {
  constructor(private readonly model: SubscriptionModel) {}

  async insert(s: Subscription): Promise<void> {
    const { id, ...rest } = s;
    await this.model.create({ _id: id, ...rest });
  }

  async remove(id: string): Promise<Subscription | undefined> {
    const doc = await this.model.findOneAndDelete({ _id: id }).lean().exec();
    return doc ? subscriptionOf(doc) : undefined;
  }

  async list(filter: { product?: string; audience?: Audience }): Promise<Subscription[]> {
    const docs = await this.model
      .find({
        ...(filter.product ? { product: filter.product } : {}),
        ...(filter.audience ? { audience: filter.audience } : {}),
      })
      .sort({ product: 1, audience: 1, createdAt: 1 })
      .lean()
      .exec();
    return docs.map(subscriptionOf);
  }

  async forAudiences(product: string, audiences: Audience[]): Promise<Subscription[]> {
    const docs = await this.model
      .find({ product, audience: { $in: audiences } })
      .lean()
      .exec();
    return docs.map(subscriptionOf);
  }
}

const deliveryOf = (d: DeliveryDoc): Delivery => ({
  id: d._id,
  releaseId: d.releaseId,
  product: d.product,
  audience: d.audience as Audience,
  subscriptionId: d.subscriptionId,
  target: d.target as unknown as ChannelTarget,
  notification: d.notification as unknown as Notification,
  status: d.status as DeliveryStatus,
  attempts: d.attempts,
  ...(d.lastError ? { lastError: d.lastError } : {}),
  nextAttemptAt: d.nextAttemptAt,
  createdAt: d.createdAt,
  ...(d.sentAt ? { sentAt: d.sentAt } : {}),
});

export class MongoDeliveryStore implements DeliveryStore {
  constructor(private readonly model: DeliveryModel) {}

  async addMissing(deliveries: Delivery[]): Promise<void> {
    for (const { id, ...rest } of deliveries) {
      await this.model.updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true }).exec();
    }
  }

  async claimDue(now: Date, leaseMs: number): Promise<Delivery | undefined> {
    const doc = await this.model
      .findOneAndUpdate(
        { status: { $in: ['PENDING', 'RETRYING'] }, nextAttemptAt: { $lte: now } },
        { $set: { nextAttemptAt: new Date(now.getTime() + leaseMs) } },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'before' },
      )
      .lean()
      .exec();
    return doc ? deliveryOf(doc) : undefined;
  }

  async markSent(id: string, attempts: number, at: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'SENT', attempts, sentAt: at } }).exec();
  }

  async markFailed(id: string, attempts: number, error: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'FAILED', attempts, lastError: error } }).exec();
  }

  async markRetrying(id: string, attempts: number, error: string, nextAttemptAt: Date): Promise<void> {
    await this.model
      .updateOne({ _id: id }, { $set: { status: 'RETRYING', attempts, lastError: error, nextAttemptAt } })
      .exec();
  }

  async forRelease(releaseId: string): Promise<Delivery[]> {
    const docs = await this.model.find({ releaseId }).sort({ createdAt: 1, _id: 1 }).lean().exec();
    return docs.map(deliveryOf);
  }

  async countWaiting(): Promise<Partial<Record<ChannelKind, number>>> {
    const groups = await this.model
      .aggregate<{ _id: ChannelKind; count: number }>([
        { $match: { status: { $in: ['PENDING', 'RETRYING'] } } },
        { $group: { _id: '$target.kind', count: { $sum: 1 } } },
      ])
      .exec();
    return Object.fromEntries(groups.map((g) => [g._id, g.count]));
  }
}
