import type { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { alertmanagerWebhook as receiver } from '@flightdeck/subgraph';
import type { AlertIntake } from '../../application/alert-intake.js';

/** The Alertmanager webhook payload, version 4, as far as rollouts need it (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
const payloadSchema = z.object({
  version: z.literal('4', {
    error: 'version must be "4" (the Alertmanager webhook payload version this receiver understands)',
  }),
  status: z.enum(['firing', 'resolved']),
  groupKey: z.string().optional(),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: z.record(z.string(), z.string()),
        startsAt: z.iso.datetime({ offset: true, local: false }),
        fingerprint: z.string().min(1).optional(),
      }),
    )
    .max(1000),
});

/**
 * POST /webhooks/alertmanager: Alertmanager's notifications, for the rollouts that name alerts aborting them. The same
 * receiver contract as analytics' incident webhook (libs/subgraph), so one Alertmanager receiver lists both URLs.
 * Answers which rollouts the alerts roll back and why the others are left alone.
 */
export function alertmanagerWebhook(
  intake: AlertIntake,
  logger: Logger,
  opts: { token?: string; maxBytes?: number } = {},
): Router {
  return receiver({
    ...opts,
    logger,
    schema: payloadSchema,
    receive: (payload) => intake.receive(payload.alerts),
    describe: (outcome) => ({
      message: `alertmanager notification: ${outcome.matched.length} rollout(s) to roll back, ${outcome.ignored.length} left alone`,
      fields: { matched: outcome.matched, ignored: outcome.ignored.length },
    }),
    failure: 'apply the alerts to the rollouts',
  });
}
