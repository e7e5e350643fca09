import type { Advice } from '@flightdeck/ai';
import type { GraphQLResolveInfo } from 'graphql';
import { DateTime, requestActor, type SubgraphContext, type SubgraphResolvers } from '@flightdeck/subgraph';
import { authorize, requireHuman, type Role } from '@flightdeck/kernel';
import type { CodeFreeze } from '../../application/code-freeze.js';
import type { ReleaseInsights } from '../../application/release-insights.js';
import type { ReleasePlanning } from '../../application/release-planning.js';
import type { RequestMeta, StoredRelease } from '../../application/ports.js';
import { freezeChecklist } from '../../domain/code-freeze.js';
import { HEALTH_RULES } from '../../domain/health.js';
import { allowedNext, type ReleaseStatus } from '../../domain/lifecycle.js';
import type { Release } from '../../domain/release.js';
import type { ReleaseType } from '../../domain/release-type.js';
import type { Feature, FeatureStatus, Priority } from '../../domain/scope.js';
import type { ScopeAlternative } from '../../domain/selection.js';
import type { Timeline } from '../../domain/timeline.js';
import { costOfDelay, wsjf } from '../../domain/wsjf.js';
import { CAN } from './roles.js';
import { requestedNodeFields } from './requested-fields.js';

export interface PlanningContext extends SubgraphContext {
  planning: ReleasePlanning;
  insights: ReleaseInsights;
  freeze: CodeFreeze;
}

/** What Release fields resolve from: the domain release and the revision it was read at. */
type ReleaseView = Release & { revision: number; partial?: boolean };

/** Release fields that need nothing beyond the release document's own scalars. */
const SUMMARY_FIELDS = new Set([
  '__typename',
  'id',
  'product',
  'version',
  'type',
  'baseVersion',
  'hotfix',
  'theme',
  'owner',
  'targetDate',
  'status',
  'revision',
  'allowedTransitions',
  'productionRolloutSucceeded',
  'team',
  'createdAt',
  'updatedAt',
]);

const view = (s: StoredRelease): ReleaseView => ({
  ...s.release,
  revision: s.revision,
  ...(s.partial ? { partial: true } : {}),
});

/** The release with its scope history, loading it when the parent came from a list. */
async function complete(r: ReleaseView, ctx: PlanningContext): Promise<Release> {
  return r.partial ? (await ctx.planning.get(r.id)).release : r;
}

function mutator(ctx: PlanningContext, roles: readonly Role[]): RequestMeta {
  const identity = authorize(ctx.identity, roles);
  requireHuman(identity);
  return requestActor(identity);
}

function featureMap(r: Release): Map<string, Feature> {
  return new Map(r.features.map((f) => [f.id, f]));
}

function timelineView(t: Timeline, r: Release) {
  const byId = featureMap(r);
  return { ...t, criticalPath: { ...t.criticalPath, features: t.criticalPath.featureIds.map((id) => byId.get(id)!) } };
}

function alternativeView(a: ScopeAlternative, byId: Map<string, Feature>) {
  return {
    ...a,
    selected: a.selected.map((id) => byId.get(id)!),
    leftOut: a.leftOut.map((l) => ({ feature: byId.get(l.featureId)!, reason: l.reason })),
  };
}

function adviceView<T extends object>(a: Advice<T>) {
  return {
    ...a.value,
    source: a.source === 'ai' ? 'AI' : 'DETERMINISTIC',
    confidence: a.confidence,
    model: a.model ?? null,
    fallbackReason: a.fallbackReason ?? null,
    predictionId: a.predictionId,
    rationale: a.rationale ?? null,
  };
}

interface FeatureArgs {
  title?: string;
  description?: string;
  priority?: Priority;
  businessValue?: number;
  timeCriticality?: number;
  riskReduction?: number;
  effort?: number;
  status?: FeatureStatus;
  kind?: Feature['kind'];
  breakingChange?: string;
  migration?: string;
  exclusion?: { reason: string; targetRelease?: string | null };
  dependsOn?: string[];
}

