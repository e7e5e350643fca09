import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { componentObjects, containerEnv, ofKind, type Manifest } from '@flightdeck/deploy/test/objects';
import { components } from '@flightdeck/deploy/test/components';
import { namespace, release } from './cases.js';
import { chartArgs, helm, template } from './helm.js';

// Planning's notification settings (planning.notifications): the ones given reach planning's container as NOTIFY_*
// variables its config accepts; the SMTP URL, which holds a password, only ever by secretKeyRef.

type Secret = { data: Record<string, string> };
const planningSchema = components.find((c) => c.name === 'planning')!.schema;
const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const NOTIFY = /^NOTIFY_/;
const FROM = 'Flightdeck <flightdeck@example.com>';
const SMTP_URL = 'smtp://flightdeck:mail-password-0123@smtp.example.com:587';

function planning(set: Record<string, string> = {}, operatorSecrets: Record<string, Record<string, string>> = {}) {
  const { objects, yaml } = template({ release, namespace, set });
  const { container } = componentObjects(objects, 'planning');
  const env = containerEnv(objects, container, {
    secrets: operatorSecrets,
    keyIsVariable: [`${release}-secrets`],
    pod: { name: `${release}-planning-0`, namespace },
  });
  return { objects, yaml, container, env };
}

const notifyVariables = (c: V1Container) => (c.env ?? []).filter((e) => NOTIFY.test(e.name));
const containers = (objects: Manifest[]) =>
  ofKind<V1Deployment>(objects, 'Deployment').flatMap((d) => d.spec!.template.spec!.containers);
const refused = (set: Record<string, string>) => helm(['template', ...chartArgs({ release, namespace, set })]);

