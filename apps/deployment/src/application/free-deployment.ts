import { type Person, RuleError } from '@flightdeck/kernel';
import type { RolloutTargetRef } from '../domain/index.js';
import type { RolloutRepository, RolloutTarget } from './ports.js';
import { TargetRefusedError } from './target-errors.js';

/** Who asks, from the token: `by` is the subject (the identity key), `byName` the display name. */
export interface RequestMeta {
  by: string;
  byName?: string;
  correlationId?: string;
}

export const personOf = (meta: RequestMeta): Person => ({ subject: meta.by, name: meta.byName ?? meta.by });

/**
 * What the Deployment runs now, checked before a rollout takes it: no unfinished rollout holds it, the cluster shows it
 * (a refusal, such as a missing permission, is told to the caller) and it exists. `field` names the input at fault.
 */
export async function freeDeployment(
  deps: { rollouts: RolloutRepository; target: RolloutTarget },
  ref: RolloutTargetRef,
  field: string,
  prefix = '',
): Promise<{ image: string; replicas: number }> {
  const where = `${ref.namespace}/${ref.deployment}`;
  const busy = await deps.rollouts.unfinishedFor(ref);
  if (busy)
    throw new RuleError(
      `${prefix}${where} already has rollout ${busy.rollout.id} in phase ${busy.rollout.phase}; finish or abort it first`,
      field,
    );
  const live = await deps.target.live(ref).catch((err: unknown) => {
    throw err instanceof TargetRefusedError ? new RuleError(`${prefix}${err.message}`, field) : err;
  });
  if (!live)
    throw new RuleError(
      `${prefix}Deployment ${where} was not found in the cluster${ref.cluster ? ` ${ref.cluster}` : ''}`,
      field,
    );
  return live;
}
