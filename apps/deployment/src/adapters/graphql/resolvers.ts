import { DateTime, requestActor, type SubgraphContext, type SubgraphResolvers } from '@flightdeck/subgraph';
import { authorize, requireHuman, type Role, RuleError } from '@flightdeck/kernel';
import type { RequestMeta, RolloutCommands, StartInput } from '../../application/rollout-commands.js';
import type { StoredRollout, RolloutFilter } from '../../application/ports.js';
import {
  type AlertSeverity,
  type AnalysisRun,
  type MetricTemplate,
  type Rollout,
  type StepSpec,
  type Strategy,
} from '../../domain/index.js';
import { CAN } from './roles.js';

export interface DeploymentContext extends SubgraphContext {
  rollouts: RolloutCommands;
}

type View = Rollout & { revision: number };
const view = (s: StoredRollout): View => ({ ...s.rollout, revision: s.revision });

export function mutator(ctx: DeploymentContext, roles: readonly Role[]): RequestMeta {
  return requestActor(requireHuman(authorize(ctx.identity, roles)));
}

interface StepInput {
  kind: StepSpec['kind'];
  weight?: number | null;
  pauseSeconds?: number | null;
  templates?: string[] | null;
  initialDelaySeconds?: number | null;
}

function stepOf(s: StepInput, i: number): StepSpec {
  switch (s.kind) {
    case 'SET_WEIGHT':
      if (s.weight == null)
        throw new RuleError(`steps[${i}].weight: a SET_WEIGHT step needs a weight (1 to 100)`, `steps[${i}].weight`);
      return { kind: 'SET_WEIGHT', weight: s.weight };
    case 'PAUSE':
      return s.pauseSeconds == null ? { kind: 'PAUSE' } : { kind: 'PAUSE', seconds: s.pauseSeconds };
    case 'ANALYSIS':
      return {
        kind: 'ANALYSIS',
        templates: s.templates ?? [],
        ...(s.initialDelaySeconds != null ? { initialDelaySeconds: s.initialDelaySeconds } : {}),
      };
    case 'ROLLING_UPDATE':
      return { kind: 'ROLLING_UPDATE' };
  }
}

export interface StartArgs {
  releaseId: string;
  environment: string;
  target: { cluster?: string | null; namespace: string; deployment: string; container: string };
  image: string;
  strategy: Strategy;
  steps?: StepInput[] | null;
  metrics?:
    | (Omit<MetricTemplate, 'successCondition' | 'failureCondition'> & {
        successCondition?: string | null;
        failureCondition?: string | null;
      })[]
    | null;
  analysisIntervalSeconds?: number | null;
  analysisCount?: number | null;
  passScore?: number | null;
  warningScore?: number | null;
  rollForwardOnly?: boolean | null;
  progressDeadlineSeconds?: number | null;
  rollbackWindowSeconds?: number | null;
  webhooks?: {
    preRollout?: string | null;
    prePromotion?: string | null;
    postRollback?: string | null;
    timeoutSeconds?: number | null;
  } | null;
  abortOnAlerts?: { matchers: string[]; minSeverity?: AlertSeverity | null } | null;
  bakeTemplates?: string[] | null;
}

export function startInput(a: StartArgs): StartInput {
  return {
    releaseId: a.releaseId,
    environment: a.environment,
    target: {
      cluster: a.target.cluster ?? '',
      namespace: a.target.namespace,
      deployment: a.target.deployment,
      container: a.target.container,
    },
    image: a.image,
    strategy: a.strategy,
    ...(a.steps ? { steps: a.steps.map(stepOf) } : {}),
    ...(a.metrics
      ? {
          metrics: a.metrics.map((m) => {
            const { successCondition, failureCondition, ...rest } = m;
            return {
              ...rest,
              ...(successCondition ? { successCondition } : {}),
              ...(failureCondition ? { failureCondition } : {}),
            };
          }),
        }
      : {}),
    ...(a.analysisIntervalSeconds != null ? { analysisIntervalSeconds: a.analysisIntervalSeconds } : {}),
    ...(a.analysisCount != null ? { analysisCount: a.analysisCount } : {}),
    ...(a.passScore != null || a.warningScore != null
      ? { scoring: { pass: a.passScore ?? 90, warning: a.warningScore ?? Math.min(75, a.passScore ?? 90) } }
      : {}),
    ...(a.rollForwardOnly != null ? { rollForwardOnly: a.rollForwardOnly } : {}),
    ...(a.progressDeadlineSeconds != null ? { progressDeadlineSeconds: a.progressDeadlineSeconds } : {}),
    ...(a.rollbackWindowSeconds != null ? { rollbackWindowSeconds: a.rollbackWindowSeconds } : {}),
    ...(a.webhooks ? { webhooks: defined(a.webhooks) } : {}),
    ...(a.abortOnAlerts
      ? {
          abortOnAlerts: {
            matchers: a.abortOnAlerts.matchers,
            ...(a.abortOnAlerts.minSeverity ? { minSeverity: a.abortOnAlerts.minSeverity } : {}),
          },
        }
      : {}),
    ...(a.bakeTemplates ? { bakeTemplates: a.bakeTemplates } : {}),
  };
}

