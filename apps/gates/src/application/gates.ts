import { z } from 'zod';
import type { Advisor } from '@flightdeck/ai';
import type { Role } from '@flightdeck/auth';
import type { CloudEvent } from '@flightdeck/events';
import { retryOnConflict } from '@flightdeck/persistence';
import {
  active,
  checkApproval,
  evaluateGate,
  gateTitle,
  gatesForRelease,
  gatesOfProduct,
  GateForbiddenError,
  GateRuleError,
  NotFoundError,
  parseGateDefinition,
  readinessBaseline,
  sloQuery,
  type Approval,
  type Evaluation,
  type EvidenceKind,
  type EvidenceSummary,
  type GateDefinition,
  type Measurement,
  type Outcome,
} from '../domain/index.js';
import { approvalGrantedEvent, approvalWithdrawnEvent, evaluationEvent, readinessEvent } from './events.js';
import type { Actor, AuditEntry, AuditFilter, Clock, GateState, GatesStore, IdGenerator, MetricsSource, Readiness, ReleaseView } from './ports.js';

/** Reads a report into its summary (the streaming parsers); refuses a malformed one. */
export type EvidenceReader = (kind: EvidenceKind, file: string, source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, opts: { changedFiles?: string[] }) => Promise<EvidenceSummary>;

export interface GatesDeps {
  store: GatesStore;
  readEvidence: EvidenceReader;
  metrics?: MetricsSource;
  advisor: Advisor;
  clock: Clock;
  ids: IdGenerator;
}

const DEFINERS: Role[] = ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD'];
const SUBMITTERS: Role[] = ['CI', 'DEVELOPER', 'QA_LEAD', 'TECHNICAL_LEAD', 'RELEASE_MANAGER', 'SRE'];
const ASSESSORS: Role[] = ['RELEASE_MANAGER', 'TECHNICAL_LEAD', 'QA_LEAD', 'PRODUCT_OWNER', 'SRE'];

function needRole(actor: Actor, roles: Role[], what: string): void {
  if (!roles.some((r) => actor.roles.includes(r))) {
    throw new GateForbiddenError(`${what} needs one of the roles ${roles.join(', ')}; ${actor.subject} has ${actor.roles.join(', ') || 'no roles'}`);
  }
}

/** How a person is named in sentences: their display name; records keep the subject beside it. */
const shown = (actor: Actor) => actor.name ?? actor.subject;

/** The display name of an actor to keep beside their subject, when the token gave one. */
const nameOf = <K extends string>(key: K, actor: Actor): Partial<Record<K, string>> => (actor.name ? ({ [key]: actor.name } as Record<K, string>) : {});

function needHuman(actor: Actor, what: string): void {
  if (actor.machine || actor.roles.includes('CI')) throw new GateForbiddenError(`${actor.subject} is a machine identity (CI): only a person may ${what}`);
}

export interface GateView {
  definition: GateDefinition;
  state?: GateState;
  latest?: Evaluation;
}

export interface SubmitEvidenceInput {
  release: string;
  gate: string;
  kind: EvidenceKind;
  name: string;
  content: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** The size in bytes, or a function giving it once the content has been read. */
  bytes: number | (() => number);
  changedFiles?: string[];
}

const readinessAdvice = z.object({
  recommendation: z.enum(['GO', 'CONDITIONAL_GO', 'NO_GO']),
  blockingIssues: z.array(z.string()),
  mitigations: z.array(z.string()),
  monitoring: z.array(z.string()),
  predictedOutcome: z.enum(['PASS', 'FAIL', 'CONDITIONAL']),
});

/** The gates service's use cases. Every change re-evaluates the gate and is kept in the audit trail. */
export class Gates {
  constructor(private readonly deps: GatesDeps) {}

  private audit(actor: Actor, action: AuditEntry['action'], product: string, what: string, extra: Partial<AuditEntry> = {}): AuditEntry {
    return { id: this.deps.ids(), at: this.deps.clock.now(), by: actor.subject, ...nameOf('byName', actor), action, product, what, ...extra };
  }

  /** A release by id or by PRODUCT@VERSION, as gates knows it from planning's events. */
  async release(ref: string): Promise<ReleaseView> {
    const at = ref.lastIndexOf('@');
    const found = at > 0 ? await this.deps.store.releaseByVersion(ref.slice(0, at), ref.slice(at + 1)) : await this.deps.store.release(ref);
    if (!found) {
      throw new NotFoundError(`release ${ref} is not known to the gates service; give a release id or PRODUCT@VERSION of a release planning has created (gates learns releases from planning's events)`);
    }
    return found;
  }

