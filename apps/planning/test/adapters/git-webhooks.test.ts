import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  GitWebhookError,
  githubChange,
  gitlabChange,
  verifyGitHubSignature,
  verifyGitLabToken,
} from '../../src/adapters/http/git-webhooks.js';

const payload = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/git-webhooks/${name}`, import.meta.url)));
const secret = 'webhook-secret-of-the-repository';

describe('GitHub webhooks (real payloads)', () => {
  it('verifies X-Hub-Signature-256 over the raw body', () => {
    const body = payload('github-push.json');
    const header = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect(() => verifyGitHubSignature(body, header, secret)).not.toThrow();
    expect(() => verifyGitHubSignature(Buffer.concat([body, Buffer.from(' ')]), header, secret)).toThrow(
      'X-Hub-Signature-256 does not match the body and the webhook secret',
    );
    expect(() => verifyGitHubSignature(body, undefined, secret)).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('reads a push into its commit and branch', () => {
    expect(githubChange('push', payload('github-push.json'))).toEqual({
      host: 'github',
      id: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      branch: 'master',
      critical: false,
      title: 'Initial commit',
    });
  });

  it('reads a pull request into the repository-qualified number; a critical label makes it critical', () => {
    const body = payload('github-pull_request-labeled.json');
    expect(githubChange('pull_request', body)).toMatchObject({
      id: 'github:Codertocat/Hello-World#2',
      branch: 'master',
      critical: false,
      title: 'Update the README with new information.',
    });
    const critical = JSON.parse(body.toString());
    critical.pull_request.labels.push({ name: 'critical' });
    expect(githubChange('pull_request', Buffer.from(JSON.stringify(critical))).critical).toBe(true);
  });

  it('a malformed payload or another event is refused naming what is wrong', () => {
    expect(() => githubChange('push', Buffer.from('{"ref":'))).toThrow(/^the body is not JSON/);
    expect(() => githubChange('push', Buffer.from('{"ref":"refs/heads/main"}'))).toThrow(
      /^not a GitHub push payload: after: /,
    );
    expect(() => githubChange('issues', payload('github-push.json'))).toThrow(
      'X-GitHub-Event "issues" is not one Flightdeck reads; send push or pull_request events',
    );
    expect(() => githubChange('push', Buffer.from('{}'))).toThrow(GitWebhookError);
  });
});

describe('GitLab webhooks (real payloads)', () => {
  it('checks X-Gitlab-Token', () => {
    expect(() => verifyGitLabToken(secret, secret)).not.toThrow();
    expect(() => verifyGitLabToken('guess', secret)).toThrow('X-Gitlab-Token does not match the webhook secret');
  });

  it('reads a push and a merge request', () => {
    expect(gitlabChange(payload('gitlab-push.json'))).toMatchObject({
      host: 'gitlab',
      id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      branch: 'master',
      critical: false,
    });
    expect(gitlabChange(payload('gitlab-merge_request.json'))).toMatchObject({
      id: 'gitlab:gitlabhq/gitlab-test!1',
      branch: 'master',
      critical: false,
      title: 'MS-Viewport',
    });
  });

  it('refuses another kind', () => {
    expect(() => gitlabChange(Buffer.from('{"object_kind":"issue"}'))).toThrow(
      'object_kind "issue" is not one Flightdeck reads; send push or merge request events',
    );
  });
});
