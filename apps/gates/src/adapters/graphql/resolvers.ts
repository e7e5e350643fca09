import { personOf, requireRole, type Role } from '@flightdeck/auth';
import type { SubgraphContext, SubgraphResolvers } from '@flightdeck/subgraph';
import type { Actor, AuditEntry, Readiness } from '../../application/ports.js';
import type { Gates, GateView } from '../../application/gates.js';
import type { Criterion, Evaluation, EvidenceKind, GateDefinition } from '../../domain/index.js';
import { guarded } from './errors.js';
import { evidenceStream } from './evidence-content.js';
import { DateTime } from '@flightdeck/subgraph';
import { JSONScalar } from './scalars.js';

export interface GatesContext {
  gates: Gates;
  maxEvidenceBytes: number;
}

type Ctx = SubgraphContext & GatesContext;
type GateParent = GateView & { releaseId: string };

function actor(ctx: Ctx): Actor {
  const id = requireRole(ctx.identity);
  const person = personOf(id);
  return { subject: person.subject, name: person.name, roles: id.roles, machine: id.machine, correlationId: ctx.requestId };
}

const withRelease = (releaseId: string) => (v: GateView): GateParent => ({ ...v, releaseId });

function criterionView(c: Criterion) {
  const { id, name, kind, hard, ...settings } = c;
  return { id, name, kind, hard, settings };
}

export const resolvers: SubgraphResolvers<Ctx> = {
  DateTime,
  JSON: JSONScalar,
  Release: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    gates: (r: { id: string }, _a, ctx) => guarded(async () => (await ctx.gates.gatesOfRelease(r.id)).map(withRelease(r.id))),
    readiness: (r: { id: string }, _a, ctx) => guarded(async () => (await ctx.gates.readiness(r.id))[0] ?? null),
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
    evaluations: (g: GateParent, args: { last: number }) => (g.state?.evaluations ?? []).slice(-Math.max(0, Math.min(args.last, 500))).reverse(),
    evidence: (g: GateParent) => g.state?.evidence ?? [],
    approvals: (g: GateParent) => (g.state?.approvals ?? []).map((a) => ({ ...a, byName: a.byName ?? a.by, active: a.withdrawnAt === undefined })),
    passedAt: (g: GateParent) => g.state?.passedAt ?? null,
    checklist: (g: GateParent) =>
      g.definition.criteria.flatMap((c) =>
        c.kind !== 'checklist'
          ? []
          : c.items.map((i) => {
              const t = g.state?.ticks.find((x) => x.criterionId === c.id && x.itemId === i.id);
              return { criterionId: c.id, itemId: i.id, label: i.label, ticked: !!t, by: t?.by ?? null, byName: t ? (t.byName ?? t.by) : null, at: t?.at ?? null, evidenceUrl: t?.evidenceUrl ?? null, note: t?.note ?? null };
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
    gateDefinitions: (_p, args: { product: string }, ctx) => guarded(() => ctx.gates.definitions(args.product)),
    releaseGates: (_p, args: { release: string }, ctx) =>
      guarded(async () => {
        const release = await ctx.gates.release(args.release);
        return (await ctx.gates.gatesOfRelease(release.id)).map(withRelease(release.id));
      }),
    gate: (_p, args: { release: string; gate: string }, ctx) =>
      guarded(async () => {
        const release = await ctx.gates.release(args.release);
        return withRelease(release.id)(await ctx.gates.gate(release.id, args.gate));
      }),
    auditTrail: (_p, args: { release?: string; product?: string; gate?: string; action?: string; last?: number }, ctx) =>
      guarded(async () => {
        actor(ctx);
        const releaseId = args.release ? (await ctx.gates.release(args.release)).id : undefined;
        return ctx.gates.auditTrail({ releaseId, product: args.product, gate: args.gate, action: args.action as never, limit: args.last });
      }),
  },
  Mutation: {
    defineGate: (_p, args: { product: string; definition: unknown }, ctx) => guarded(() => ctx.gates.defineGate(args.product, args.definition, actor(ctx))),
    submitEvidence: (_p, { input }: { input: { release: string; gate: string; kind: EvidenceKind; name: string; content: string; encoding: 'PLAIN' | 'GZIP_BASE64'; changedFiles?: string[] } }, ctx) =>
      guarded(async () => {
        const who = actor(ctx);
        const { stream, bytes } = evidenceStream(input.name, input.content, input.encoding, ctx.maxEvidenceBytes);
        const view = await ctx.gates.submitEvidence({ release: input.release, gate: input.gate, kind: input.kind, name: input.name, content: stream, bytes, changedFiles: input.changedFiles }, who);
        return withRelease(view.state!.releaseId)(view);
      }),
    evaluateGate: (_p, args: { release: string; gate: string }, ctx) =>
      guarded(async () => {
        const v = await ctx.gates.evaluateGate(args.release, args.gate, actor(ctx));
        return withRelease(v.state!.releaseId)(v);
      }),
    approveGate: (_p, args: { release: string; gate: string; role?: Role; comment?: string }, ctx) =>
      guarded(async () => {
        const v = await ctx.gates.approveGate(args.release, args.gate, { role: args.role, comment: args.comment }, actor(ctx));
        return withRelease(v.state!.releaseId)(v);
      }),
    withdrawApproval: (_p, args: { release: string; gate: string; reason: string }, ctx) =>
      guarded(async () => {
        const v = await ctx.gates.withdrawApproval(args.release, args.gate, args.reason, actor(ctx));
        return withRelease(v.state!.releaseId)(v);
      }),
    tickChecklistItem: (_p, args: { release: string; gate: string; criterion: string; item: string; evidenceUrl?: string; note?: string }, ctx) =>
      guarded(async () => {
        const v = await ctx.gates.tickChecklistItem(args.release, args.gate, args.criterion, args.item, { evidenceUrl: args.evidenceUrl, note: args.note }, actor(ctx));
        return withRelease(v.state!.releaseId)(v);
      }),
    overrideGate: (_p, args: { release: string; gate: string; outcome: 'PASS' | 'FAIL' | 'CONDITIONAL'; reason: string }, ctx) =>
      guarded(async () => {
        const v = await ctx.gates.overrideGate(args.release, args.gate, args.outcome, args.reason, actor(ctx));
        return withRelease(v.state!.releaseId)(v);
      }),
    assessReadiness: (_p, args: { release: string }, ctx) => guarded(() => ctx.gates.assessReadiness(args.release, actor(ctx))),
  },
};
