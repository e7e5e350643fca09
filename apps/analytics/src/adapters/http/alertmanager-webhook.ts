import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { describeIssues } from '@flightdeck/events';
import { alertmanagerPayloadSchema } from '../../domain/alertmanager.js';
import type { Incidents } from '../../application/incidents.js';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** POST /webhooks/alertmanager: the Alertmanager v4 webhook payload; with a token configured, `Authorization: Bearer <token>` is required. */
export function alertmanagerWebhook(incidents: Incidents, logger: Logger, opts: { token?: string; maxBytes?: number } = {}): Router {
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
    const parsed = alertmanagerPayloadSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: `not an Alertmanager v4 webhook payload: ${describeIssues(parsed.error)}` });
      return;
    }
    try {
      const counts = await incidents.receiveAlerts(parsed.data);
      logger.info({ ...counts, groupKey: parsed.data.groupKey, status: parsed.data.status }, 'alertmanager notification recorded');
      res.status(200).json(counts);
    } catch (err) {
      logger.error({ err }, 'alertmanager notification failed');
      // Alertmanager retries on 5xx.
      res.status(503).json({ error: `could not record the alerts: ${(err as Error).message}; Alertmanager will retry` });
    }
  });
  // Body parser failures (malformed JSON, too large) answer 400/413 as JSON, never crash the server.
  router.use('/alertmanager', (err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!err.status) return next(err);
    res.status(err.status).json({ error: err.type === 'entity.too.large' ? 'the payload is too large' : `the body is not JSON: ${err.message}` });
  });
  return router;
}
