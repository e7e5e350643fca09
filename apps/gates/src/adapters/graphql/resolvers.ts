import { authorize, personOf, requireHuman, type Identity, type Role } from '@flightdeck/kernel';
import { DateTime, type SubgraphContext, type SubgraphResolvers } from '@flightdeck/subgraph';
import type { Actor, AuditEntry, Readiness } from '../../application/ports.js';
import type { Gates, GateView } from '../../application/gates.js';
import type { Criterion, Evaluation, EvidenceKind, GateDefinition } from '../../domain/index.js';
import { evidenceStream } from './evidence-content.js';
import { CAN } from './roles.js';
import { JSONScalar } from './scalars.js';

export interface GatesContext {
  gates: Gates;
  maxEvidenceBytes: number;
}

type Ctx = SubgraphContext & GatesContext;
type GateParent = GateView & { releaseId: string };

/** The caller as the use cases record them; authorisation is checked here, before the use case runs. */
function actor(ctx: Ctx, id: Identity = authorize(ctx.identity)): Actor {
  const person = personOf(id);
  return {
    subject: person.subject,
    name: person.name,
    roles: id.roles,
    machine: id.machine,
    correlationId: ctx.requestId,
  };
}

const withRelease =
  (releaseId: string) =>
  (v: GateView): GateParent => ({ ...v, releaseId });
/** A gate a change has just written: its state names the release. */
const withState = (v: GateView): GateParent => withRelease(v.state!.releaseId)(v);

function criterionView(c: Criterion) {
  const { id, name, kind, hard, ...settings } = c;
  return { id, name, kind, hard, settings };
}