/** GraphQL passes explicit nulls; the domain wants absent fields. */
function defined<T extends object>(o: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}

function stepsView(r: View) {
  return r.steps.map((s, index) => {
    const st = r.stepStates[index]!;
    return {
      index,
      kind: s.kind,
      weight: s.kind === 'SET_WEIGHT' ? s.weight : null,
      pauseSeconds: s.kind === 'PAUSE' ? (s.seconds ?? null) : null,
      templates: s.kind === 'ANALYSIS' ? s.templates : null,
      ...st,
      approvedByName: st.approvedByName ?? st.approvedBy ?? null,
    };
  });
}

function runView(a: AnalysisRun) {
  return {
    ...a,
    passScore: a.scoring.pass,
    warningScore: a.scoring.warning,
    metrics: a.metrics.map((m) => ({
      ...m,
      successCondition: m.successCondition?.text ?? null,
      failureCondition: m.failureCondition?.text ?? null,
    })),
  };
}

export const resolvers: SubgraphResolvers<DeploymentContext> = {
  DateTime,
  Release: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    // Reached through planning's public release queries: it needs a token like Query.rollouts does.
    rollouts: async (release: { id: string }, _: unknown, ctx: DeploymentContext) => {
      authorize(ctx.identity);
      const page = await ctx.rollouts.list({ releaseId: release.id }, { first: 100 });
      return page.edges.map((e) => view(e.node));
    },
  },
  Rollout: {
    release: (r: View) => ({ __typename: 'Release', id: r.releaseId }),
    currentStepIndex: (r: View) => r.stepIndex,
    startedBy: (r: View) => r.createdBy,
    startedByName: (r: View) => r.createdByName ?? r.createdBy,
    webhooks: (r: View) => Object.entries(r.hookResults ?? {}).map(([hook, result]) => ({ hook, ...result })),
    validation: (r: View) => {
      if (!r.validation) return null;
      const now = Date.now();
      const items = r.validation.map((c) => ({
        ...c,
        byName: c.byName ?? c.by ?? null,
        overdue: c.status === 'PENDING' && Date.parse(c.dueAt) < now,
      }));
      return {
        items,
        complete: items.every((c) => c.status === 'PASSED'),
        failed: items.filter((c) => c.status === 'FAILED').length,
      };
    },
    alert: (r: View) =>
      r.alertAbort
        ? { ...r.alertAbort, labels: Object.entries(r.alertAbort.labels).map(([name, value]) => ({ name, value })) }
        : null,
    rollback: (r: View) => (r.rollback ? { ...r.rollback, fast: r.rollback.fast ?? false } : null),
    steps: stepsView,
    analysisRuns: (r: View) => r.analysisRuns.map(runView),
    decisions: (r: View, args: { last?: number | null }) =>
      r.decisions
        .slice(-Math.max(1, Math.min(args.last ?? 50, 300)))
        .map((d) => ({ ...d, measurements: d.measurements ?? [] })),
  },
  Query: {
    rollout: async (_: unknown, args: { id: string }, ctx: DeploymentContext) => {
      authorize(ctx.identity);
      const s = await ctx.rollouts.find(args.id);
      return s ? view(s) : null;
    },
    rollouts: async (
      _: unknown,
      args: { filter?: RolloutFilter | null; first?: number | null; after?: string | null },
      ctx: DeploymentContext,
    ) => {
      authorize(ctx.identity);
      const page = await ctx.rollouts.list(args.filter ?? {}, {
        ...(args.first != null ? { first: args.first } : {}),
        ...(args.after ? { after: args.after } : {}),
      });
      return {
        edges: page.edges.map((e) => ({ node: view(e.node), cursor: e.cursor })),
        pageInfo: page.pageInfo,
        totalCount: () => page.totalCount(),
      };
    },
  },
  Mutation: {
    startRollout: async (_: unknown, args: { input: StartArgs }, ctx: DeploymentContext) =>
      view(await ctx.rollouts.start(startInput(args.input), mutator(ctx, CAN.start))),
    approveStep: async (_: unknown, args: { id: string }, ctx: DeploymentContext) =>
      view(await ctx.rollouts.approve(args.id, mutator(ctx, CAN.approve))),
    abortRollout: async (_: unknown, args: { id: string; reason: string }, ctx: DeploymentContext) =>
      view(await ctx.rollouts.abort(args.id, args.reason, mutator(ctx, CAN.abort))),
    recordValidationCheck: async (
      _: unknown,
      args: { id: string; checkId: string; passed: boolean; note?: string | null },
      ctx: DeploymentContext,
    ) =>
      view(
        await ctx.rollouts.recordCheck(args.id, args.checkId, args.passed, args.note ?? '', mutator(ctx, CAN.validate)),
      ),
    retryRollout: async (_: unknown, args: { id: string }, ctx: DeploymentContext) =>
      view(await ctx.rollouts.retry(args.id, mutator(ctx, CAN.retry))),
  },
};
