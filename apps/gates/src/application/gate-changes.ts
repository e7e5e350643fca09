import type { CloudEvent } from '@flightdeck/events';
import { NotFoundError, retryOnConflict, RuleError } from '@flightdeck/kernel';
import {
  evaluateGate,
  gatesForRelease,
  gatesOfProduct,
  sloQuery,
  type Evaluation,
  type GateDefinition,
  type Measurement,
  type Outcome,
} from '../domain/index.js';
import { evaluationEvent } from './events.js';
import type {
  Actor,
  AuditEntry,
  Clock,
  GateState,
  GatesStore,
  IdGenerator,
  MetricsSource,
  ReleaseView,
} from './ports.js';

/** What the gates use cases share: the store, the clock, ids, and where PromQL values come from. */
export interface GatesDeps {
  store: GatesStore;
  metrics?: MetricsSource;
  clock: Clock;
  ids: IdGenerator;
}

export interface GateView {
  definition: GateDefinition;
  state?: GateState;
  latest?: Evaluation;
}

/** How a person is named in sentences: their display name; records keep the subject beside it. */
export const shown = (actor: Actor) => actor.name ?? actor.subject;

/** The display name of an actor to keep beside their subject, when the token gave one. */
export const nameOf = <K extends string>(key: K, actor: Actor): Partial<Record<K, string>> =>
  actor.name ? ({ [key]: actor.name } as Record<K, string>) : {};

/** What a change does to a gate's state: the events to publish and the audit lines to keep with it. */
export type GateChange = (
  state: GateState,
  def: GateDefinition,
  release: ReleaseView,
) => { events: CloudEvent[]; audit: AuditEntry[] };

/**
 * The one way a gate changes: read the release, its gate and its state; apply the change; evaluate the gate again
 * (every change does); store state, evaluation and events together. Also the lookups every use case starts with.
 */
export class GateChanges {
  constructor(private readonly deps: GatesDeps) {}

  audit(
    actor: Actor,
    action: AuditEntry['action'],
    product: string,
    what: string,
    extra: Partial<AuditEntry> = {},
  ): AuditEntry {
    return {
      id: this.deps.ids(),
      at: this.deps.clock.now(),
      by: actor.subject,
      ...nameOf('byName', actor),
      action,
      product,
      what,
      ...extra,
    };
  }

  /** A release by id or by PRODUCT@VERSION, as gates knows it from planning's events. */
  async release(ref: string): Promise<ReleaseView> {
    const at = ref.lastIndexOf('@');
    const found =
      at > 0
        ? await this.deps.store.releaseByVersion(ref.slice(0, at), ref.slice(at + 1))
        : await this.deps.store.release(ref);
    if (!found) {
      throw new NotFoundError(
        `release ${ref} is not known to the gates service; give a release id or PRODUCT@VERSION of a release planning has created (gates learns releases from planning's events)`,
      );
    }
    return found;
  }

  async definitions(product: string): Promise<GateDefinition[]> {
    return gatesOfProduct(product, await this.deps.store.definitions(product));
  }

  async definitionFor(release: ReleaseView, gate: string): Promise<GateDefinition> {
    const gates = gatesForRelease(release.type, await this.definitions(release.product));
    const def = gates.find((g) => g.name === gate);
    if (!def)
      throw new RuleError(
        `${release.product}@${release.version} (${release.type}) has no gate ${gate}; its gates are ${gates.map((g) => g.name).join(', ')}`,
        'gate',
      );
    return def;
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

  /**
   * Loads, changes, re-evaluates and stores one gate state. No change here carries a revision claim, so a write
   * that lost the race to another (a re-evaluation after a planning event, another person) is re-applied to the
   * state as it is now, its rules checked again (retryOnConflict).
   */
  change(
    ref: string,
    gate: string,
    actor: Actor,
    trigger: string,
    apply: GateChange,
    adjust?: (evaluation: Evaluation) => AuditEntry,
  ): Promise<GateView> {
    return retryOnConflict(async () => {
      // Everything is read again on each run: the release's scope may have changed with the state.
      const release = await this.release(ref);
      const def = await this.definitionFor(release, gate);
      const stored = await this.deps.store.state(release.id, gate);
      const state: GateState = stored?.state ?? {
        releaseId: release.id,
        gate,
        product: release.product,
        evidence: [],
        ticks: [],
        approvals: [],
        evaluations: [],
        audit: [],
      };
      const { events, audit } = apply(state, def, release);
      const evaluation = await this.evaluate(
        state,
        def,
        release,
        actor,
        trigger,
        adjust ? (e) => audit.push({ ...adjust(e), product: release.product }) : undefined,
      );
      const evaluated = this.audit(
        actor,
        'GATE_EVALUATED',
        release.product,
        `${evaluation.outcome}: ${evaluation.reasons.join(' | ')}`,
        { releaseId: release.id, gate, why: trigger },
      );
      state.audit.push(...audit, evaluated);
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

  private async evaluate(
    state: GateState,
    def: GateDefinition,
    release: ReleaseView,
    actor: Actor,
    trigger: string,
    adjust?: (e: Evaluation) => void,
  ): Promise<Evaluation> {
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
      scope: {
        total: inScope.length,
        done: inScope.filter((f) => f.status === 'DONE').length,
        open: inScope.filter((f) => f.status !== 'DONE').map((f) => f.title),
      },
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
}
