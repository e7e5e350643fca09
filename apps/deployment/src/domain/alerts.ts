import { RuleError } from '@flightdeck/kernel';
import { alertMessages } from './messages.js';
import { canaryName, FINAL_PHASES } from './phases.js';
import type { AlertAbortSpec, AlertCause, AlertSeverity, Rollout } from './types.js';

// Which Alertmanager alerts abort a rollout: label matchers in Alertmanager's own syntax (`alertname="HighErrorRate"`,
// `severity=~"critical|page"`) and a minimum severity. An alert that names another workload never matches.

export const SEVERITIES: AlertSeverity[] = ['INFO', 'WARNING', 'CRITICAL'];

export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** One alert of an Alertmanager notification, as far as a rollout cares. */
export interface IncomingAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  startsAt: string;
  /** Alertmanager's fingerprint of the label set; absent: derived from the labels. */
  fingerprint?: string;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

/** `alertname="HighErrorRate"`, `severity=~"critical|page"`, `env!=staging`: the Alertmanager matcher syntax. */
export function parseMatcher(text: string, where = 'abortOnAlerts.matchers'): LabelMatcher {
  const m = MATCHER.exec(text);
  if (!m)
    throw new RuleError(
      `${where}: "${text}" is not a label matcher; write name="value", name!="value", name=~"regex" or name!~"regex"`,
      where,
    );
  const op = m[2] as LabelMatcher['op'];
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[4]!;
  if (op === '=~' || op === '!~') {
    try {
      new RegExp(`^(?:${value})$`);
    } catch (err) {
      throw new RuleError(
        `${where}: "${text}" has a regular expression that does not compile: ${(err as Error).message}`,
        where,
      );
    }
  }
  return { name: m[1]!, op, value };
}

