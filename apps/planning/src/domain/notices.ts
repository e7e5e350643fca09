import type { Audience } from './communication-plan.js';
import { approverAudience } from './approver-audience.js';

/** Something that happened to a release which people must hear about (from the gates' and deployment's events). */
export type Cause =
  | {
      kind: 'gate.evaluated';
      gate: string;
      outcome: 'PASS' | 'FAIL' | 'CONDITIONAL';
      reasons: string[];
      /** Gates sets it when approvals are all the gate waits for: the roles missing (none: four-eyes waits). */
      awaitingApprovals?: { roles: string[] };
    }
  | { kind: 'rollout.paused'; rolloutId: string; environment: string; reason: string }
  | { kind: 'rollout.rolled_back'; rolloutId: string; environment: string; reason: string }
  | { kind: 'rollout.succeeded'; rolloutId: string; environment: string };

/** The release a notice is about, as planning knows it. */
export interface NoticeRelease {
  id: string;
  product: string;
  version: string;
  /** The customer release notes (domain/release-notes.ts): the body of the production notice to customers. */
  releaseNotes?: string;
}

/** One message for some audiences; each channel renders it its own way. */
export interface Notice {
  event: string;
  audiences: Audience[];
  title: string;
  text: string;
  /** A body of its own for some audiences (customers read the release notes); the others read `text`. */
  textFor?: Partial<Record<Audience, string>>;
  severity: 'info' | 'warning' | 'critical';
  /** What the reader can do at the link. */
  action: string;
  data: Record<string, unknown>;
}

const PRODUCTION = /^prod(uction)?$/i;

/** Who must hear about a cause and what they read; undefined when nobody needs to (e.g. a staging rollout succeeding). */
export function noticeFor(cause: Cause, r: NoticeRelease): Notice | undefined {
  const name = `${r.product} ${r.version}`;
  const data = { releaseId: r.id, product: r.product, version: r.version };
  switch (cause.kind) {
    case 'gate.evaluated': {
      const waiting = cause.awaitingApprovals;
      if (waiting) {
        const roles = waiting.roles.length ? waiting.roles.join(', ') : 'another approver (four-eyes)';
        // QA hears every gate result; the approvers' audiences are the ones who must act.
        const audiences = new Set<Audience>(['QA', ...waiting.roles.map(approverAudience)]);
        if (!waiting.roles.length) audiences.add('MANAGEMENT');
        return {
          event: 'gate.awaiting_approval',
          audiences: [...audiences],
          title: `${name}: ${cause.gate} gate waits for approval from ${roles}`,
          text: [
            `The ${cause.gate} gate of ${name} passes its criteria and waits for approval from ${roles}.`,
            '',
            ...cause.reasons.map((x) => `- ${x}`),
          ].join('\n'),
          severity: 'warning',
          action: 'Review and approve',
          data: { ...data, gate: cause.gate, outcome: cause.outcome, pendingRoles: waiting.roles },
        };
      }
      const failed = cause.outcome === 'FAIL';
      const verdict =
        cause.outcome === 'PASS' ? 'passed' : cause.outcome === 'FAIL' ? 'failed' : 'passed with conditions';
      return {
        event: failed ? 'gate.failed' : 'gate.evaluated',
        // QA hears every gate result; a failed gate is also the development team's to fix.
        audiences: failed ? ['QA', 'DEVELOPMENT_TEAM'] : ['QA'],
        title: `${name}: ${cause.gate} gate ${verdict}`,
        text: [
          `The ${cause.gate} gate of ${name} ${verdict}.`,
          ...(cause.reasons.length ? ['', ...cause.reasons.map((x) => `- ${x}`)] : []),
        ].join('\n'),
        severity: failed ? 'warning' : 'info',
        action: failed ? 'See what failed' : 'See the gate',
        data: { ...data, gate: cause.gate, outcome: cause.outcome },
      };
    }
    case 'rollout.paused':
      return {
        event: 'rollout.awaiting_approval',
        audiences: ['DEVELOPMENT_TEAM'],
        title: `${name}: rollout ${cause.rolloutId} waits for a person`,
        text: `The ${cause.environment} rollout ${cause.rolloutId} of ${name} paused: ${cause.reason}\nResume or abort it.`,
        severity: 'warning',
        action: 'Resume or abort',
        data: { ...data, rolloutId: cause.rolloutId, environment: cause.environment },
      };
    case 'rollout.rolled_back':
      return {
        event: 'rollout.rolled_back',
        audiences: ['DEVELOPMENT_TEAM', 'MANAGEMENT'],
        title: `${name}: ${cause.environment} rollout rolled back`,
        text: `The ${cause.environment} rollout ${cause.rolloutId} of ${name} was rolled back: ${cause.reason}`,
        severity: 'critical',
        action: 'See the rollback',
        data: { ...data, rolloutId: cause.rolloutId, environment: cause.environment },
      };
    case 'rollout.succeeded':
      if (!PRODUCTION.test(cause.environment)) return undefined;
      return {
        event: 'release.in_production',
        audiences: ['MANAGEMENT', 'CUSTOMERS_PARTNERS', 'DEVELOPMENT_TEAM'],
        title: `${name} is in production`,
        text: `${name} reached production (rollout ${cause.rolloutId}).`,
        ...(r.releaseNotes ? { textFor: { CUSTOMERS_PARTNERS: r.releaseNotes } } : {}),
        severity: 'info',
        action: 'See the release',
        data: { ...data, rolloutId: cause.rolloutId, environment: cause.environment },
      };
  }
}
