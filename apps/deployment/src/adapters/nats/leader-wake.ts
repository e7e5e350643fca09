import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { LeaderWake } from '../../application/ports.js';

/** Outside the FLIGHTDECK stream (`flightdeck.>`): a plain NATS message, gone if nobody listens, never stored. */
export const WAKE_SUBJECT = 'flightdeck_signal.deployment.wake';

/**
 * Wakes the leader across replicas: the replica that took an alert announces it on a core NATS subject every replica
 * listens to, and each wakes its controller (a standby's pass does nothing). One message, no storage, no ack: a lost
 * one costs only the wait for the leader's next tick.
 */
export class NatsLeaderWake implements LeaderWake {
  private subscription: Subscription | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly logger: Logger,
  ) {}

  /** Calls `onWake` with the rollout id each wake names. */
  listen(onWake: (rolloutId: string) => void): void {
    this.subscription = this.connection.subscribe(WAKE_SUBJECT, {
      callback: (err, msg) =>
        err ? this.logger.warn({ err }, `${WAKE_SUBJECT}: ${err.message}`) : onWake(msg.string()),
    });
  }

  announce(rolloutId: string): void {
    try {
      this.connection.publish(WAKE_SUBJECT, rolloutId);
    } catch (err) {
      this.logger.warn({ err }, `could not announce a wake on ${WAKE_SUBJECT}; the leader acts at its next tick`);
    }
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}
