import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTokenVerifier, ROLES } from '@flightdeck/auth';
import { describe, expect, it } from 'vitest';
import { componentObjects, containerEnv, ofKind } from '@flightdeck/deploy/test/objects';
import { namespace, release } from './cases.js';
import { chartDir, notes, repoRoot, template } from './helm.js';

// The README's table of values is the one readme-generator-for-helm makes from values.yaml's `## @param` comments,
// and the notes printed after an install tell what is true of that install.

describe('README.md', () => {
  it('has the table of values readme-generator-for-helm makes from values.yaml (npm run docs -w @flightdeck/helm-chart)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flightdeck-readme-'));
    copyFileSync(join(chartDir, 'README.md'), join(dir, 'README.md'));
    // It fails listing every value without a `## @param` comment and every comment without a value.
    execFileSync(
      join(repoRoot, 'node_modules/.bin/readme-generator'),
      ['--values', join(chartDir, 'values.yaml'), '--readme', join(dir, 'README.md')],
      { encoding: 'utf8' },
    );
    const generated = readFileSync(join(dir, 'README.md'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(readFileSync(join(chartDir, 'README.md'), 'utf8'), 'run: npm run docs -w @flightdeck/helm-chart').toBe(
      generated,
    );
  });
});

describe('NOTES.txt', () => {
  it('tells the defaults: port-forward to the gateway, the HS256 token command, the alerts file and the incident webhook', () => {
    const text = notes({ release, namespace });
    expect(text).toContain(`kubectl -n ${namespace} port-forward service/${release}-gateway 4000:4000`);
    expect(text).toContain('http://127.0.0.1:4000/graphql');
    expect(text).toContain(
      `kubectl -n ${namespace} get secret ${release}-secrets -o jsonpath='{.data.AUTH_JWT_SECRET}' | base64 -d`,
    );
    expect(text).toContain('npm run mint-token -- --user alice --roles RELEASE_MANAGER');
    expect(text).toContain('files/flightdeck-alerts.yaml');
    const { objects } = template({ release, namespace });
    const analytics = ofKind(objects, 'Service').find(
      (s) => s.metadata.labels?.['app.kubernetes.io/component'] === 'analytics',
    )!;
    expect(text).toContain(`url: http://${analytics.metadata.name}.${namespace}.svc:4004/webhooks/alertmanager`);
    expect(text).toContain(`key ALERTMANAGER_WEBHOOK_TOKEN of Secret ${release}-secrets`);
    expect(text).not.toContain('WARNING');
  });

  it('with JWKS: the identity provider, its claims and every role Flightdeck knows, and no shared secret', () => {
    const text = notes({ release, namespace, valuesFiles: ['jwks-values.yaml'] });
    expect(text).toContain('https://login.example.com/realms/flightdeck/protocol/openid-connect/certs');
    expect(text).toContain('iss "https://login.example.com/realms/flightdeck", aud "flightdeck-api"');
    expect(text).toContain(`a list of roles among ${ROLES.join(', ')}.`);
    expect(text).not.toContain('mint-token');
  });

  it('with an Ingress and TLS: the https URL', () => {
    expect(notes({ release, namespace, valuesFiles: ['ingress-tls-values.yaml'] })).toContain(
      'https://flightdeck.example.com/graphql',
    );
  });

  it('with the Prometheus Operator: where the ServiceMonitor and PrometheusRule are', () => {
    const text = notes({ release, namespace, valuesFiles: ['monitoring-values.yaml'] });
    expect(text).toContain(`ServiceMonitor ${release} (monitoring)`);
    expect(text).toContain(`PrometheusRule ${release} in monitoring`);
  });

  it('with services disabled: a warning for one run nowhere, none for one run elsewhere, and no webhook without analytics', () => {
    const text = notes({ release, namespace, valuesFiles: ['disabled-services-values.yaml'] });
    expect(text).toContain('WARNING: deployment is disabled and deployment.externalUrl is empty');
    expect(text).not.toContain('WARNING: analytics');
    expect(text).not.toContain('/webhooks/alertmanager');
  });

  it("mints, with the notes' command as written, a token the gateway of that install accepts", async () => {
    const opts = {
      release,
      namespace,
      set: {
        'auth.issuer': 'https://flightdeck.example.com',
        'auth.audience': 'flightdeck-api',
        'auth.jwtSecret': 'k'.repeat(40),
      },
    };
    const command = notes(opts)
      .split('\n')
      .find((l) => l.includes('npm run mint-token'))!
      .trim();
    const { objects } = template(opts);
    const gateway = containerEnv(objects, componentObjects(objects, 'gateway').container, {
      secrets: {},
      keyIsVariable: [],
      pod: { name: 'gateway', namespace },
    });
    // The notes' first line reads AUTH_JWT_SECRET from the installed Secret; here it is the rendered one.
    const { stdout } = await promisify(execFile)('sh', ['-c', command], {
      cwd: repoRoot,
      env: { ...process.env, AUTH_JWT_SECRET: gateway.AUTH_JWT_SECRET },
      timeout: 60_000,
    });
    const token = stdout.trim().split('\n').pop()!;
    const verifier = createTokenVerifier({
      secret: gateway.AUTH_JWT_SECRET!,
      issuer: gateway.AUTH_ISSUER!,
      audience: gateway.AUTH_AUDIENCE!,
    });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'alice', roles: ['RELEASE_MANAGER'] });
  });
});
