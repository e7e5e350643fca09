import type { Advisor } from '@flightdeck/ai';
import { RuleError } from '@flightdeck/kernel';
import { GateApprovals } from './approvals.js';
import { GateDefinitions } from './definitions.js';
import { GateEvidence, type EvidenceReader } from './evidence.js';
import { GateChanges, type GatesDeps, type GateView } from './gate-changes.js';
import { GateOverrides } from './overrides.js';
import type { AuditEntry, AuditFilter, ReleaseView } from './ports.js';
import { ReadinessAssessment } from './readiness.js';
import { GateValidations } from './gate-validation.js';

export type { GateView } from './gate-changes.js';
export type { EvidenceReader, SubmitEvidenceInput } from './evidence.js';

/** Reading gates: a release as gates knows it, its gates, one gate, the audit trail. */
export class GateQueries {
  constructor(
    private readonly deps: GatesDeps,
    private readonly changes: GateChanges,
  ) {}

  /** A release by id or by PRODUCT@VERSION. */
  release(ref: string): Promise<ReleaseView> {
    return this.changes.release(ref);
  }

  gatesOfRelease(releaseId: string): Promise<GateView[]> {
    return this.changes.gatesOfRelease(releaseId);
  }

  async gate(ref: string, gate: string): Promise<GateView> {
    const release = await this.changes.release(ref);
    const definition = await this.changes.definitionFor(release, gate);
    const state = (await this.deps.store.state(release.id, gate))?.state;
    return { definition, state, latest: state?.evaluations.at(-1) };
  }

  async auditTrail(filter: AuditFilter): Promise<AuditEntry[]> {
    if (!filter.releaseId && !filter.product)
      throw new RuleError('give a release or a product to read the audit trail of', 'release');
    return this.deps.store.audit(filter);
  }
}

/** The gates service's use cases, one object per use case; every change re-evaluates its gate and is audited. */
export interface Gates {
  queries: GateQueries;
  definitions: GateDefinitions;
  evidence: GateEvidence;
  approvals: GateApprovals;
  overrides: GateOverrides;
  readiness: ReadinessAssessment;
  validations: GateValidations;
}

export function createGates(deps: GatesDeps & { readEvidence: EvidenceReader; advisor: Advisor }): Gates {
  const changes = new GateChanges(deps);
  return {
    queries: new GateQueries(deps, changes),
    definitions: new GateDefinitions(deps, changes),
    evidence: new GateEvidence(deps, changes),
    approvals: new GateApprovals(deps, changes),
    overrides: new GateOverrides(changes),
    readiness: new ReadinessAssessment(deps, changes),
    validations: new GateValidations(deps, changes),
  };
}
