import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Severity } from './facts.js';

/** The Alertmanager webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4', {
    error: 'version must be "4" (the Alertmanager webhook payload version this receiver understands)',
  }),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().optional(),
  groupKey: z.string().optional(),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: z.record(z.string(), z.string()),
        annotations: z.record(z.string(), z.string()).default({}),
        startsAt: z.iso.datetime({ offset: true, local: false }),
        endsAt: z.string().optional(),
        fingerprint: z.string().min(1).optional(),
        generatorURL: z.string().optional(),
      }),
    )
    .max(1000),
});
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

export interface AlertIncident {
  incidentId: string;
  title: string;
  severity: Severity;
  product?: string;
  workload?: string;
  openedAt: Date;
  /** Set when Alertmanager reports the alert resolved. */
  resolvedAt?: Date;
}

function severityOf(label: string | undefined): Severity {
  const s = (label ?? '').toLowerCase();
  if (s === 'critical' || s === 'page' || s === 'error') return 'critical';
  if (s === 'warning' || s === 'warn') return 'warning';
  return 'info';
}

/** The workload as namespace/name, from a `workload` label or from namespace plus deployment, statefulset or service. */
function workloadOf(labels: Record<string, string>): string | undefined {
  if (labels.workload)
    return labels.workload.includes('/') || !labels.namespace
      ? labels.workload
      : `${labels.namespace}/${labels.workload}`;
  const name = labels.deployment ?? labels.statefulset ?? labels.service ?? labels.app;
  return name ? `${labels.namespace ?? 'default'}/${name}` : undefined;
}

/**
 * One incident per alert occurrence: Alertmanager identifies an alert by its label set (fingerprint), and
 * the same alert firing again later is a new occurrence, so the id hashes the fingerprint with startsAt.
 */
export function incidentsFromAlerts(payload: AlertmanagerPayload): AlertIncident[] {
  return payload.alerts.map((a) => {
    const fingerprint = a.fingerprint ?? JSON.stringify(Object.entries(a.labels).sort());
    const openedAt = new Date(a.startsAt);
    const id = createHash('sha256').update(`${fingerprint}\u0000${openedAt.toISOString()}`).digest('hex').slice(0, 24);
    const end = a.endsAt ? new Date(a.endsAt) : undefined;
    const product = a.labels.product;
    const workload = workloadOf(a.labels);
    return {
      incidentId: `am-${id}`,
      title: a.annotations.summary ?? a.labels.alertname ?? 'alert',
      severity: severityOf(a.labels.severity),
      ...(product ? { product } : {}),
      ...(workload ? { workload } : {}),
      openedAt,
      ...(a.status === 'resolved' && end && !Number.isNaN(end.getTime()) && end.getFullYear() > 1
        ? { resolvedAt: end }
        : {}),
    };
  });
}
