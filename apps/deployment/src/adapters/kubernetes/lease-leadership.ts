import { ApiException, CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Leadership } from '../../application/ports.js';

export interface LeaseOptions {
  namespace: string;
  name: string;
  /** This replica's identity, e.g. the pod name. */
  identity: string;
  leaseSeconds?: number;
  /** How often the leader renews and the others try; default a third of the lease. */
  renewMs?: number;
  logger: Logger;
  onChange?(leader: boolean): void;
}

/**
 * Leader election with a coordination.k8s.io/v1 Lease, as client-go's leaderelection does: the holder renews
 * the lease; another replica takes it once `renewTime + leaseDurationSeconds` has passed. Writes carry the
 * resourceVersion read, so two replicas racing for an expired lease cannot both win (one gets 409).
 */
export class LeaseLeadership implements Leadership {
  private readonly api: CoordinationV1Api;
  private leader = false;
  private validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    kubeconfig: KubeConfig,
    private readonly o: LeaseOptions,
  ) {
    this.api = kubeconfig.makeApiClient(CoordinationV1Api);
  }

  /** Leader only while the lease it last renewed is still valid by its own clock. */
  isLeader(): boolean {
    return this.leader && Date.now() < this.validUntil;
  }

  async start(): Promise<void> {
    await this.tryAcquireOrRenew();
    const every = this.o.renewMs ?? ((this.o.leaseSeconds ?? 15) * 1000) / 3;
    const loop = () => {
      this.timer = setTimeout(() => void this.tryAcquireOrRenew().finally(() => !this.stopped && loop()), every);
    };
    loop();
  }

  /** Stops renewing and (unless `release` is false, as when a replica dies) gives the lease up so another replica takes over at once. */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leader) return;
    this.set(false);
    if (opts.release === false) return;
    try {
      const lease = await this.api.readNamespacedLease({ name: this.o.name, namespace: this.o.namespace });
      if (lease.spec?.holderIdentity === this.o.identity) {
        lease.spec = {
          ...lease.spec,
          holderIdentity: undefined,
          leaseDurationSeconds: 1,
          renewTime: new V1MicroTime(0),
        };
        await this.api.replaceNamespacedLease({ name: this.o.name, namespace: this.o.namespace, body: lease });
      }
    } catch (err) {
      this.o.logger.debug({ err }, 'could not release the lease; it expires on its own');
    }
  }

  private set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.o.logger.info(
      { identity: this.o.identity, lease: `${this.o.namespace}/${this.o.name}` },
      leader
        ? `${this.o.identity} became the leader: it drives rollouts`
        : `${this.o.identity} is no longer the leader`,
    );
    this.o.onChange?.(leader);
  }

  private async tryAcquireOrRenew(): Promise<void> {
    if (this.stopped) return;
    const seconds = this.o.leaseSeconds ?? 15;
    const now = new V1MicroTime(Date.now());
    const { name, namespace, identity } = this.o;
    try {
      let lease: V1Lease | undefined;
      try {
        lease = await this.api.readNamespacedLease({ name, namespace });
      } catch (err) {
        if (!(err instanceof ApiException && err.code === 404)) throw err;
      }
      if (!lease) {
        await this.api.createNamespacedLease({
          namespace,
          body: {
            metadata: { name, namespace },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds: seconds,
              acquireTime: now,
              renewTime: now,
              leaseTransitions: 0,
            },
          },
        });
        return this.won(seconds);
      }
      const spec = lease.spec ?? {};
      const renewed = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
      const expired = !spec.holderIdentity || renewed + (spec.leaseDurationSeconds ?? seconds) * 1000 < Date.now();
      if (spec.holderIdentity !== identity && !expired) return this.set(false);
      const takeover = spec.holderIdentity !== identity;
      lease.spec = {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: seconds,
        renewTime: now,
        ...(takeover ? { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 } : {}),
      };
      await this.api.replaceNamespacedLease({ name, namespace, body: lease });
      this.won(seconds);
    } catch (err) {
      if (err instanceof ApiException && err.code === 409) return this.set(false);
      this.o.logger.warn({ err }, `lease ${namespace}/${name}: ${(err as Error).message}`);
      if (Date.now() >= this.validUntil) this.set(false);
    }
  }

  private won(seconds: number): void {
    // Stop acting a little before the lease runs out, so a renewal that fails never overlaps a new leader.
    this.validUntil = Date.now() + seconds * 1000 * 0.8;
    this.set(true);
  }
}

/** Leadership for a single replica (embedded mode, tests): always the leader. */
export const soleLeader: Leadership = { isLeader: () => true };
