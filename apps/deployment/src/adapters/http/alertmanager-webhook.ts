import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { describeIssues } from '@flightdeck/events';
import type { AlertIntake } from '../../application/alert-intake.js';

/** The Alertmanager webhook payload, version 4, as far as rollouts need it (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
const payloadSchema = z.object({
  version: z.literal('4', { error: 'version must be "4" (the Alertmanager webhook payload version this receiver understands)' }),
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

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * POST /webhooks/alertmanager: Alertmanager's notifications, for the rollouts that name alerts aborting them. The same
 * receiver contract as analytics' incident webhook (v4 payload; with a token configured, `Authorization: Bearer <token>`),
 * so one Alertmanager receiver lists both URLs. Answers which rollouts the alerts roll back and why the others are left alone.
 */
export function alertmanagerWebhook(intake: AlertIntake, logger: Logger, opts: { token?: string; maxBytes?: number } = {}): Router {
  const router = express.Router();
  router.post('/alertmanager', express.json({ limit: opts.maxBytes ?? 1024 * 1024, type: () => true }), async (req, res) => {
    if (opts.token) {
      const header = req.get('authorization') ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!sameToken(given, opts.token)) {
        res.status(401).json({ error: 'this receiver needs Authorization: Bearer <token> (the http_config.authorization credentials of the Alertmanager receiver)' });
        return;
      }
    }
    const parsed = payloadSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: `not an Alertmanager v4 webhook payload: ${describeIssues(parsed.error)}` });
      return;
    }
    try {
      const outcome = await intake.receive(parsed.data.alerts);
      logger.info({ matched: outcome.matched, ignored: outcome.ignored.length, groupKey: parsed.data.groupKey, status: parsed.data.status }, `alertmanager notification: ${outcome.matched.length} rollout(s) to roll back, ${outcome.ignored.length} left alone`);
      res.status(200).json(outcome);
    } catch (err) {
      logger.error({ err }, 'alertmanager notification failed');
      // Alertmanager retries on 5xx.
      res.status(503).json({ error: `could not apply the alerts to the rollouts: ${(err as Error).message}; Alertmanager will retry` });
    }
  });
  // Body parser failures (malformed JSON, too large) answer 400/413 as JSON, never crash the server.
  router.use('/alertmanager', (err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!err.status) return next(err);
    res.status(err.status).json({ error: err.type === 'entity.too.large' ? 'the payload is too large' : `the body is not JSON: ${err.message}` });
  });
  return router;
}