describe("planning's notification settings", () => {
  it('set nothing by default: the service keeps its own defaults, and no container gets a NOTIFY_ variable', () => {
    const { objects, container } = planning();
    expect(notifyVariables(container)).toEqual([]);
    for (const c of containers(objects)) expect(notifyVariables(c), c.name).toEqual([]);
    expect(Object.keys(ofKind<Secret>(objects, 'Secret')[0]!.data)).not.toContain('NOTIFY_SMTP_URL');
  });

  it("reach planning as values and the SMTP URL from the chart's Secret by key, and its config takes them", () => {
    const { objects, yaml, container, env } = planning({
      'planning.notifications.linkBaseUrl': 'https://flightdeck.example.com',
      'planning.notifications.email.from': FROM,
      'planning.notifications.email.smtpUrl': SMTP_URL,
      'planning.notifications.timeoutMs': '15000',
      'planning.notifications.maxAttempts': '4',
      'planning.notifications.retryBaseMs': '3600000',
    });
    const secret = ofKind<Secret>(objects, 'Secret')[0]!;
    expect(decode(secret.data.NOTIFY_SMTP_URL!)).toBe(SMTP_URL);
    const smtp = container.env!.find((e) => e.name === 'NOTIFY_SMTP_URL')!;
    expect(smtp.value).toBeUndefined();
    expect(smtp.valueFrom?.secretKeyRef).toEqual({
      name: secret.metadata.name,
      key: 'NOTIFY_SMTP_URL',
      optional: false,
    });
    // The password is nowhere in the rendering but base64 in the Secret.
    expect(yaml).not.toContain('mail-password-0123');
    expect(Object.fromEntries(notifyVariables(container).map((e) => [e.name, e.value ?? 'secretKeyRef']))).toEqual({
      NOTIFY_LINK_BASE_URL: 'https://flightdeck.example.com',
      NOTIFY_EMAIL_FROM: FROM,
      NOTIFY_SMTP_URL: 'secretKeyRef',
      NOTIFY_TIMEOUT_MS: '15000',
      NOTIFY_MAX_ATTEMPTS: '4',
      NOTIFY_RETRY_BASE_MS: '3600000',
    });
    expect(planningSchema.parse(env)).toMatchObject({
      NOTIFY_LINK_BASE_URL: 'https://flightdeck.example.com',
      NOTIFY_EMAIL_FROM: FROM,
      NOTIFY_SMTP_URL: SMTP_URL,
      NOTIFY_TIMEOUT_MS: 15_000,
      NOTIFY_MAX_ATTEMPTS: 4,
      NOTIFY_RETRY_BASE_MS: 3_600_000,
    });
    for (const c of containers(objects).filter((x) => x.name !== container.name))
      expect(notifyVariables(c), c.name).toEqual([]);
  });

  it('take the SMTP URL from a Secret the operator names, or from the key NOTIFY_SMTP_URL of existingSecret', () => {
    const own = planning(
      {
        'planning.notifications.email.from': FROM,
        'planning.notifications.email.existingSecret': 'mail-relay',
        'planning.notifications.email.existingSecretKey': 'flightdeck-url',
      },
      { 'mail-relay': { 'flightdeck-url': SMTP_URL } },
    );
    expect(own.container.env!.find((e) => e.name === 'NOTIFY_SMTP_URL')!.valueFrom?.secretKeyRef).toEqual({
      name: 'mail-relay',
      key: 'flightdeck-url',
      optional: false,
    });
    expect(planningSchema.parse(own.env)).toMatchObject({ NOTIFY_SMTP_URL: SMTP_URL, NOTIFY_EMAIL_FROM: FROM });

    const shared = planning(
      { existingSecret: 'flightdeck-secrets', 'planning.notifications.email.from': FROM },
      {
        'flightdeck-secrets': {
          AUTH_JWT_SECRET: 's'.repeat(64),
          ALERTMANAGER_WEBHOOK_TOKEN: 't'.repeat(48),
          GITHUB_WEBHOOK_SECRET: 'g'.repeat(40),
          GITLAB_WEBHOOK_TOKEN: 'l'.repeat(40),
          NOTIFY_SMTP_URL: SMTP_URL,
        },
      },
    );
    expect(shared.container.env!.find((e) => e.name === 'NOTIFY_SMTP_URL')!.valueFrom?.secretKeyRef).toEqual({
      name: 'flightdeck-secrets',
      key: 'NOTIFY_SMTP_URL',
      optional: false,
    });
    expect(planningSchema.parse(shared.env)).toMatchObject({ NOTIFY_SMTP_URL: SMTP_URL });
  });

  it('a changed SMTP URL rolls the pods (the checksum annotation follows it)', () => {
    const checksum = (url: string) =>
      componentObjects(
        template({
          release,
          namespace,
          set: { 'planning.notifications.email.from': FROM, 'planning.notifications.email.smtpUrl': url },
        }).objects,
        'planning',
      ).deployment.spec!.template.metadata!.annotations!['checksum/secret'];
    expect(checksum('smtp://a:one@mail:587')).not.toBe(checksum('smtp://a:two@mail:587'));
  });

  it.each([
    [
      { 'planning.notifications.email.from': FROM },
      'planning.notifications.email.from: e-mail also needs its SMTP server',
    ],
    [{ 'planning.notifications.email.smtpUrl': SMTP_URL }, 'planning.notifications.email.from: missing'],
    [
      {
        existingSecret: 'flightdeck-secrets',
        'planning.notifications.email.from': FROM,
        'planning.notifications.email.smtpUrl': SMTP_URL,
      },
      'planning.notifications.email.smtpUrl: not used with existingSecret',
    ],
  ])('an incomplete e-mail setting is refused, saying what to set: %j', (set, says) => {
    const result = refused(set);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(says);
    expect(result.stderr).not.toContain('mail-password-0123');
  });

  it.each([
    ['planning.notifications.email.smtpUrl', 'http://smtp.example.com', 'does not match pattern'],
    ['planning.notifications.linkBaseUrl', 'flightdeck.example.com', 'does not match pattern'],
    ['planning.notifications.maxAttempts', '0', 'minimum'],
    ['planning.notifications.timeoutMs', 'fast', 'want null or integer'],
  ])('a wrong %s is refused by the schema, naming the key', (key, value, says) => {
    const result = refused({ [key]: value });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`at '/${key.replaceAll('.', '/')}'`);
    expect(result.stderr).toContain(says);
  });
});