/** GraphQL passes explicit nulls; the domain wants absent fields. */
function defined<T extends object>(o: T | null | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

/** A feature's input without the nulls GraphQL gives for fields left out, the exclusion's included. */
function featureInput(input: FeatureArgs): Partial<FeatureArgs> {
  const out = defined(input);
  if (input.exclusion) out.exclusion = defined(input.exclusion) as FeatureArgs['exclusion'];
  return out;
}

export const resolvers: SubgraphResolvers<PlanningContext> = {
  DateTime,
  Query: {
    release: async (_: unknown, a: { id: string }, ctx: PlanningContext) => {
      const s = await ctx.planning.find(a.id);
      return s ? view(s) : null;
    },
    releaseByVersion: async (_: unknown, a: { product: string; version: string }, ctx: PlanningContext) => {
      const s = await ctx.planning.byVersion(a.product, a.version);
      return s ? view(s) : null;
    },
    releases: async (
      _: unknown,
      a: {
        filter?: {
          product?: string;
          status?: ReleaseStatus[];
          type?: ReleaseType[];
          targetFrom?: Date;
          targetTo?: Date;
        };
        first?: number;
        after?: string;
      },
      ctx: PlanningContext,
      info: GraphQLResolveInfo,
    ) => {
      const fields = requestedNodeFields(info);
      const summaryOnly = fields !== undefined && [...fields].every((f) => SUMMARY_FIELDS.has(f));
      const page = await ctx.planning.list(defined(a.filter), {
        first: a.first ?? null,
        after: a.after ?? null,
        summaryOnly,
      });
      return {
        edges: page.edges.map((e) => ({ cursor: e.cursor, node: view(e.node) })),
        pageInfo: page.pageInfo,
        totalCount: page.totalCount,
      };
    },
    healthRules: () => HEALTH_RULES,
    freezeDecision: async (
      _: unknown,
      a: { release: string; change: string; critical?: boolean | null },
      ctx: PlanningContext,
    ) => {
      const d = await ctx.freeze.decide(a.release, a.change, a.critical ?? false);
      return {
        allowed: d.allowed,
        frozen: d.frozen,
        reason: d.reason,
        change: d.change.id,
        critical: d.change.critical,
        release: view(d.stored),
        exception: d.exception ?? null,
        approvers: d.approvers,
      };
    },
  },
  ReleaseConnection: {
    totalCount: (p: { totalCount: () => Promise<number> }) => p.totalCount(),
  },
  Release: {
    __resolveReference: async (ref: { id: string }, ctx: PlanningContext) => {
      const s = await ctx.planning.find(ref.id);
      return s ? view(s) : null;
    },
    allowedTransitions: (r: ReleaseView) => allowedNext(r.status, r.type),
    gateOutcomes: (r: ReleaseView) => r.gateResults,
    productionRolloutSucceeded: (r: ReleaseView) => r.signals.productionRolloutSucceeded,
    timeline: (r: ReleaseView, _: unknown, ctx: PlanningContext) => timelineView(ctx.insights.timeline(r), r),
    forecast: (r: ReleaseView) => r.lastForecast ?? null,
    health: (r: ReleaseView, _: unknown, ctx: PlanningContext) => ctx.insights.health(r),
    scopeChanges: async (r: ReleaseView, _: unknown, ctx: PlanningContext) => (await complete(r, ctx)).scopeChanges,
    documents: async (r: ReleaseView, _: unknown, ctx: PlanningContext) =>
      ctx.insights.documents(await complete(r, ctx)),
    freezeExceptions: async (r: ReleaseView, _: unknown, ctx: PlanningContext) =>
      (await complete(r, ctx)).freeze?.exceptions ?? [],
    considerations: async (r: ReleaseView, _: unknown, ctx: PlanningContext) =>
      (await complete(r, ctx)).considerations ?? null,
    freezeChecklist: async (r: ReleaseView, _: unknown, ctx: PlanningContext) =>
      freezeChecklist(await complete(r, ctx)).map(({ tick, ...item }) => ({
        ...item,
        ticked: tick !== undefined,
        evidence: tick?.evidence ?? null,
        by: tick?.by ?? null,
        byName: tick ? (tick.byName ?? tick.by) : null,
        at: tick?.at ?? null,
      })),
  },
  StatusTransition: {
    byName: (t: { by: string; byName?: string }) => t.byName ?? t.by,
  },
  FreezeException: {
    byName: (e: { by: string; byName?: string }) => e.byName ?? e.by,
  },
  ScopeChange: {
    byName: (c: { by: string; byName?: string }) => c.byName ?? c.by,
  },
  Feature: {
    costOfDelay: (f: Feature) => costOfDelay(f),
    wsjf: (f: Feature) => wsjf(f),
  },
  FieldChange: {
    from: (c: { from: unknown }) => (c.from === undefined ? null : JSON.stringify(c.from)),
    to: (c: { to: unknown }) => (c.to === undefined ? null : JSON.stringify(c.to)),
  },
  Mutation: {
    createRelease: async (
      _: unknown,
      a: { input: Record<string, unknown> & { team?: { velocityHistory?: number[]; plannedVelocity?: number } } },
      ctx: PlanningContext,
    ) => {
      const m = mutator(ctx, CAN.manageReleases);
      const input = defined(a.input) as never as Parameters<ReleasePlanning['create']>[1];
      if (a.input.team) input.team = defined(a.input.team);
      return view(await ctx.planning.create(m, input));
    },
    updateRelease: async (
      _: unknown,
      a: {
        id: string;
        input: Record<string, unknown> & { team?: object; considerations?: Record<string, string[] | null> };
        expectedRevision?: number;
      },
      ctx: PlanningContext,
    ) => {
      const m = mutator(ctx, CAN.manageReleases);
      const patch = defined(a.input) as Parameters<ReleasePlanning['update']>[2];
      if (a.input.team) patch.team = defined(a.input.team);
      if (a.input.considerations) patch.considerations = defined(a.input.considerations);
      return view(await ctx.planning.update(m, a.id, patch, a.expectedRevision ?? undefined));
    },
    transitionRelease: async (
      _: unknown,
      a: { id: string; to: ReleaseStatus; reason: string; expectedRevision?: number },
      ctx: PlanningContext,
    ) => {
      const m = mutator(ctx, a.to === 'CANCELLED' ? CAN.manageReleases : CAN.transition);
      return view(await ctx.planning.transition(m, a.id, a.to, a.reason, a.expectedRevision ?? undefined));
    },
    addFeature: async (
      _: unknown,
      a: { releaseId: string; input: FeatureArgs; reason?: string; expectedRevision?: number },
      ctx: PlanningContext,
    ) => {
      const m = mutator(ctx, CAN.changeScope);
      const { stored, featureId } = await ctx.planning.addFeature(
        m,
        a.releaseId,
        featureInput(a.input) as never,
        a.reason ?? undefined,
        a.expectedRevision ?? undefined,
      );
      return { release: view(stored), feature: featureMap(stored.release).get(featureId) };
    },
    updateFeature: async (
      _: unknown,
      a: { releaseId: string; featureId: string; input: FeatureArgs; reason?: string; expectedRevision?: number },
      ctx: PlanningContext,
    ) => {
      const patch = featureInput(a.input) as Parameters<ReleasePlanning['updateFeature']>[3];
      const onlyStatus = Object.keys(patch).every((k) => k === 'status');
      const m = mutator(ctx, onlyStatus ? CAN.reportProgress : CAN.changeScope);
      return view(
        await ctx.planning.updateFeature(
          m,
          a.releaseId,
          a.featureId,
          patch,
          a.reason ?? undefined,
          a.expectedRevision ?? undefined,
        ),
      );
    },
    removeFeature: async (
      _: unknown,
      a: { releaseId: string; featureId: string; reason?: string; expectedRevision?: number },
      ctx: PlanningContext,
    ) => {
      const m = mutator(ctx, CAN.changeScope);
      return view(
        await ctx.planning.removeFeature(
          m,
          a.releaseId,
          a.featureId,
          a.reason ?? undefined,
          a.expectedRevision ?? undefined,
        ),
      );
    },
    prioritizeScope: async (
      _: unknown,
      a: { releaseId: string; capacity?: number; stretch?: number },
      ctx: PlanningContext,
    ) => {
      const m = mutator(ctx, CAN.plan);
      const result = await ctx.insights.prioritize(
        m,
        a.releaseId,
        defined({ capacity: a.capacity, stretch: a.stretch }),
      );
      const byId = featureMap(result.release);
      const p = result.prioritization;
      return {
        capacity: result.capacity,
        ranking: p.ranking.map((x) => ({ ...x, feature: byId.get(x.featureId)! })),
        recommended: alternativeView(p.recommended, byId),
        mvp: alternativeView(p.mvp, byId),
        extended: alternativeView(p.extended, byId),
        advice: adviceView(result.advice),
      };
    },
    forecastTimeline: async (
      _: unknown,
      a: { releaseId: string; runs?: number; seed?: number },
      ctx: PlanningContext,
    ) => {
      const m = mutator(ctx, CAN.plan);
      const result = await ctx.insights.forecast(m, a.releaseId, defined({ runs: a.runs, seed: a.seed }));
      return {
        release: view(result.stored),
        timeline: timelineView(result.timeline, result.stored.release),
        forecast: result.forecast,
        advice: adviceView(result.advice),
      };
    },
    planTests: async (_: unknown, a: { releaseId: string }, ctx: PlanningContext) => {
      mutator(ctx, CAN.planTests);
      return adviceView((await ctx.insights.testPlan(a.releaseId)).advice);
    },
    assessProgress: async (_: unknown, a: { releaseId: string }, ctx: PlanningContext) => {
      const m = mutator(ctx, CAN.plan);
      const result = await ctx.insights.assessProgress(m, a.releaseId);
      return { ...adviceView(result.advice), featureComplete: result.timeline.featureComplete };
    },
    approveFreezeException: async (
      _: unknown,
      a: { releaseId: string; change: string; reason: string; expectedRevision?: number },
      ctx: PlanningContext,
    ) => {
      const m = mutator(ctx, CAN.approveFreezeException);
      return view(await ctx.freeze.approve(m, a.releaseId, a.change, a.reason, a.expectedRevision ?? undefined));
    },
    tickFreezeItem: async (
      _: unknown,
      a: { releaseId: string; item: string; evidence: string; expectedRevision?: number },
      ctx: PlanningContext,
    ) => {
      const m = mutator(ctx, CAN.tickFreezeItem);
      return view(await ctx.freeze.tick(m, a.releaseId, a.item, a.evidence, a.expectedRevision ?? undefined));
    },
  },
};
