import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Service } from '@kubernetes/client-node';
import { requireBinary } from '@flightdeck/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ofKind, type Manifest } from '@flightdeck/deploy/test/objects';
import { namespace, release } from './cases.js';
import { chartDir, template } from './helm.js';
import { ALERTMANAGER_WEBHOOK_PATH } from '@flightdeck/subgraph';

// The PrometheusRule carries files/flightdeck-alerts.yaml as it is (Prometheus's own {{ $labels }} templates
// included), and the Alertmanager example sends alerts to the analytics service's webhook with its token.

const promtool = requireBinary('promtool');
const amtool = requireBinary('amtool');
const work = mkdtempSync(join(tmpdir(), 'flightdeck-alerts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const rulesFile = join(chartDir, 'files/flightdeck-alerts.yaml');
type Rule = {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};
type Groups = { groups: { name: string; rules: Rule[] }[] };

function promtoolCheckRules(groups: Groups): string {
  const file = join(work, `rules-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(groups));
  return execFileSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
}

describe('the PrometheusRule (monitoring-values.yaml)', () => {
  const { objects } = template({ release, namespace, valuesFiles: ['monitoring-values.yaml'] });
  const rule = ofKind<{ spec: Groups }>(objects, 'PrometheusRule')[0]!;
  const file = parse(readFileSync(rulesFile, 'utf8')) as Groups;

  it('is the rules file, with the additional labels on every alert and its own labels kept', () => {
    expect(file.groups.length).toBeGreaterThan(0);
    const expected = structuredClone(file);
    for (const g of expected.groups) for (const r of g.rules) if (r.alert) r.labels = { team: 'platform', ...r.labels };
    expect(rule.spec).toEqual(expected);
    expect(rule.metadata).toMatchObject({
      name: release,
      namespace: 'monitoring',
      labels: { release: 'kube-prometheus-stack' },
    });
  });

  it("keeps Prometheus's {{ $labels }} and {{ $value }} templates untouched", () => {
    const annotations = (g: Groups) => g.groups.flatMap((x) => x.rules.map((r) => r.annotations ?? {}));
    expect(JSON.stringify(annotations(file))).toContain('{{ $labels.');
    expect(annotations(rule.spec)).toEqual(annotations(file));
  });

  it('passes promtool check rules, as does the plain file', () => {
    expect(promtoolCheckRules(rule.spec)).toMatch(/SUCCESS: \d+ rules found/);
    expect(execFileSync(promtool, ['check', 'rules', rulesFile], { encoding: 'utf8' })).toMatch(
      /SUCCESS: \d+ rules found/,
    );
  });

  it('scrapes every service through the ServiceMonitor, in the release namespace', () => {
    const monitor = ofKind<{
      spec: {
        selector: { matchLabels: Record<string, string> };
        namespaceSelector: { matchNames: string[] };
        endpoints: { port: string; path: string }[];
      };
    }>(objects, 'ServiceMonitor')[0]!;
    expect(monitor.spec.namespaceSelector.matchNames).toEqual([namespace]);
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    const selected = ofKind<V1Service>(objects, 'Service').filter((s) =>
      Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v),
    );
    expect(selected.map((s) => s.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual([
      'analytics',
      'deployment',
      'gates',
      'gateway',
      'planning',
    ]);
    for (const s of selected) expect(s.spec?.ports?.map((p) => p.name)).toContain('http');
  });
});

it('renders neither ServiceMonitor nor PrometheusRule unless asked', () => {
  const { objects } = template({ release, namespace });
  expect(objects.filter((o: Manifest) => o.metadata && ['ServiceMonitor', 'PrometheusRule'].includes(o.kind))).toEqual(
    [],
  );
});

describe('the Alertmanager example (helm/flightdeck/examples/alertmanager.yaml)', () => {
  const example = join(chartDir, 'examples/alertmanager.yaml');
  type Config = {
    receivers: {
      name: string;
      webhook_configs?: {
        url: string;
        send_resolved?: boolean;
        max_alerts?: number;
        http_config?: { authorization?: { type?: string; credentials_file?: string } };
      }[];
    }[];
  };
  const config = parse(readFileSync(example, 'utf8')) as Config;
  const webhook = config.receivers.flatMap((r) => r.webhook_configs ?? [])[0]!;

  it('is a configuration Alertmanager accepts', () => {
    expect(execFileSync(amtool, ['check-config', example], { encoding: 'utf8' })).toContain('SUCCESS');
  });

  it("posts to the analytics Service's incident webhook, resolved notifications included, with the webhook token", () => {
    const { objects } = template({ release, namespace });
    const analytics = ofKind<V1Service>(objects, 'Service').find(
      (s) => s.metadata.labels?.['app.kubernetes.io/component'] === 'analytics',
    )!;
    const url = new URL(webhook.url);
    expect(url.hostname).toBe(`${analytics.metadata.name}.${namespace}.svc`);
    expect(Number(url.port)).toBe(analytics.spec?.ports?.[0]?.port);
    // The shared receiver's path, which analytics' Alertmanager test posts to with a real Alertmanager.
    expect(url.pathname).toBe(ALERTMANAGER_WEBHOOK_PATH);
    expect(webhook.send_resolved).toBe(true);
    expect(webhook.max_alerts).toBeGreaterThan(0);
    expect(webhook.max_alerts).toBeLessThanOrEqual(1000);
    const secret = ofKind<{ data: Record<string, string> }>(objects, 'Secret')[0]!;
    expect(webhook.http_config?.authorization?.type).toBe('Bearer');
    expect(webhook.http_config?.authorization?.credentials_file).toBe(
      `/etc/alertmanager/secrets/${secret.metadata.name}/ALERTMANAGER_WEBHOOK_TOKEN`,
    );
    expect(Object.keys(secret.data)).toContain('ALERTMANAGER_WEBHOOK_TOKEN');
  });

  it("is the route and receiver the chart's README shows", () => {
    const readme = readFileSync(join(chartDir, 'README.md'), 'utf8');
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => parse(m[1]!) as Config)
      .find((c) => c.receivers?.length);
    expect(block, 'a ```yaml block with receivers in helm/flightdeck/README.md').toBeDefined();
    expect(block!.receivers.find((r) => r.name === 'flightdeck-incidents')).toEqual(
      config.receivers.find((r) => r.name === 'flightdeck-incidents'),
    );
  });
});
