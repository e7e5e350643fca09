import { authorize } from '@flightdeck/kernel';
import type { SubgraphResolvers } from '@flightdeck/subgraph';
import type { ReleaseRolloutCommands, StartReleaseInput } from '../../application/release-rollout-commands.js';
import type { StoredReleaseRollout } from '../../application/release-rollout-ports.js';
import { childRolloutId, releaseProgress, type ReleaseRollout } from '../../domain/index.js';
import { mutator, startInput, type DeploymentContext, type StartArgs } from './resolvers.js';
import { CAN } from './roles.js';

export interface ReleaseRolloutContext extends DeploymentContext {
  releaseRollouts: ReleaseRolloutCommands;
}

type View = ReleaseRollout & { revision: number };
const view = (s: StoredReleaseRollout): View => ({ ...s.release, revision: s.revision });

type WorkloadArgs = Omit<StartArgs, 'releaseId' | 'environment' | 'rollForwardOnly'> & {
  name?: string | null;
  dependsOn?: string[] | null;
};
interface StartReleaseArgs {
  releaseId: string;
  environment: string;
  mode: StartReleaseInput['mode'];
  autoPromote?: boolean | null;
  workloads: WorkloadArgs[];
}

function startReleaseInput(a: StartReleaseArgs): StartReleaseInput {
  return {
    releaseId: a.releaseId,
    environment: a.environment,
    mode: a.mode,
    ...(a.autoPromote != null ? { autoPromote: a.autoPromote } : {}),
    workloads: a.workloads.map(({ name, dependsOn, ...w }) => {
      const {
        releaseId: _r,
        environment: _e,
        ...rollout
      } = startInput({ ...w, releaseId: a.releaseId, environment: a.environment });
      return { ...(name ? { name } : {}), ...(dependsOn ? { dependsOn } : {}), rollout };
    }),
  };
}

/** The read side and mutations of release-wide rollouts, merged into the deployment subgraph's resolvers. */
export const releaseRolloutResolvers: SubgraphResolvers<ReleaseRolloutContext> = {
  Release: {
    // Reached through planning's public release queries: they need a token like Query.releaseRollout does.
    releaseRollout: async (release: { id: string }, _: unknown, ctx: ReleaseRolloutContext) => {
      authorize(ctx.identity);
      const all = await ctx.releaseRollouts.forRelease(release.id);
      return all[0] ? view(all[0]) : null;
    },
    releaseRollouts: async (release: { id: string }, _: unknown, ctx: ReleaseRolloutContext) => {
      authorize(ctx.identity);
      return (await ctx.releaseRollouts.forRelease(release.id)).map(view);
    },
  },
  ReleaseRollout: {
    release: (r: View) => ({ __typename: 'Release', id: r.releaseId }),
    startedBy: (r: View) => r.createdBy,
    startedByName: (r: View) => r.createdByName ?? r.createdBy,
    progress: releaseProgress,
    failure: (r: View) =>
      r.failure
        ? {
            ...r.failure,
            workload: r.failure.workload ?? null,
            rolloutId: r.failure.rolloutId ?? null,
            rollbackOrder: r.failure.order,
          }
        : null,
    decisions: (r: View, args: { last?: number | null }) =>
      r.decisions
        .slice(-Math.max(1, Math.min(args.last ?? 50, 300)))
        .map((d) => ({ ...d, measurements: d.measurements ?? [] })),
    workloads: (r: View) =>
      r.workloads.map((w) => {
        const p = r.progress.find((x) => x.name === w.name)!;
        return {
          name: w.name,
          dependsOn: w.dependsOn,
          wave: p.wave,
          target: w.rollout.target,
          image: w.rollout.image,
          strategy: w.rollout.strategy,
          phase: p.phase ?? null,
          rollbackRefused: p.rollbackRefused ?? null,
          rolloutId: p.rolloutId ?? childRolloutId(r, w.name),
        };
      }),
  },
  ReleaseRolloutWorkload: {
    rollout: async (w: { rolloutId: string }, _: unknown, ctx: ReleaseRolloutContext) => {
      const s = await ctx.rollouts.find(w.rolloutId);
      return s ? { ...s.rollout, revision: s.revision } : null;
    },
  },
  Query: {
    releaseRollout: async (_: unknown, args: { id: string }, ctx: ReleaseRolloutContext) => {
      authorize(ctx.identity);
      const s = await ctx.releaseRollouts.find(args.id);
      return s ? view(s) : null;
    },
    latestReleaseRollout: async (
      _: unknown,
      args: { releaseId: string; environment: string },
      ctx: ReleaseRolloutContext,
    ) => {
      authorize(ctx.identity);
      const newest = (await ctx.releaseRollouts.forRelease(args.releaseId)).find(
        (s) => s.release.environment === args.environment,
      );
      return newest ? view(newest) : null;
    },
  },
  Mutation: {
    startReleaseRollout: async (_: unknown, args: { input: StartReleaseArgs }, ctx: ReleaseRolloutContext) =>
      view(await ctx.releaseRollouts.start(startReleaseInput(args.input), mutator(ctx, CAN.start))),
    promoteReleaseRollout: async (_: unknown, args: { id: string }, ctx: ReleaseRolloutContext) =>
      view(await ctx.releaseRollouts.promoteAll(args.id, mutator(ctx, CAN.approve))),
    pauseReleaseRollout: async (_: unknown, args: { id: string; reason?: string | null }, ctx: ReleaseRolloutContext) =>
      view(await ctx.releaseRollouts.pauseAll(args.id, args.reason ?? '', mutator(ctx, CAN.abort))),
    abortReleaseRollout: async (_: unknown, args: { id: string; reason: string }, ctx: ReleaseRolloutContext) =>
      view(await ctx.releaseRollouts.abortAll(args.id, args.reason, mutator(ctx, CAN.abort))),
    retryReleaseRollout: async (_: unknown, args: { id: string }, ctx: ReleaseRolloutContext) =>
      view(await ctx.releaseRollouts.retry(args.id, mutator(ctx, CAN.retry))),
  },
};

/** The deployment subgraph's resolvers with the release-wide rollouts' beside them (types both define are merged). */
export function withReleaseRollouts<C extends DeploymentContext>(
  base: SubgraphResolvers<C>,
): SubgraphResolvers<ReleaseRolloutContext> {
  const merged: Record<string, unknown> = { ...base };
  for (const [type, fields] of Object.entries(releaseRolloutResolvers)) {
    const existing = (base as Record<string, unknown>)[type];
    merged[type] = existing && typeof existing === 'object' ? { ...existing, ...fields } : fields;
  }
  return merged as SubgraphResolvers<ReleaseRolloutContext>;
}
