import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { componentObjects, containerEnv, ofKind } from '@flightdeck/deploy/test/objects';
import { components } from '@flightdeck/deploy/test/components';
import { namespace, release } from './cases.js';
import { chartArgs, helm, template } from './helm.js';

// Planning's Git webhooks (code-freeze decisions for GitHub and GitLab) work from the first install: their secrets
// are in the chart's Secret (given, or generated and kept), reach planning by key, and are what its config accepts.

type Secret = { data: Record<string, string> };
const planningSchema = components.find((c) => c.name === 'planning')!.schema;
const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

function planningEnv(set: Record<string, string> = {}) {
  const { objects } = template({ release, namespace, set });
  const { container } = componentObjects(objects, 'planning');
  const env = containerEnv(objects, container, {
    secrets: {},
    keyIsVariable: [`${release}-secrets`],
    pod: { name: `${release}-planning-0`, namespace },
  });
  return { objects, container, env };
}

describe("the Git webhooks' secrets", () => {
  it("are put in the chart's Secret from the values and given to planning by key, and its config takes them", () => {
    const github = 'github-hook-secret-0123456789';
    const gitlab = 'gitlab-hook-token-0123456789';
    const { objects, container, env } = planningEnv({
      'planning.githubWebhookSecret': github,
      'planning.gitlabWebhookToken': gitlab,
    });
    const secret = ofKind<Secret>(objects, 'Secret')[0]!;
    expect(decode(secret.data.GITHUB_WEBHOOK_SECRET!)).toBe(github);
    expect(decode(secret.data.GITLAB_WEBHOOK_TOKEN!)).toBe(gitlab);
    for (const key of ['GITHUB_WEBHOOK_SECRET', 'GITLAB_WEBHOOK_TOKEN'])
      expect(container.env?.find((e) => e.name === key)?.valueFrom?.secretKeyRef).toEqual({
        name: secret.metadata.name,
        key,
        optional: false,
      });
    expect(planningSchema.parse(env)).toMatchObject({ GITHUB_WEBHOOK_SECRET: github, GITLAB_WEBHOOK_TOKEN: gitlab });
  });

  it('are generated (48 characters) when left empty, different from each other, and only planning gets them', () => {
    const { objects, env } = planningEnv();
    expect(env.GITHUB_WEBHOOK_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(env.GITLAB_WEBHOOK_TOKEN).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(env.GITHUB_WEBHOOK_SECRET).not.toBe(env.GITLAB_WEBHOOK_TOKEN);
    for (const d of ofKind<V1Deployment>(objects, 'Deployment').filter(
      (x) => x.metadata.labels?.['app.kubernetes.io/component'] !== 'planning',
    ))
      expect(
        d.spec!.template.spec!.containers.flatMap((c) => (c.env ?? []).map((e) => e.name)),
        d.metadata.name,
      ).not.toContain('GITHUB_WEBHOOK_SECRET');
  });

  it('a changed secret rolls the pods (the checksum annotation follows it)', () => {
    const checksum = (set: Record<string, string>) =>
      ofKind<V1Deployment>(template({ release, namespace, set }).objects, 'Deployment').find(
        (d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'planning',
      )!.spec!.template.metadata!.annotations!['checksum/secret'];
    expect(checksum({ 'planning.gitlabWebhookToken': 'a'.repeat(20) })).not.toBe(
      checksum({ 'planning.gitlabWebhookToken': 'b'.repeat(20) }),
    );
  });

  it('a secret shorter than 16 characters is refused, naming the key and not the value', () => {
    const result = helm(['template', ...chartArgs({}), '--set', 'planning.githubWebhookSecret=hunter2-short']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("at '/planning/githubWebhookSecret'");
    expect(result.stderr).not.toContain('hunter2');
  });
});
