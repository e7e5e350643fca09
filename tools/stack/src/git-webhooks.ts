import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The secrets planning's Git webhooks check (GitHub signs with one, GitLab sends the other as X-Gitlab-Token). */
export interface LocalGitWebhookSecrets {
  github: string;
  gitlab: string;
  /** The file they are kept in when they were generated, so a Git host (or curl) can be given the same ones. */
  file: string;
}

export const gitWebhookSecretsFile = (dataDir: string) => join(resolve(dataDir), 'git-webhook-secrets.json');

/**
 * GITHUB_WEBHOOK_SECRET and GITLAB_WEBHOOK_TOKEN when set; otherwise secrets generated on the first start and kept in
 * the data directory, so the webhooks answer from the first run (a receiver without a secret answers 503) and keep
 * their secrets across restarts.
 */
export function ensureGitWebhookSecrets(
  dataDir: string,
  env: { GITHUB_WEBHOOK_SECRET?: string; GITLAB_WEBHOOK_TOKEN?: string },
): LocalGitWebhookSecrets {
  const file = gitWebhookSecretsFile(dataDir);
  let kept: Partial<Record<'github' | 'gitlab', string>> = {};
  try {
    kept = JSON.parse(readFileSync(file, 'utf8')) as typeof kept;
  } catch {
    // first start (or an unreadable file): new ones are written below
  }
  const generated = {
    github: typeof kept.github === 'string' && kept.github.length >= 16 ? kept.github : randomBytes(24).toString('hex'),
    gitlab: typeof kept.gitlab === 'string' && kept.gitlab.length >= 16 ? kept.gitlab : randomBytes(24).toString('hex'),
  };
  if (generated.github !== kept.github || generated.gitlab !== kept.gitlab) {
    mkdirSync(resolve(dataDir), { recursive: true });
    writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    github: env.GITHUB_WEBHOOK_SECRET ?? generated.github,
    gitlab: env.GITLAB_WEBHOOK_TOKEN ?? generated.gitlab,
    file,
  };
}
