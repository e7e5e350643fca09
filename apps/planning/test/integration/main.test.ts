// Brings in the typing of inject() provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { mintToken } from '@flightdeck/auth';
import { databaseUri, freePort, gql, type RunningProcess, startProcess } from '@flightdeck/testing';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const secret = 'planning-main-secret-at-least-32-characters';
const hookSecret = 'github-webhook-secret-of-main';
const cleanEnv = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(AUTH_|AI_|GITHUB_WEBHOOK_SECRET$|GITLAB_WEBHOOK_TOKEN$|MONGODB_URI$|NATS_URL$|PORT$|HOST$)/.test(k),
    ),
  );

// main.ts runs in a fresh Node process with tsx: generous timeouts for busy machines.
describe('apps/planning/src/main.ts', { timeout: 120_000 }, () => {
  let planning: RunningProcess | undefined;

  afterAll(async () => {
    await planning?.stop();
  });

  it('runs on its own from the environment, serves GraphQL and stops on SIGTERM', async () => {
    const port = await freePort();
    planning = await startProcess(process.execPath, ['--import', 'tsx', main], {
      name: 'planning',
      env: {
        ...cleanEnv(),
        PORT: String(port),
        MONGODB_URI: databaseUri(inject('mongoUri'), 'planning-main'),
        NATS_URL: inject('natsUrl'),
        AUTH_JWT_SECRET: secret,
        GITHUB_WEBHOOK_SECRET: hookSecret,
        LOG_LEVEL: 'info',
      },
      isReady: (out) => out.includes('planning serving GraphQL'),
      timeoutMs: 90_000,
    });
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const token = await mintToken({ secret, subject: 'rita', roles: ['RELEASE_MANAGER'] });
    const created = await gql<{ createRelease: { type: string } }>(
      `${base}/graphql`,
      'mutation($i: CreateReleaseInput!) { createRelease(input: $i) { type } }',
      {
        i: {
          product: 'billing',
          version: '0.1.0',
          theme: 'first',
          owner: 'rita',
          targetDate: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      },
      token,
    );
    expect(created).toEqual({ status: 200, data: { createRelease: { type: 'MINOR' } } });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('service="planning"');

    // GITHUB_WEBHOOK_SECRET turns the GitHub receiver on; GitLab's, without its token, says what to set.
    const push = readFileSync(fileURLToPath(new URL('../fixtures/git-webhooks/github-push.json', import.meta.url)));
    const signature = `sha256=${createHmac('sha256', hookSecret).update(push).digest('hex')}`;
    const github = await fetch(`${base}/webhooks/git/github?release=billing@0.1.0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature },
      body: push,
    });
    expect(await github.json()).toMatchObject({
      allowed: true,
      frozen: false,
      reason: 'billing 0.1.0 is PLANNING: the code is not frozen',
    });
    const gitlab = await fetch(`${base}/webhooks/git/gitlab?release=billing@0.1.0`, {
      method: 'POST',
      headers: { 'x-gitlab-token': 'anything-at-all-here' },
      body: '{}',
    });
    expect(gitlab.status).toBe(503);
    expect(await gitlab.json()).toEqual({
      error: 'this receiver is off: set GITLAB_WEBHOOK_TOKEN to the secret token of the GitLab webhook',
    });
    await planning.stop('SIGTERM', 15_000);
    expect(planning.child.exitCode).toBe(0);
    expect(planning.output()).toContain('close MongoDB');
  });
});