function holds(m: LabelMatcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

/** The severity label as analytics reads it: critical, page or error is CRITICAL; warning or warn WARNING; anything else INFO. */
export function severityOf(label: string | undefined): AlertSeverity {
  const s = (label ?? '').toLowerCase();
  if (s === 'critical' || s === 'page' || s === 'error') return 'CRITICAL';
  if (s === 'warning' || s === 'warn') return 'WARNING';
  return 'INFO';
}

/** Checked when a rollout is created: at least one matcher, each parses, at most 20. */
export function validateAlertSpec(spec: AlertAbortSpec): AlertAbortSpec {
  if (spec.matchers.length === 0)
    throw new RuleError(
      'abortOnAlerts.matchers: give at least one label matcher, e.g. alertname="HighErrorRate"',
      'abortOnAlerts.matchers',
    );
  if (spec.matchers.length > 20)
    throw new RuleError(
      `abortOnAlerts.matchers: ${spec.matchers.length} matchers is too many; at most 20`,
      'abortOnAlerts.matchers',
    );
  spec.matchers.forEach((m, i) => parseMatcher(m, `abortOnAlerts.matchers[${i}]`));
  if (!SEVERITIES.includes(spec.minSeverity))
    throw new RuleError(
      `abortOnAlerts.minSeverity: "${spec.minSeverity}" is none of ${SEVERITIES.join(', ')}`,
      'abortOnAlerts.minSeverity',
    );
  return { matchers: spec.matchers.map((m) => m.trim()), minSeverity: spec.minSeverity };
}

/** The identity of one alert occurrence: Alertmanager's fingerprint (or the label set) with when it started firing. */
export function alertKey(a: IncomingAlert): string {
  const fingerprint = a.fingerprint ?? JSON.stringify(Object.entries(a.labels).sort(([x], [y]) => x.localeCompare(y)));
  return `${fingerprint}@${new Date(a.startsAt).toISOString()}`;
}

/** Why an alert is about another workload than the rollout's, from its `namespace` and `deployment` (or `workload`) labels. */
function otherWorkload(r: Rollout, labels: Record<string, string>): string | undefined {
  const [wlNamespace, wlName] = labels.workload?.includes('/')
    ? labels.workload.split('/', 2)
    : [undefined, labels.workload];
  const namespace = wlNamespace ?? labels.namespace;
  const name = wlName ?? labels.deployment;
  const { namespace: ns, deployment } = r.target;
  if (namespace && namespace !== ns) return `it is about namespace ${namespace}, not ${ns}`;
  if (name && name !== deployment && name !== canaryName(r))
    return `it is about ${namespace ?? ns}/${name}, not ${ns}/${deployment}`;
  return undefined;
}

/** Still under way, or promoted with the previous version warm and the bake running: an alert can still act. */
export function watchesAlerts(r: Rollout): boolean {
  return (
    !!r.abortOnAlerts && (['PROGRESSING', 'PAUSED', 'PROMOTING'].includes(r.phase) || r.bake?.status === 'RUNNING')
  );
}

export type AlertVerdict = { matched: true; rollout: Rollout } | { matched: false; reason: string };

/**
 * What one alert does to a rollout: a firing alert matching the rollout's `abortOnAlerts` (every matcher, the minimum
 * severity, the rollout's workload when it names one, started while the rollout ran) is recorded as `alertAbort`,
 * which `decide` turns into a rollback at once (or a hold, for a roll-forward-only rollout). Anything else
 * (resolved, repeated, late, unrelated, too mild) leaves the rollout as it is and says why.
 */
export function receiveAlert(r: Rollout, alert: IncomingAlert, now: Date): AlertVerdict {
  const spec = r.abortOnAlerts;
  if (!spec) return { matched: false, reason: 'the rollout names no alerts that abort it' };
  const key = alertKey(alert);
  if (r.alertAbort?.key === key || r.alertsSeen?.includes(key))
    return { matched: false, reason: 'the same alert already acted on this rollout (a repeat)' };
  if (alert.status !== 'firing') return { matched: false, reason: 'the alert is resolved' };
  if (!watchesAlerts(r)) {
    const state = FINAL_PHASES.includes(r.phase)
      ? `${r.phase.toLowerCase().replace('_', ' ')}${r.phase === 'PROMOTED' ? ' and its bake is over' : ''}`
      : r.phase.toLowerCase().replace('_', ' ');
    return { matched: false, reason: `the rollout is already ${state}` };
  }
  if (r.alertAbort)
    return { matched: false, reason: `an earlier alert (${r.alertAbort.alertname}) is already rolling it back` };
  const failed = spec.matchers.find((m) => !holds(parseMatcher(m), alert.labels));
  if (failed) return { matched: false, reason: `its labels do not match ${failed}` };
  const severity = severityOf(alert.labels.severity);
  if (SEVERITIES.indexOf(severity) < SEVERITIES.indexOf(spec.minSeverity))
    return { matched: false, reason: `its severity ${severity} is below ${spec.minSeverity}` };
  const other = otherWorkload(r, alert.labels);
  if (other) return { matched: false, reason: other };
  const startsAt = new Date(alert.startsAt).toISOString();
  if (startsAt < r.startedAt)
    return {
      matched: false,
      reason: `it has been firing since ${startsAt}, before the rollout started (${r.startedAt})`,
    };
  const at = now.toISOString();
  const cause: AlertCause = {
    key,
    alertname: alert.labels.alertname ?? 'alert',
    severity,
    labels: alert.labels,
    startsAt,
    receivedAt: at,
  };
  const message = alertMessages.received(cause);
  // Held and paused rollouts are not driven: the alert puts them back in the loop, as an abort does.
  const phase = r.phase === 'PAUSED' ? 'PROGRESSING' : r.phase;
  return {
    matched: true,
    rollout: {
      ...r,
      phase,
      alertAbort: cause,
      message,
      updatedAt: at,
      decisions: [...r.decisions, { at, action: 'ALERT', message }].slice(-300),
    },
  };
}
