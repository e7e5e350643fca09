import { z } from 'zod';
import type { Advisor } from '@flightdeck/ai';
import { DateTime, requestActor, type SubgraphContext, type SubgraphResolvers } from '@flightdeck/subgraph';
import { authorize, type Identity, requireHuman, type Role, RuleError } from '@flightdeck/kernel';
import type { Incidents, OpenIncidentInput } from '../../application/incidents.js';
import type { RequestMeta, StoredRetrospective } from '../../application/ports.js';
import type { AnalyticsQueries, WindowArgs } from '../../application/queries.js';
import type { Retrospectives } from '../../application/retrospectives.js';
import type { Incident } from '../../domain/history.js';
import type { ReleaseAnalysis, ReleaseMetrics } from '../../domain/release-metrics.js';
import {
  AGENDA,
  currentStage,
  isActionOverdue,
  isRetrospectiveOverdue,
  type ActionItem,
  type ActionStatus,
  type AgendaStage,
  type ItemKind,
} from '../../domain/retrospective.js';
import type { DoraMetrics } from '../../domain/dora.js';
import type { TrendInterval, Window } from '../../domain/time.js';
import { AI_TARGETS, NOT_SCORABLE } from '../../domain/ai-effectiveness.js';
import { FORMULAS } from './formulas.js';
import { CAN } from './roles.js';

