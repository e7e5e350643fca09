import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { describeIssues } from '@flightdeck/events';

export interface AlertmanagerWebhookOptions<P extends { groupKey?: string | undefined; status: string }, R> {
  /** The Alertmanager v4 payload as far as this service reads it. */
  schema: z.ZodType<P>;
  /** Applies the notification; its answer is the response body. A throw answers 503, which Alertmanager retries. */
  receive(payload: P): Promise<R>;
  /** The log line of a received notification, with the fields logged beside it. */
  describe(result: R): { message: string; fields?: Record<string, unknown> };
  /** What could not be done, for the 503 answer: "could not <failure>: <error>". */
  failure: string;
  logger: Logger;
  /** With a token, `Authorization: Bearer <token>` is required. */
  token?: string;
  maxBytes?: number;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Where every Flightdeck service takes Alertmanager's notifications; the chart's Alertmanager example posts here. */
export const ALERTMANAGER_WEBHOOK_PATH = '/webhooks/alertmanager';

/**
 * POST /webhooks/alertmanager, mounted at the app's root: an Alertmanager receiver (webhook payload version 4). Every service that takes Alertmanager's
 * notifications shares this contract, so one Alertmanager receiver lists all their URLs: 401 without the configured
 * bearer token, 400 for a payload that is not v4 (or not JSON), 413 when too large, 503 when it could not be applied.
 */
export function alertmanagerWebhook<P extends { groupKey?: string | undefined; status: string }, R>(
  o: AlertmanagerWebhookOptions<P, R>,
): Router {
  const router = express.Router();
  router.post(
    ALERTMANAGER_WEBHOOK_PATH,
    express.json({ limit: o.maxBytes ?? 1024 * 1024, type: () => true }),
    async (req, res) => {
      if (o.token) {
        const header = req.get('authorization') ?? '';
        const given = header.startsWith('Bearer ') ? header.slice(7) : '';
        if (!sameToken(given, o.token)) {
          res.status(401).json({
            error:
              'this receiver needs Authorization: Bearer <token> (the http_config.authorization credentials of the Alertmanager receiver)',
          });
          return;
        }
      }
      const parsed = o.schema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ error: `not an Alertmanager v4 webhook payload: ${describeIssues(parsed.error)}` });
        return;
      }
      try {
        const result = await o.receive(parsed.data);
        const { message, fields } = o.describe(result);
        o.logger.info({ ...fields, groupKey: parsed.data.groupKey, status: parsed.data.status }, message);
        res.status(200).json(result);
      } catch (err) {
        o.logger.error({ err }, 'alertmanager notification failed');
        // Alertmanager retries on 5xx.
        res.status(503).json({ error: `could not ${o.failure}: ${(err as Error).message}; Alertmanager will retry` });
      }
    },
  );
  // Body parser failures (malformed JSON, too large) answer 400/413 as JSON, never crash the server.
  router.use(
    ALERTMANAGER_WEBHOOK_PATH,
    (
      err: Error & { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!err.status) return next(err);
      res.status(err.status).json({
        error: err.type === 'entity.too.large' ? 'the payload is too large' : `the body is not JSON: ${err.message}`,
      });
    },
  );
  return router;
}