export const resolvers: SubgraphResolvers<Ctx> = {
  DateTime,
  JSON: JSONScalar,
  Release: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    gates: async (r: { id: string }, _a, ctx) => (await ctx.gates.queries.gatesOfRelease(r.id)).map(withRelease(r.id)),
    readiness: async (r: { id: string }, _a, ctx) => (await ctx.gates.readiness.history(r.id))[0] ?? null,
  },
  GateDefinition: {
    criteria: (d: GateDefinition) => d.criteria.map(criterionView),
    definedByName: (d: GateDefinition) => d.definedByName ?? d.definedBy,
  },
  // Records written before display names were kept show the subject.
  Evaluation: {
    evaluatedByName: (e: Evaluation) => e.evaluatedByName ?? e.evaluatedBy,
  },
  Override: {
    byName: (o: { by: string; byName?: string }) => o.byName ?? o.by,
  },
  ApprovalStatus: {
    approvedByNames: (s: { approvedBy: string[]; approvedByNames?: string[] }) => s.approvedByNames ?? s.approvedBy,
  },
  AuditEntry: {
    byName: (e: AuditEntry) => e.byName ?? e.by,
  },
  Gate: {
    name: (g: GateParent) => g.definition.name,
    title: (g: GateParent) => g.definition.title,
    outcome: (g: GateParent) => g.latest?.outcome ?? null,
    latestEvaluation: (g: GateParent) => g.latest ?? null,
    evaluations: (g: GateParent, args: { last: number }) =>
      (g.state?.evaluations ?? []).slice(-Math.max(0, Math.min(args.last, 500))).reverse(),
    evidence: (g: GateParent) => g.state?.evidence ?? [],
    approvals: (g: GateParent) =>
      (g.state?.approvals ?? []).map((a) => ({ ...a, byName: a.byName ?? a.by, active: a.withdrawnAt === undefined })),
    passedAt: (g: GateParent) => g.state?.passedAt ?? null,
    checklist: (g: GateParent) =>
      g.definition.criteria.flatMap((c) =>
        c.kind !== 'checklist'
          ? []
          : c.items.map((i) => {
              const t = g.state?.ticks.find((x) => x.criterionId === c.id && x.itemId === i.id);
              return {
                criterionId: c.id,
                itemId: i.id,
                label: i.label,
                ticked: !!t,
                by: t?.by ?? null,
                byName: t ? (t.byName ?? t.by) : null,
                at: t?.at ?? null,
                evidenceUrl: t?.evidenceUrl ?? null,
                note: t?.note ?? null,
              };
            }),
      ),
  },
  Evidence: {
    submittedByName: (e: { submittedBy: string; submittedByName?: string }) => e.submittedByName ?? e.submittedBy,
    summary: (e: { summary: Record<string, unknown> }) => {
      const { kind: _k, ...rest } = e.summary;
      return Object.values(rest)[0] ?? {};
    },
  },
  Readiness: {
    score: (r: Readiness) => Math.round(r.score),
    assessedByName: (r: Readiness) => r.assessedByName ?? r.assessedBy,
  },
  Query: {
    gateDefinitions: (_p, args: { product: string }, ctx) => ctx.gates.definitions.list(args.product),
    releaseGates: async (_p, args: { release: string }, ctx) => {
      const release = await ctx.gates.queries.release(args.release);
      return (await ctx.gates.queries.gatesOfRelease(release.id)).map(withRelease(release.id));
    },
    gate: async (_p, args: { release: string; gate: string }, ctx) => {
      const release = await ctx.gates.queries.release(args.release);
      return withRelease(release.id)(await ctx.gates.queries.gate(release.id, args.gate));
    },
    auditTrail: async (
      _p,
      args: { release?: string; product?: string; gate?: string; action?: string; last?: number },
      ctx,
    ) => {
      authorize(ctx.identity);
      const releaseId = args.release ? (await ctx.gates.queries.release(args.release)).id : undefined;
      return ctx.gates.queries.auditTrail({
        releaseId,
        product: args.product,
        gate: args.gate,
        action: args.action as never,
        limit: args.last,
      });
    },
  },
  Mutation: {
    defineGate: (_p, args: { product: string; definition: unknown }, ctx) =>
      ctx.gates.definitions.define(
        args.product,
        args.definition,
        actor(ctx, authorize(ctx.identity, CAN.define, 'defining a gate')),
      ),
    submitEvidence: async (
      _p,
      {
        input,
      }: {
        input: {
          release: string;
          gate: string;
          kind: EvidenceKind;
          name: string;
          content: string;
          encoding: 'PLAIN' | 'GZIP_BASE64';
          changedFiles?: string[];
        };
      },
      ctx,
    ) => {
      const who = actor(ctx, authorize(ctx.identity, CAN.submitEvidence, 'submitting evidence'));
      const { stream, bytes } = evidenceStream(input.name, input.content, input.encoding, ctx.maxEvidenceBytes);
      const submission = {
        release: input.release,
        gate: input.gate,
        kind: input.kind,
        name: input.name,
        content: stream,
        bytes,
        changedFiles: input.changedFiles,
      };
      return withState(await ctx.gates.evidence.submit(submission, who));
    },
    evaluateGate: async (_p, args: { release: string; gate: string }, ctx) =>
      withState(
        await ctx.gates.evidence.evaluate(
          args.release,
          args.gate,
          actor(ctx, authorize(ctx.identity, CAN.evaluate, 'evaluating a gate')),
        ),
      ),
    approveGate: async (_p, args: { release: string; gate: string; role?: Role; comment?: string }, ctx) =>
      withState(
        await ctx.gates.approvals.approve(
          args.release,
          args.gate,
          { role: args.role, comment: args.comment },
          actor(ctx),
        ),
      ),
    withdrawApproval: async (_p, args: { release: string; gate: string; reason: string }, ctx) =>
      withState(
        await ctx.gates.approvals.withdraw(
          args.release,
          args.gate,
          args.reason,
          actor(ctx, requireHuman(ctx.identity, 'withdraw an approval')),
        ),
      ),
    tickChecklistItem: async (
      _p,
      args: { release: string; gate: string; criterion: string; item: string; evidenceUrl?: string; note?: string },
      ctx,
    ) => {
      const who = actor(
        ctx,
        authorize(requireHuman(ctx.identity, 'tick a checklist item'), CAN.tickChecklist, 'ticking a checklist item'),
      );
      return withState(
        await ctx.gates.evidence.tickChecklistItem(
          args.release,
          args.gate,
          args.criterion,
          args.item,
          { evidenceUrl: args.evidenceUrl, note: args.note },
          who,
        ),
      );
    },
    overrideGate: async (
      _p,
      args: { release: string; gate: string; outcome: 'PASS' | 'FAIL' | 'CONDITIONAL'; reason: string },
      ctx,
    ) => {
      const who = actor(
        ctx,
        authorize(requireHuman(ctx.identity, 'override a gate'), CAN.override, 'overriding a gate'),
      );
      return withState(await ctx.gates.overrides.override(args.release, args.gate, args.outcome, args.reason, who));
    },
    validateGate: async (_p, args: { release: string; gate: string }, ctx) => {
      const v = await ctx.gates.validations.validate(
        args.release,
        args.gate,
        actor(ctx, authorize(ctx.identity, CAN.validateGate, 'validating a gate')),
      );
      return {
        ...v.advice.value,
        gate: v.gate,
        evaluatedOutcome: v.evaluatedOutcome,
        source: v.advice.source,
        confidence: v.advice.confidence,
        model: v.advice.model ?? null,
        fallbackReason: v.advice.fallbackReason ?? null,
        rationale: v.advice.rationale ?? null,
        predictionId: v.advice.predictionId,
        at: v.at,
      };
    },
    assessReadiness: (_p, args: { release: string }, ctx) =>
      ctx.gates.readiness.assess(
        args.release,
        actor(ctx, authorize(ctx.identity, CAN.assessReadiness, 'assessing readiness')),
      ),
  },
};
