import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ChangeRequest } from '../../domain/code-freeze.js';

/** A webhook that cannot be read or trusted: `status` is the HTTP answer, the message says what was wrong. */
export class GitWebhookError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401,
  ) {
    super(message);
    this.name = 'GitWebhookError';
  }
}

/** What a change carries that makes it critical: a label or a commit message marker. */
const CRITICAL_LABELS = ['critical', 'hotfix', 'release-blocker'];
const CRITICAL_MARKER = /\[(critical|hotfix)\]/i;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** GitHub signs the raw body: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 with the webhook secret>`. */
export function verifyGitHubSignature(rawBody: Buffer, header: string | undefined, secret: string): void {
  if (!header) throw new GitWebhookError('no X-Hub-Signature-256 header: set a secret on the GitHub webhook', 401);
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  if (!same(header, expected))
    throw new GitWebhookError('X-Hub-Signature-256 does not match the body and the webhook secret', 401);
}

/** GitLab sends the secret token as it is: `X-Gitlab-Token`. */
export function verifyGitLabToken(header: string | undefined, secret: string): void {
  if (!header) throw new GitWebhookError('no X-Gitlab-Token header: set a secret token on the GitLab webhook', 401);
  if (!same(header, secret)) throw new GitWebhookError('X-Gitlab-Token does not match the webhook secret', 401);
}

const ghPush = z.object({
  ref: z.string(),
  after: z.string().regex(/^[0-9a-f]{40}$/),
  repository: z.object({ full_name: z.string() }),
  head_commit: z.object({ message: z.string() }).nullable().optional(),
  commits: z.array(z.object({ message: z.string() })).default([]),
});
const ghPull = z.object({
  action: z.string(),
  number: z.number().int(),
  repository: z.object({ full_name: z.string() }),
  pull_request: z.object({
    title: z.string(),
    base: z.object({ ref: z.string() }),
    head: z.object({ sha: z.string() }),
    labels: z.array(z.object({ name: z.string() })).default([]),
  }),
});
const glPush = z.object({
  object_kind: z.literal('push'),
  ref: z.string(),
  after: z.string(),
  project: z.object({ path_with_namespace: z.string() }),
  commits: z.array(z.object({ message: z.string() })).default([]),
});
const glMerge = z.object({
  object_kind: z.literal('merge_request'),
  project: z.object({ path_with_namespace: z.string() }),
  object_attributes: z.object({ iid: z.number().int(), title: z.string(), target_branch: z.string() }),
  labels: z.array(z.object({ title: z.string() })).default([]),
});

/** A change a Git host told us about, and the branch it goes to. */
export interface GitChange extends ChangeRequest {
  branch: string;
  host: 'github' | 'gitlab';
}

function parse<S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new GitWebhookError(`not a ${what} payload: ${issues}`, 400);
}

function json(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new GitWebhookError(
      `the body is not JSON (${(error as Error).message}); set the webhook's content type to application/json`,
      400,
    );
  }
}

const branchOf = (ref: string) => ref.replace(/^refs\/heads\//, '');
const labelled = (labels: string[]) => labels.some((l) => CRITICAL_LABELS.includes(l.toLowerCase()));

/** Reads GitHub's `push` and `pull_request` events (X-GitHub-Event) into the change they propose. */
export function githubChange(event: string | undefined, rawBody: Buffer): GitChange {
  const body = json(rawBody);
  if (event === 'push') {
    const p = parse(ghPush, body, 'GitHub push');
    const messages = [p.head_commit?.message ?? '', ...p.commits.map((c) => c.message)];
    return {
      host: 'github',
      id: p.after,
      branch: branchOf(p.ref),
      critical: messages.some((m) => CRITICAL_MARKER.test(m)),
      title: p.head_commit?.message.split('\n')[0] ?? p.ref,
    };
  }
  if (event === 'pull_request') {
    const p = parse(ghPull, body, 'GitHub pull_request');
    return {
      host: 'github',
      id: `github:${p.repository.full_name}#${p.number}`,
      branch: p.pull_request.base.ref,
      critical: labelled(p.pull_request.labels.map((l) => l.name)) || CRITICAL_MARKER.test(p.pull_request.title),
      title: p.pull_request.title,
    };
  }
  throw new GitWebhookError(
    `X-GitHub-Event "${event ?? ''}" is not one Flightdeck reads; send push or pull_request events`,
    400,
  );
}

/** Reads GitLab's push and merge-request events (object_kind) into the change they propose. */
export function gitlabChange(rawBody: Buffer): GitChange {
  const body = json(rawBody) as { object_kind?: unknown };
  if (body?.object_kind === 'push') {
    const p = parse(glPush, body, 'GitLab push');
    return {
      host: 'gitlab',
      id: p.after,
      branch: branchOf(p.ref),
      critical: p.commits.some((c) => CRITICAL_MARKER.test(c.message)),
      title: p.commits.at(-1)?.message.split('\n')[0] ?? p.ref,
    };
  }
  if (body?.object_kind === 'merge_request') {
    const p = parse(glMerge, body, 'GitLab merge request');
    return {
      host: 'gitlab',
      id: `gitlab:${p.project.path_with_namespace}!${p.object_attributes.iid}`,
      branch: p.object_attributes.target_branch,
      critical: labelled(p.labels.map((l) => l.title)) || CRITICAL_MARKER.test(p.object_attributes.title),
      title: p.object_attributes.title,
    };
  }
  throw new GitWebhookError(
    `object_kind ${JSON.stringify(body?.object_kind ?? null)} is not one Flightdeck reads; send push or merge request events`,
    400,
  );
}