export interface AnalyticsContext extends SubgraphContext {
  queries: AnalyticsQueries;
  incidents: Incidents;
  retrospectives: Retrospectives;
  advisor: Advisor;
  now(): Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const hours = (ms: number | undefined) => (ms === undefined ? null : ms / HOUR);
const days = (ms: number | undefined) => (ms === undefined ? null : ms / DAY);
const upper = (s: 'ai' | 'deterministic') => (s === 'ai' ? 'AI' : 'DETERMINISTIC');

function reader(ctx: AnalyticsContext): Identity {
  return authorize(ctx.identity);
}

function mutator(ctx: AnalyticsContext, roles: readonly Role[]): RequestMeta {
  const identity = authorize(ctx.identity, roles);
  requireHuman(identity);
  return requestActor(identity);
}

const windowView = (w: Window) => ({ from: w.from, to: w.to, timeZone: w.timeZone ?? 'UTC' });

function windowArgs(a: { from?: Date | null; to?: Date | null; timeZone?: string | null }): WindowArgs {
  return {
    ...(a.from ? { from: a.from } : {}),
    ...(a.to ? { to: a.to } : {}),
    ...(a.timeZone ? { timeZone: a.timeZone } : {}),
  };
}

function scopeArgs(a: { product?: string | null; team?: string | null }) {
  return { ...(a.product ? { product: a.product } : {}), ...(a.team ? { team: a.team } : {}) };
}

function doraView(m: DoraMetrics, a: { product?: string | null; team?: string | null }, ctx: AnalyticsContext) {
  return {
    product: a.product ?? null,
    team: a.team ?? null,
    window: windowView(m.window),
    deploymentFrequency: {
      ...m.deploymentFrequency,
      perDay: m.deploymentFrequency.perDay ?? null,
      formula: FORMULAS.deploymentFrequency,
    },
    leadTimeForChanges: {
      ...m.leadTimeForChanges,
      medianHours: hours(m.leadTimeForChanges.medianMs),
      codeFreezeToProductionMedianHours: hours(m.leadTimeForChanges.codeFreezeToProductionMedianMs),
      formula: FORMULAS.leadTime,
    },
    changeFailureRate: {
      ...m.changeFailureRate,
      rate: m.changeFailureRate.rate ?? null,
      formula: FORMULAS.changeFailureRate,
    },
    failedDeploymentRecoveryTime: {
      ...m.recoveryTime,
      medianHours: hours(m.recoveryTime.medianMs),
      formula: FORMULAS.recovery,
    },
    levels: FORMULAS.levels,
    asOf: ctx.queries.asOf() ?? null,
  };
}

function metricsView(m: ReleaseMetrics) {
  return {
    ...m,
    productionAt: m.productionAt ?? null,
    leadTimeHours: hours(m.leadTimeMs),
    codeFreezeToProductionDays: days(m.codeFreezeToProductionMs),
    planningAccuracy: m.planningAccuracy ?? null,
    scheduleSlipDays: days(m.scheduleSlipMs),
  };
}

const incidentView = (i: Incident) => ({
  ...i,
  release: null as null | { id: string },
  durationHours: i.openedAt && i.resolvedAt ? (i.resolvedAt.getTime() - i.openedAt.getTime()) / HOUR : null,
});

function retrospectiveView(s: StoredRetrospective, now: Date) {
  const r = s.retrospective;
  return {
    ...r,
    release: { id: r.releaseId },
    revision: s.revision,
    agenda: AGENDA,
    currentStage: currentStage(r),
    overdue: isRetrospectiveOverdue(r, now),
    startedByName: r.startedByName ?? r.startedBy,
    items: r.items.map((i) => ({ ...i, byName: i.byName ?? i.by })),
    actionItems: r.actionItems.map((a) => actionView(r.releaseId, a, now)),
  };
}

const actionView = (releaseId: string, a: ActionItem, now: Date) => ({
  ...a,
  releaseId,
  overdue: isActionOverdue(a, now),
});

const narrativeSchema = z.object({ summary: z.string().min(1).max(4000) });

async function narrative(ctx: AnalyticsContext, a: ReleaseAnalysis) {
  const advice = await ctx.advisor.advise({
    kind: 'post-release',
    subject: a.release.id,
    schema: narrativeSchema,
    instructions:
      'Write a short post-release analysis for the team: what went well, what did not, and what to look at in the retrospective. Use only the facts given.',
    input: {
      objectives: a.objectives,
      outcomes: a.outcomes,
      metrics: a.metrics,
      gates: a.gates,
      predictions: a.predictions,
      findings: a.findings,
      incidents: a.incidents.length,
    },
    baseline: () => ({ summary: a.findings.join(' ') }),
    baselineConfidence: 0.9,
  });
  return {
    text: advice.value.summary,
    source: upper(advice.source),
    confidence: advice.confidence,
    model: advice.model ?? null,
    fallbackReason: advice.fallbackReason ?? null,
    predictionId: advice.predictionId,
  };
}

export const resolvers: SubgraphResolvers<AnalyticsContext> = {
  DateTime,
  Query: {
    doraMetrics: async (
      _: unknown,
      a: { product?: string; team?: string; from?: Date; to?: Date; timeZone?: string },
      ctx: AnalyticsContext,
    ) => {
      reader(ctx);
      return doraView(await ctx.queries.dora(scopeArgs(a), windowArgs(a)), a, ctx);
    },
    doraTrend: async (
      _: unknown,
      a: { product?: string; team?: string; from?: Date; to?: Date; timeZone?: string; interval: TrendInterval },
      ctx: AnalyticsContext,
    ) => {
      reader(ctx);
      const t = await ctx.queries.doraTrend(scopeArgs(a), windowArgs(a), a.interval);
      return {
        product: a.product ?? null,
        team: a.team ?? null,
        window: windowView(t.window),
        interval: t.interval,
        points: t.points.map((m) => doraView(m, a, ctx)),
      };
    },
    releaseKpis: async (
      _: unknown,
      a: { product?: string; team?: string; from?: Date; to?: Date; timeZone?: string },
      ctx: AnalyticsContext,
    ) => {
      reader(ctx);
      const k = await ctx.queries.kpis(scopeArgs(a), windowArgs(a));
      return {
        product: a.product ?? null,
        team: a.team ?? null,
        window: windowView(k.window),
        releaseFrequency: {
          ...k.releaseFrequency,
          ratio: k.releaseFrequency.ratio ?? null,
          formula: FORMULAS.releaseFrequency,
        },
        leadTimeCodeFreezeToProduction: {
          releases: k.leadTimeCodeFreezeToProduction.releases,
          medianDays: days(k.leadTimeCodeFreezeToProduction.medianMs),
          targetDays: k.leadTimeCodeFreezeToProduction.targetMs / DAY,
          met: k.leadTimeCodeFreezeToProduction.met ?? null,
          formula: FORMULAS.freezeLead,
        },
        deploymentSuccessRate: {
          samples: k.deploymentSuccessRate.deployments,
          value: k.deploymentSuccessRate.rate ?? null,
          target: k.deploymentSuccessRate.target,
          met: k.deploymentSuccessRate.met ?? null,
          formula: FORMULAS.successRate,
        },
        releaseQuality: {
          samples: k.releaseQuality.releases,
          value: k.releaseQuality.perRelease ?? null,
          target: k.releaseQuality.target,
          met: k.releaseQuality.met ?? null,
          formula: FORMULAS.quality,
        },
      };
    },
    aiEffectiveness: async (
      _: unknown,
      a: { product?: string; team?: string; from?: Date; to?: Date },
      ctx: AnalyticsContext,
    ) => {
      reader(ctx);
      const e = await ctx.queries.aiEffectiveness(scopeArgs(a), windowArgs(a));
      return {
        product: a.product ?? null,
        window: windowView(e.window),
        rows: e.rows.map((r) => ({ ...r, source: r.source ? upper(r.source) : null })),
        tooFewOutcomes: e.tooFewOutcomes.map((t) => ({
          ...t,
          source: t.source ? upper(t.source) : null,
          target: AI_TARGETS[t.metric].target,
          message: `too few outcomes: ${t.samples} of the ${t.minimum} a score needs`,
        })),
        minimumOutcomes: e.minimumOutcomes,
        notScorable: NOT_SCORABLE.map((n) => ({ ...n, message: `not scorable: ${n.reason}` })),
        formulas: FORMULAS.ai,
      };
    },
    incidents: async (
      _: unknown,
      a: { product?: string; from?: Date; to?: Date; severity?: string; open?: boolean; first?: number },
      ctx: AnalyticsContext,
    ) => {
      reader(ctx);
      const first = a.first ?? 100;
      if (first < 1 || first > 1000) throw new RuleError(`first must be between 1 and 1000, got ${first}`, 'first');
      const list = await ctx.queries.incidents({
        ...scopeArgs(a),
        ...windowArgs(a),
        ...(a.severity ? { severity: a.severity } : {}),
        ...(a.open === null || a.open === undefined ? {} : { open: a.open }),
      });
      return list.slice(0, first).map(incidentView);
    },
    incident: async (_: unknown, a: { id: string }, ctx: AnalyticsContext) => {
      reader(ctx);
      const i = await ctx.queries.incident(a.id);
      return i ? incidentView(i) : null;
    },
    releaseAnalysis: async (_: unknown, a: { releaseId: string }, ctx: AnalyticsContext) => {
      reader(ctx);
      const r = await ctx.queries.releaseAnalysis(a.releaseId);
      return {
        release: { id: r.release.id },
        product: r.release.product ?? null,
        version: r.release.version ?? null,
        theme: r.objectives.theme ?? null,
        targetDate: r.objectives.targetDate ?? null,
        plannedFeatures: r.objectives.plannedFeatures,
        deliveredFeatures: r.outcomes.deliveredFeatures,
        missedFeatures: r.outcomes.missedFeatures,
        productionAt: r.outcomes.productionAt ?? null,
        onTime: r.outcomes.onTime ?? null,
        metrics: metricsView(r.metrics),
        incidents: r.incidents.map(incidentView),
        gates: r.gates,
        predictions: r.predictions.map((p) => ({ ...p, source: upper(p.source), hit: p.hit ?? null })),
        findings: r.findings,
        narrative: () => narrative(ctx, r),
      };
    },
    retrospective: async (_: unknown, a: { releaseId: string }, ctx: AnalyticsContext) => {
      reader(ctx);
      const s = await ctx.retrospectives.find(a.releaseId);
      return s ? retrospectiveView(s, ctx.now()) : null;
    },
    overdueActionItems: async (_: unknown, _a: unknown, ctx: AnalyticsContext) => {
      reader(ctx);
      const now = ctx.now();
      return (await ctx.retrospectives.overdueActionItems()).map((o) => actionView(o.releaseId, o.item, now));
    },
  },
  Incident: {
    release: async (i: ReturnType<typeof incidentView>, _: unknown, ctx: AnalyticsContext) => {
      if (!i.rolloutId) return null;
      const history = await ctx.queries.history(i.product);
      const releaseId = history.rollouts.find((r) => r.id === i.rolloutId)?.releaseId;
      return releaseId ? { id: releaseId } : null;
    },
  },
  Release: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    metrics: async (r: { id: string }, _: unknown, ctx: AnalyticsContext) => {
      reader(ctx);
      const m = await ctx.queries.releaseMetrics(r.id);
      return m ? metricsView(m) : null;
    },
  },
  Mutation: {
    openIncident: async (
      _: unknown,
      a: { input: OpenIncidentInput & Record<string, unknown> },
      ctx: AnalyticsContext,
    ) => {
      const m = mutator(ctx, CAN.manageIncidents);
      const input = Object.fromEntries(
        Object.entries(a.input).filter(([, v]) => v !== null && v !== undefined),
      ) as unknown as OpenIncidentInput;
      const id = await ctx.incidents.open(m, input);
      return incidentView((await ctx.queries.incident(id))!);
    },
    resolveIncident: async (
      _: unknown,
      a: { id: string; resolution?: string; resolvedAt?: Date },
      ctx: AnalyticsContext,
    ) => {
      const m = mutator(ctx, CAN.manageIncidents);
      await ctx.incidents.resolve(m, a.id, a.resolution ?? undefined, a.resolvedAt ?? undefined);
      return incidentView((await ctx.queries.incident(a.id))!);
    },
    startRetrospective: async (_: unknown, a: { releaseId: string; dueAt?: Date }, ctx: AnalyticsContext) => {
      const m = mutator(ctx, CAN.runRetrospectives);
      return retrospectiveView(await ctx.retrospectives.start(m, a.releaseId, a.dueAt ?? undefined), ctx.now());
    },
    addRetrospectiveItem: async (
      _: unknown,
      a: { releaseId: string; stage: AgendaStage; kind: ItemKind; text: string; expectedRevision?: number },
      ctx: AnalyticsContext,
    ) => {
      const m = mutator(ctx, CAN.runRetrospectives);
      return retrospectiveView(
        await ctx.retrospectives.addItem(
          m,
          a.releaseId,
          { stage: a.stage, kind: a.kind, text: a.text },
          a.expectedRevision ?? undefined,
        ),
        ctx.now(),
      );
    },
    addActionItem: async (
      _: unknown,
      a: { releaseId: string; input: { title: string; owner: string; dueDate: Date }; expectedRevision?: number },
      ctx: AnalyticsContext,
    ) => {
      const m = mutator(ctx, CAN.runRetrospectives);
      return retrospectiveView(
        await ctx.retrospectives.addActionItem(m, a.releaseId, a.input, a.expectedRevision ?? undefined),
        ctx.now(),
      );
    },
    updateActionItem: async (
      _: unknown,
      a: {
        releaseId: string;
        actionItemId: string;
        patch: { title?: string; owner?: string; dueDate?: Date; status?: ActionStatus };
        expectedRevision?: number;
      },
      ctx: AnalyticsContext,
    ) => {
      const m = mutator(ctx, CAN.runRetrospectives);
      const patch = Object.fromEntries(Object.entries(a.patch).filter(([, v]) => v !== null && v !== undefined));
      return retrospectiveView(
        await ctx.retrospectives.updateActionItem(
          m,
          a.releaseId,
          a.actionItemId,
          patch,
          a.expectedRevision ?? undefined,
        ),
        ctx.now(),
      );
    },
    completeRetrospective: async (
      _: unknown,
      a: { releaseId: string; expectedRevision?: number },
      ctx: AnalyticsContext,
    ) => {
      const m = mutator(ctx, CAN.runRetrospectives);
      return retrospectiveView(
        await ctx.retrospectives.complete(m, a.releaseId, a.expectedRevision ?? undefined),
        ctx.now(),
      );
    },
  },
};
