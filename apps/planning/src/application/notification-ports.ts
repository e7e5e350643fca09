import type { ChannelKind, ChannelTarget, Notification } from '@flightdeck/notify';
import type { Audience, Cadence } from '../domain/communication-plan.js';

/** One line of the communication plan: an audience of a product, reached on one channel, on a cadence. */
export interface Subscription {
  id: string;
  product: string;
  audience: Audience;
  cadence: Cadence;
  target: ChannelTarget;
  createdBy: string;
  createdAt: Date;
}

export interface SubscriptionStore {
  insert(s: Subscription): Promise<void>;
  /** The subscription removed, or undefined when there was none. */
  remove(id: string): Promise<Subscription | undefined>;
  list(filter: { product?: string; audience?: Audience }): Promise<Subscription[]>;
  forAudiences(product: string, audiences: Audience[]): Promise<Subscription[]>;
}

export type DeliveryStatus = 'PENDING' | 'RETRYING' | 'SENT' | 'FAILED';

/** One notification to one subscription: the unit that is sent, retried and logged. */
export interface Delivery {
  /** Derived from the cause and the subscription, so the same cause never makes a second delivery. */
  id: string;
  releaseId: string;
  product: string;
  audience: Audience;
  subscriptionId: string;
  target: ChannelTarget;
  notification: Notification;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt?: Date;
}

export interface DeliveryStore {
  /** Stores the deliveries that are not stored yet (by id) and leaves the others as they are. */
  addMissing(deliveries: Delivery[]): Promise<void>;
  /**
   * Takes one delivery that is due (PENDING or RETRYING, nextAttemptAt <= now) for `leaseMs`, moving its
   * nextAttemptAt past the lease so that no other worker takes it meanwhile; a crash leaves it due again later.
   */
  claimDue(now: Date, leaseMs: number): Promise<Delivery | undefined>;
  markSent(id: string, attempts: number, at: Date): Promise<void>;
  markFailed(id: string, attempts: number, error: string): Promise<void>;
  markRetrying(id: string, attempts: number, error: string, nextAttemptAt: Date): Promise<void>;
  forRelease(releaseId: string): Promise<Delivery[]>;
  /** Deliveries neither sent nor failed yet (PENDING or RETRYING, due or not), per channel; channels with none left out. */
  countWaiting(): Promise<Partial<Record<ChannelKind, number>>>;
}

/** Sends one notification to one target once; throws a DeliveryError (@flightdeck/notify) saying whether to retry. */
export interface NotificationSender {
  send(n: Notification, target: ChannelTarget): Promise<void>;
}

/** What became of one delivery attempt: the channel took it, it failed and will be tried again, or it is FAILED for good. */
export type DeliveryOutcome = 'delivered' | 'retried' | 'failed';

/** Told the outcome of every delivery attempt, e.g. to count them for Prometheus. */
export interface DeliveryMetrics {
  attempted(channel: ChannelKind, outcome: DeliveryOutcome): void;
}
