import type { History } from './history.js';

/** Whose metrics: a product, a team, both or (neither) the whole organisation. */
export interface Scope {
  product?: string;
  team?: string;
}

/** The part of the history a scope covers: rollouts by their product and team, releases by product and by having a rollout of the team. */
export function scoped(history: History, scope: Scope): History {
  if (!scope.product && !scope.team) return history;
  const rollouts = history.rollouts.filter(
    (r) => (!scope.product || r.product === scope.product) && (!scope.team || r.team === scope.team),
  );
  const teamReleases = new Set(rollouts.map((r) => r.releaseId));
  const releases = new Map(
    [...history.releases].filter(
      ([id, r]) => (!scope.product || r.product === scope.product) && (!scope.team || teamReleases.has(id)),
    ),
  );
  const rolloutIds = new Set(rollouts.map((r) => r.id));
  const incidents = history.incidents.filter((i) =>
    i.rolloutId ? rolloutIds.has(i.rolloutId) : !scope.team && (!scope.product || i.product === scope.product),
  );
  return { releases, rollouts, incidents, index: history.index };
}
