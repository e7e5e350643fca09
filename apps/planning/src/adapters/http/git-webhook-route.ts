import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { NotFoundError, RuleError } from '@flightdeck/kernel';
import type { CodeFreeze } from '../../application/code-freeze.js';
import {
  GitWebhookError,
  githubChange,
  gitlabChange,
  verifyGitHubSignature,
  verifyGitLabToken,
  type GitChange,
} from './git-webhooks.js';

export interface GitWebhookSecrets {
  /** The secret of the GitHub webhook (it signs every body with it: X-Hub-Signature-256). */
  github?: string;
  /** The secret token of the GitLab webhook (sent as it is: X-Gitlab-Token). */
  gitlab?: string;
}

const fail = (res: Response, status: number, error: string) => res.status(status).json({ error });

/**
 * POST /git/github?release=<id|product@version> and /git/gitlab?release=…: a Git host's push or pull/merge request
 * event, verified with the webhook's secret and answered with whether that change may land in the release now.
 */
export function gitWebhooks(
  freeze: CodeFreeze,
  logger: Logger,
  secrets: GitWebhookSecrets,
  opts: { maxBytes?: number } = {},
): Router {
  const router = express.Router();
  const raw = express.raw({ limit: opts.maxBytes ?? 1024 * 1024, type: () => true });

  async function answer(req: Request, res: Response, read: (body: Buffer) => GitChange) {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let change: GitChange;
    try {
      change = read(body);
    } catch (err) {
      if (err instanceof GitWebhookError) return fail(res, err.status, err.message);
      logger.error({ err }, 'a Git webhook could not be read');
      return fail(res, 500, `the webhook could not be read: ${(err as Error).message}`);
    }
    const release = typeof req.query.release === 'string' ? req.query.release.trim() : '';
    if (!release)
      return fail(
        res,
        400,
        'no ?release= in the webhook URL: add the release the branch belongs to, e.g. ?release=shop@2.4.0 (or its id)',
      );
    try {
      const d = freeze.decideFor(await freeze.resolve(release), change);
      const r = d.stored.release;
      logger.info(
        { release: r.id, change: change.id, host: change.host, branch: change.branch, allowed: d.allowed },
        'freeze decision for a Git webhook',
      );
      res.status(200).json({
        allowed: d.allowed,
        frozen: d.frozen,
        reason: d.reason,
        change: {
          id: change.id,
          critical: change.critical,
          host: change.host,
          branch: change.branch,
          ...(change.title ? { title: change.title } : {}),
        },
        release: { id: r.id, product: r.product, version: r.version, status: r.status },
        approvers: d.approvers,
        ...(d.exception ? { exception: d.exception } : {}),
      });
    } catch (err) {
      if (err instanceof NotFoundError) return fail(res, 404, err.message);
      if (err instanceof RuleError) return fail(res, 400, err.message);
      logger.error({ err }, 'freeze decision for a Git webhook failed');
      return fail(res, 503, `could not decide: ${(err as Error).message}; redeliver the webhook`);
    }
  }

  router.post('/git/github', raw, (req, res) => {
    if (!secrets.github)
      return void fail(res, 503, 'this receiver is off: set GITHUB_WEBHOOK_SECRET to the secret of the GitHub webhook');
    void answer(req, res, (body) => {
      verifyGitHubSignature(body, req.get('x-hub-signature-256'), secrets.github!);
      return githubChange(req.get('x-github-event'), body);
    });
  });
  router.post('/git/gitlab', raw, (req, res) => {
    if (!secrets.gitlab)
      return void fail(
        res,
        503,
        'this receiver is off: set GITLAB_WEBHOOK_TOKEN to the secret token of the GitLab webhook',
      );
    void answer(req, res, (body) => {
      verifyGitLabToken(req.get('x-gitlab-token'), secrets.gitlab!);
      return gitlabChange(body);
    });
  });
  // Body parser failures (too large) answer as JSON, never crash the server.
  router.use(
    '/git',
    (
      err: Error & { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!err.status) return next(err);
      fail(
        res,
        err.status,
        err.type === 'entity.too.large' ? 'the payload is too large' : `the body could not be read: ${err.message}`,
      );
    },
  );
  return router;
}
