import { RuleError } from '@flightdeck/kernel';
import type { Role } from '@flightdeck/kernel';
import { active, checkApproval, type Approval } from '../domain/index.js';
import { approvalGrantedEvent, approvalWithdrawnEvent } from './events.js';
import { nameOf, shown, type GateChanges, type GatesDeps, type GateView } from './gate-changes.js';
import type { Actor } from './ports.js';

/** Approvals by role: who may approve is the gate's rule (domain/approvals.ts: four eyes, roles held, never CI). */
export class GateApprovals {
  constructor(
    private readonly deps: GatesDeps,
    private readonly changes: GateChanges,
  ) {}

  approve(ref: string, gate: string, opts: { role?: Role; comment?: string }, actor: Actor): Promise<GateView> {
    return this.changes.change(ref, gate, actor, `approval by ${shown(actor)}`, (state, def, release) => {
      const role = checkApproval(def, state.approvals, actor, opts.role, state.passedAt);
      const granted: Approval = {
        id: this.deps.ids(),
        by: actor.subject,
        ...nameOf('byName', actor),
        role,
        comment: opts.comment ?? '',
        at: this.deps.clock.now(),
      };
      state.approvals.push(granted);
      return {
        events: [approvalGrantedEvent(release.id, gate, granted, actor)],
        audit: [
          this.changes.audit(actor, 'APPROVAL_GRANTED', release.product, `approved as ${role}`, {
            releaseId: release.id,
            gate,
            why: opts.comment,
          }),
        ],
      };
    });
  }

  withdraw(ref: string, gate: string, reason: string, actor: Actor): Promise<GateView> {
    if (!reason.trim()) throw new RuleError('say why the approval is withdrawn (reason)', 'reason');
    return this.changes.change(ref, gate, actor, `approval withdrawn by ${shown(actor)}`, (state, _def, release) => {
      if (state.passedAt)
        throw new RuleError(
          `the ${gate} gate passed at ${state.passedAt.toISOString()}; an approval cannot be withdrawn once its gate has passed`,
        );
      const mine = state.approvals.filter((a) => active(a) && a.by === actor.subject);
      if (!mine.length) throw new RuleError(`${actor.subject} has no approval of the ${gate} gate to withdraw`);
      const at = this.deps.clock.now();
      for (const a of mine) Object.assign(a, { withdrawnAt: at, withdrawnReason: reason });
      const what = `withdrew the approval as ${mine.map((a) => a.role).join(', ')}`;
      return {
        events: mine.map((a) => approvalWithdrawnEvent(release.id, gate, a, actor)),
        audit: [
          this.changes.audit(actor, 'APPROVAL_WITHDRAWN', release.product, what, {
            releaseId: release.id,
            gate,
            why: reason,
          }),
        ],
      };
    });
  }
}