  async definitions(product: string): Promise<GateDefinition[]> {
    return gatesOfProduct(product, await this.deps.store.definitions(product));
  }

  private async definitionFor(release: ReleaseView, gate: string): Promise<GateDefinition> {
    const gates = gatesForRelease(release.type, await this.definitions(release.product));
    const def = gates.find((g) => g.name === gate);
    if (!def) throw new GateRuleError(`${release.product}@${release.version} (${release.type}) has no gate ${gate}; its gates are ${gates.map((g) => g.name).join(', ')}`, 'gate');
    return def;
  }

  async defineGate(product: string, input: unknown, actor: Actor): Promise<GateDefinition> {
    needRole(actor, DEFINERS, 'defining a gate');
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(product)) throw new GateRuleError(`product "${product}" is not a product name (letters, digits, ".", "_", "-")`, 'product');
    const parsed = parseGateDefinition(input);
    // Two definitions of the same gate at once: the one that loses the version is numbered again on a fresh read.
    return retryOnConflict(async () => {
      const existing = await this.definitions(product);
      const previous = existing.find((g) => g.name === parsed.name);
      for (const c of parsed.criteria) {
        if (c.kind === 'upstream' && !existing.some((g) => g.name === c.gate)) {
          throw new GateRuleError(`criterion ${c.id} needs the gate ${c.gate}, which ${product} does not have (it has ${existing.map((g) => g.name).join(', ')})`, 'criteria');
        }
      }
      const def: GateDefinition = {
        product,
        name: parsed.name,
        title: parsed.title ?? previous?.title ?? gateTitle(parsed.name),
        order: parsed.order ?? previous?.order ?? 100,
        appliesTo: parsed.appliesTo ?? previous?.appliesTo ?? 'STANDARD',
        criteria: parsed.criteria,
        approvals: parsed.approvals,
        fourEyes: parsed.fourEyes ?? previous?.fourEyes ?? false,
        version: (previous?.version ?? 0) + 1,
        definedBy: actor.subject,
        ...nameOf('definedByName', actor),
        definedAt: this.deps.clock.now(),
      };
      const what = `${previous ? `version ${def.version} replaces version ${previous.version}` : 'new gate'}: ${def.criteria.length} criteria (${def.criteria.map((c) => c.id).join(', ')}), approvals ${def.approvals.map((a) => `${a.count}× ${a.role}`).join(', ') || 'none'}`;
      await this.deps.store.insertDefinition(def, this.audit(actor, 'GATE_DEFINED', product, what, { gate: def.name }));
      return def;
    });
  }

  async gatesOfRelease(releaseId: string): Promise<GateView[]> {
    const release = await this.deps.store.release(releaseId);
    if (!release) return [];
    const defs = gatesForRelease(release.type, await this.definitions(release.product));
    const states = await this.deps.store.statesOfRelease(release.id);
    return defs.map((definition) => {
      const state = states.find((s) => s.gate === definition.name);
      return { definition, state, latest: state?.evaluations.at(-1) };
    });
  }

  async gate(ref: string, gate: string): Promise<GateView> {
    const release = await this.release(ref);
    const definition = await this.definitionFor(release, gate);
    const state = (await this.deps.store.state(release.id, gate))?.state;
    return { definition, state, latest: state?.evaluations.at(-1) };
  }

  /**
   * Loads, changes, re-evaluates and stores one gate state. No change here carries a revision claim, so a write
   * that lost the race to another (a re-evaluation after a planning event, another person) is re-applied to the
   * state as it is now, its rules checked again (retryOnConflict).
   */
  private async change(
    ref: string,
    gate: string,
    actor: Actor,
    trigger: string,
    apply: (state: GateState, def: GateDefinition, release: ReleaseView) => { events: CloudEvent[]; audit: AuditEntry[] },
    adjust?: (evaluation: Evaluation) => AuditEntry,
  ): Promise<GateView> {
    return retryOnConflict(async () => {
      // Everything is read again on each run: the release's scope may have changed with the state.
      const release = await this.release(ref);
      const def = await this.definitionFor(release, gate);
      const stored = await this.deps.store.state(release.id, gate);
      const state: GateState = stored?.state ?? { releaseId: release.id, gate, product: release.product, evidence: [], ticks: [], approvals: [], evaluations: [], audit: [] };
      const { events, audit } = apply(state, def, release);
      const evaluation = await this.evaluate(state, def, release, actor, trigger, adjust ? (e) => audit.push({ ...adjust(e), product: release.product }) : undefined);
      state.audit.push(...audit, this.audit(actor, 'GATE_EVALUATED', release.product, `${evaluation.outcome}: ${evaluation.reasons.join(' | ')}`, { releaseId: release.id, gate, why: trigger }));
      await this.deps.store.saveState(state, stored?.revision, [...events, evaluationEvent(evaluation, actor)]);
      return { definition: def, state, latest: evaluation };
    });
  }

  private async measure(def: GateDefinition, at: Date): Promise<Record<string, Measurement[]>> {
    const out: Record<string, Measurement[]> = {};
    const one = async (q: string): Promise<Measurement> => {
      if (!this.deps.metrics) return { error: 'no Prometheus is configured for the gates service (PROMETHEUS_URL)' };
      try {
        return { value: await this.deps.metrics.value(q, at) };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    for (const c of def.criteria) {
      if (c.kind === 'slo') out[c.id] = await Promise.all(c.objectives.map((o) => one(sloQuery(o, c.window))));
      else if (c.kind === 'performance' && c.query) out[c.id] = [await one(c.query)];
    }
    return out;
  }

  private async evaluate(state: GateState, def: GateDefinition, release: ReleaseView, actor: Actor, trigger: string, adjust?: (e: Evaluation) => void): Promise<Evaluation> {
    const at = this.deps.clock.now();
    const others = await this.deps.store.statesOfRelease(release.id);
    const upstream: Record<string, Outcome | undefined> = {};
    for (const s of others) if (s.gate !== def.name) upstream[s.gate] = s.evaluations.at(-1)?.outcome;
    const inScope = release.features.filter((f) => f.status !== 'DROPPED');
    const evaluation = evaluateGate({
      id: this.deps.ids(),
      releaseId: release.id,
      definition: def,
      evidence: state.evidence,
      ticks: state.ticks,
      upstream,
      scope: { total: inScope.length, done: inScope.filter((f) => f.status === 'DONE').length, open: inScope.filter((f) => f.status !== 'DONE').map((f) => f.title) },
      measurements: await this.measure(def, at),
      approvals: state.approvals,
      requester: release.requestedBy,
      at,
      by: actor.subject,
      ...nameOf('byName', actor),
      trigger,
    });
    adjust?.(evaluation);
    state.evaluations.push(evaluation);
    if (evaluation.outcome === 'PASS' && !state.passedAt) state.passedAt = at;
    return evaluation;
  }

  async submitEvidence(input: SubmitEvidenceInput, actor: Actor): Promise<GateView> {
    needRole(actor, SUBMITTERS, 'submitting evidence');
    if (!input.name.trim()) throw new GateRuleError('evidence needs a file name (the report as the pipeline produced it, e.g. reports/junit.xml)', 'name');
    const release = await this.release(input.release);
    await this.definitionFor(release, input.gate);
    // Parsed before anything is loaded or stored: a malformed report changes nothing.
    const summary = await this.deps.readEvidence(input.kind, input.name, input.content, { changedFiles: input.changedFiles });
    const bytes = typeof input.bytes === 'function' ? input.bytes() : input.bytes;
    const evidence = { id: this.deps.ids(), kind: input.kind, name: input.name, summary, submittedBy: actor.subject, ...nameOf('submittedByName', actor), submittedAt: this.deps.clock.now(), bytes };
    return this.change(release.id, input.gate, actor, `evidence ${input.name} submitted`, (state) => {
      const replaced = state.evidence.findIndex((e) => e.kind === input.kind && e.name === input.name);
      if (replaced >= 0) state.evidence.splice(replaced, 1);
      state.evidence.push(evidence);
      return { events: [], audit: [this.audit(actor, 'EVIDENCE_SUBMITTED', release.product, `${input.kind} ${input.name} (${bytes} bytes)${replaced >= 0 ? ', replacing the earlier file of that name' : ''}`, { releaseId: release.id, gate: input.gate })] };
    });
  }

  /**
   * After planning changed a release's scope: re-evaluates the gates of the release that were evaluated
   * before and have a scope criterion, so their outcome follows the features without waiting for new evidence.
   */
  async scopeChanged(releaseId: string, why: string): Promise<GateView[]> {
    const system: Actor = { subject: 'flightdeck-gates', roles: [], machine: true };
    const out: GateView[] = [];
    for (const v of await this.gatesOfRelease(releaseId)) {
      if (!v.state?.evaluations.length || !v.definition.criteria.some((c) => c.kind === 'scope')) continue;
      out.push(await this.change(releaseId, v.definition.name, system, why, () => ({ events: [], audit: [] })));
    }
    return out;
  }

  async evaluateGate(ref: string, gate: string, actor: Actor): Promise<GateView> {
    needRole(actor, [...SUBMITTERS, 'PRODUCT_OWNER'], 'evaluating a gate');
    return this.change(ref, gate, actor, 'evaluation requested', () => ({ events: [], audit: [] }));
  }

  async tickChecklistItem(ref: string, gate: string, criterionId: string, itemId: string, opts: { evidenceUrl?: string; note?: string }, actor: Actor): Promise<GateView> {
    needHuman(actor, 'tick a checklist item');
    needRole(actor, [...ASSESSORS, 'DEVELOPER'], 'ticking a checklist item');
    if (opts.evidenceUrl !== undefined && !/^https?:\/\/\S+$/.test(opts.evidenceUrl)) throw new GateRuleError(`evidenceUrl "${opts.evidenceUrl}" is not an http(s) link`, 'evidenceUrl');
    return this.change(ref, gate, actor, `checklist item ${criterionId}/${itemId} ticked`, (state, def, release) => {
      const c = def.criteria.find((x) => x.id === criterionId);
      if (!c || c.kind !== 'checklist') {
        throw new GateRuleError(`the ${gate} gate has no checklist ${criterionId}; its checklists are ${def.criteria.filter((x) => x.kind === 'checklist').map((x) => x.id).join(', ') || 'none'}`, 'criterionId');
      }
      const item = c.items.find((i) => i.id === itemId);
      if (!item) throw new GateRuleError(`checklist ${criterionId} has no item ${itemId}; its items are ${c.items.map((i) => i.id).join(', ')}`, 'itemId');
      state.ticks = state.ticks.filter((t) => !(t.criterionId === criterionId && t.itemId === itemId));
      state.ticks.push({ criterionId, itemId, by: actor.subject, ...nameOf('byName', actor), at: this.deps.clock.now(), ...(opts.evidenceUrl ? { evidenceUrl: opts.evidenceUrl } : {}), ...(opts.note ? { note: opts.note } : {}) });
      return { events: [], audit: [this.audit(actor, 'CHECKLIST_TICKED', release.product, `${c.name}: "${item.label}" ticked${opts.evidenceUrl ? ` with ${opts.evidenceUrl}` : ''}`, { releaseId: release.id, gate, why: opts.note })] };
    });
  }

  async approveGate(ref: string, gate: string, opts: { role?: Role; comment?: string }, actor: Actor): Promise<GateView> {
    let granted: Approval | undefined;
    return this.change(ref, gate, actor, `approval by ${shown(actor)}`, (state, def, release) => {
      const role = checkApproval(def, state.approvals, actor, opts.role, state.passedAt);
      granted = { id: this.deps.ids(), by: actor.subject, ...nameOf('byName', actor), role, comment: opts.comment ?? '', at: this.deps.clock.now() };
      state.approvals.push(granted);
      return {
        events: [approvalGrantedEvent(release.id, gate, granted, actor)],
        audit: [this.audit(actor, 'APPROVAL_GRANTED', release.product, `approved as ${role}`, { releaseId: release.id, gate, why: opts.comment })],
      };
    });
  }

  async withdrawApproval(ref: string, gate: string, reason: string, actor: Actor): Promise<GateView> {
    needHuman(actor, 'withdraw an approval');
    if (!reason.trim()) throw new GateRuleError('say why the approval is withdrawn (reason)', 'reason');
    return this.change(ref, gate, actor, `approval withdrawn by ${shown(actor)}`, (state, _def, release) => {
      if (state.passedAt) throw new GateRuleError(`the ${gate} gate passed at ${state.passedAt.toISOString()}; an approval cannot be withdrawn once its gate has passed`);
      const mine = state.approvals.filter((a) => active(a) && a.by === actor.subject);
      if (!mine.length) throw new GateRuleError(`${actor.subject} has no approval of the ${gate} gate to withdraw`);
      const at = this.deps.clock.now();
      for (const a of mine) Object.assign(a, { withdrawnAt: at, withdrawnReason: reason });
      return {
        events: mine.map((a) => approvalWithdrawnEvent(release.id, gate, a, actor)),
        audit: [this.audit(actor, 'APPROVAL_WITHDRAWN', release.product, `withdrew the approval as ${mine.map((a) => a.role).join(', ')}`, { releaseId: release.id, gate, why: reason })],
      };
    });
  }

  /**
   * A Release Manager sets the outcome by hand, with a reason: the gate is evaluated as usual, the result
   * keeps every criterion as measured, and the outcome is replaced. Kept in the audit trail as an override.
   */
  async overrideGate(ref: string, gate: string, outcome: Outcome, reason: string, actor: Actor): Promise<GateView> {
    needHuman(actor, 'override a gate');
    needRole(actor, ['RELEASE_MANAGER'], 'overriding a gate');
    if (!reason.trim()) throw new GateRuleError('say why the outcome is overridden (reason)', 'reason');
    const view = await this.change(ref, gate, actor, `override to ${outcome} by ${shown(actor)}`, () => ({ events: [], audit: [] }), (evaluation) => {
      const measured = evaluation.outcome;
      evaluation.override = { by: actor.subject, ...nameOf('byName', actor), reason, measuredOutcome: measured };
      evaluation.outcome = outcome;
      evaluation.reasons = [`overridden to ${outcome} by ${shown(actor)} (measured ${measured}): ${reason}`, ...evaluation.reasons];
      return this.audit(actor, 'GATE_OVERRIDDEN', '', `${measured} overridden to ${outcome}`, { releaseId: evaluation.releaseId, gate, why: reason });
    });
    return view;
  }

  async assessReadiness(ref: string, actor: Actor): Promise<Readiness> {
    needRole(actor, ASSESSORS, 'assessing readiness');
    const release = await this.release(ref);
    const views = await this.gatesOfRelease(release.id);
    const standings = views.map((v) => ({
      gate: v.definition.name,
      outcome: v.latest?.outcome,
      history: (v.state?.evaluations ?? []).map((e) => e.outcome),
      failingHard: (v.latest?.criteria ?? []).filter((c) => c.hard && c.result === 'FAIL').map((c) => c.name),
      ...(v.latest?.override ? { override: { byName: v.latest.override.byName ?? v.latest.override.by, reason: v.latest.override.reason } } : {}),
    }));
    const critical: string[] = [];
    for (const v of views) {
      for (const e of v.state?.evidence ?? []) {
        if (e.summary.kind === 'SARIF' && e.summary.security.bySeverity.critical > 0) critical.push(`${e.summary.security.bySeverity.critical} critical security findings in ${e.name} (${v.definition.name})`);
      }
    }
    const baseline = readinessBaseline(standings, critical);
    const advice = await this.deps.advisor.advise({
      kind: 'readiness',
      subject: release.id,
      schema: readinessAdvice,
      instructions:
        'Assess whether this release is ready to go to production. Recommend GO, CONDITIONAL_GO or NO_GO, list the blocking issues, mitigations and what to monitor after release, and predict the outcome of its last gate.',
      input: { release: { product: release.product, version: release.version, type: release.type }, gates: standings, criticalIssues: critical, deterministicScore: baseline.score },
      baseline: () => ({ recommendation: baseline.recommendation, blockingIssues: baseline.blockingIssues, mitigations: baseline.mitigations, monitoring: baseline.monitoring, predictedOutcome: baseline.predictedOutcome }),
      baselineConfidence: baseline.confidence,
    });
    const readiness: Readiness = {
      ...baseline,
      ...advice.value,
      confidence: advice.confidence,
      id: this.deps.ids(),
      releaseId: release.id,
      source: advice.source,
      ...(advice.rationale ? { rationale: advice.rationale } : {}),
      ...(advice.fallbackReason ? { fallbackReason: advice.fallbackReason } : {}),
      predictionId: advice.predictionId,
      assessedAt: this.deps.clock.now(),
      assessedBy: actor.subject,
      ...nameOf('assessedByName', actor),
    };
    const what = `score ${readiness.score}, ${readiness.recommendation} (${readiness.source}, confidence ${readiness.confidence.toFixed(2)})`;
    await this.deps.store.saveReadiness(readiness, this.audit(actor, 'READINESS_ASSESSED', release.product, what, { releaseId: release.id }), [readinessEvent(readiness, actor)]);
    return readiness;
  }

  async readiness(releaseId: string): Promise<Readiness[]> {
    return this.deps.store.readiness(releaseId);
  }

  async auditTrail(filter: AuditFilter): Promise<AuditEntry[]> {
    if (!filter.releaseId && !filter.product) throw new GateRuleError('give a release or a product to read the audit trail of', 'release');
    return this.deps.store.audit(filter);
  }
}
