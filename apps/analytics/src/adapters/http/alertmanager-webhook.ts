import type { Router } from 'express';
import type { Logger } from 'pino';
import { alertmanagerWebhook as receiver } from '@flightdeck/subgraph';
import { alertmanagerPayloadSchema } from '../../domain/alertmanager.js';
import type { Incidents } from '../../application/incidents.js';

/** POST /webhooks/alertmanager: Alertmanager's notifications recorded as incidents (the receiver contract of libs/subgraph). */
export function alertmanagerWebhook(
  incidents: Incidents,
  logger: Logger,
  opts: { token?: string; maxBytes?: number } = {},
): Router {
  return receiver({
    ...opts,
    logger,
    schema: alertmanagerPayloadSchema,
    receive: (payload) => incidents.receiveAlerts(payload),
    describe: (counts) => ({ message: 'alertmanager notification recorded', fields: { ...counts } }),
    failure: 'record the alerts',
  });
}
