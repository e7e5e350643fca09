import { execFile } from 'node:child_process';
import { domain as deploymentDomain } from '@flightdeck/deployment';
import { gateEvaluationCompleted } from '@flightdeck/events';
import { GATE_TEMPLATES } from '@flightdeck/gates';
import { DEADLINES, eventually, requireBinary } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveFlightdeck } from './drive.js';
import { SERVICES, startFlightdeck, type Flightdeck } from './flightdeck.js';
import { analyseExpression, analyseSeries, type SeriesCatalog } from './promql.js';
import { loadRules, loadRuleTests, templateLabels } from './rules.js';

const promtool = requireBinary('promtool');
const rules = loadRules();

/**
 * prom-client's default metrics name three gauges `nodejs_active_{handles,requests,resources}_total`, which
 * `promtool check metrics` flags ("non-counter metrics should not have _total suffix"). They are the library's, with
 * names dashboards already use; renaming them here would break those dashboards for no gain. Nothing else may be flagged.
 */
const ALLOWED_LINTS = [
  'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
];

/** Label values the services use that a test run does not show on /metrics (only the current phase of a rollout is exported). */
const DOMAIN_VALUES: Record<string, string[]> = {
  phase: deploymentDomain.PHASES,
  gate: GATE_TEMPLATES.map((t) => t.name),
  outcome: gateEvaluationCompleted.schema.shape.outcome.options,
};

/** Metrics the driving makes appear; Prometheus has scraped the driven state once they are all there. */
const DRIVEN = [
  'flightdeck_planning_release_gate_outcome',
  'flightdeck_deployment_rollout_phase_entered_timestamp_seconds',
  'flightdeck_analytics_release_critical_incidents',
  'flightdeck_release_deployment_success_ratio',
  'flightdeck_dora_change_failure_ratio',
  'flightdeck_analytics_metrics_age_seconds',
];

interface Series {
  labels: SeriesCatalog;
  values: Map<string, Map<string, Set<string>>>;
}

/** Every series the Prometheus has: what the services export, with the job and instance it adds, and its own `up`. */
async function seriesOf(prometheusUrl: string): Promise<Series> {
  const res = await fetch(`${prometheusUrl}/api/v1/series?${new URLSearchParams({ 'match[]': '{__name__=~".+"}' })}`);
  const body = (await res.json()) as { status: string; data: Record<string, string>[] };
  if (body.status !== 'success') throw new Error(`prometheus /api/v1/series answered ${res.status}`);
  const labels: SeriesCatalog = new Map();
  const values = new Map<string, Map<string, Set<string>>>();
  for (const { __name__: name, ...rest } of body.data) {
    const l = labels.get(name!) ?? new Set<string>();
    const v = values.get(name!) ?? new Map<string, Set<string>>();
    for (const [k, value] of Object.entries(rest)) {
      l.add(k);
      v.set(k, (v.get(k) ?? new Set()).add(value));
    }
    labels.set(name!, l);
    values.set(name!, v);
  }
  return { labels, values };
}

describe('the alert rules against what the running services export', () => {
  let fd: Flightdeck;
  let series: Series;

  beforeAll(async () => {
    fd = await startFlightdeck();
    await driveFlightdeck(fd);
    series = await eventually(
      'Prometheus to scrape the driven state of every service',
      async () => {
        const s = await seriesOf(fd.prometheus.url);
        return DRIVEN.every((m) => s.labels.has(m)) ? s : undefined;
      },
      DEADLINES.cluster,
    );
  }, 240_000);
  afterAll(async () => {
    await fd?.stop();
  });

  it('names only metrics and labels the services export, and groups and joins only by labels still there', () => {
    const problems = rules.flatMap((r) =>
      analyseExpression(r.expr, series.labels).problems.map((p) => `${r.alert}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('fills every annotation from labels the alert has', () => {
    const problems = rules.flatMap((r) => {
      const { outputLabels } = analyseExpression(r.expr, series.labels);
      const has = new Set([...(outputLabels ?? []), ...Object.keys(r.labels ?? {})]);
      return Object.entries(r.annotations ?? {}).flatMap(([name, template]) =>
        templateLabels(template)
          .filter((l) => !has.has(l))
          .map(
            (l) =>
              `${r.alert}: annotation ${name} reads $labels.${l}, which the alert does not have (it has ${[...has].sort().join(', ')})`,
          ),
      );
    });
    expect(problems).toEqual([]);
  });

  it('matches only label values the services use', () => {
    const problems = rules.flatMap((r) =>
      analyseExpression(r.expr, series.labels).matchers.flatMap((m) => {
        const known = new Set([
          ...(series.values.get(m.metric)?.get(m.label) ?? []),
          ...(DOMAIN_VALUES[m.label] ?? []),
        ]);
        // A plain value, or an alternation of plain values (PROMOTING|ROLLING_BACK); other regular expressions are not checked.
        const wanted = m.op.includes('~') ? (/^[\w-]+(\|[\w-]+)*$/.test(m.value) ? m.value.split('|') : []) : [m.value];
        return wanted
          .filter((v) => !known.has(v))
          .map(
            (v) =>
              `${r.alert}: ${m.metric}{${m.label}${m.op}"${m.value}"}: no service uses ${m.label}="${v}" (known: ${[...known].sort().join(', ')})`,
          );
      }),
    );
    expect(problems).toEqual([]);
  });

  it('unit-tests the rules on series with the names and labels the services export', () => {
    const problems = loadRuleTests().tests.flatMap((t) =>
      t.input_series.flatMap((s) =>
        analyseSeries(s.series, series.labels).problems.map((p) => `test "${t.name}": ${p}`),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('evaluates every rule without error in a Prometheus that scrapes the services', async () => {
    const groups = await eventually(
      'every rule group evaluated',
      async () => {
        const body = (await (await fetch(`${fd.prometheus.url}/api/v1/rules`)).json()) as {
          data: {
            groups: {
              name: string;
              lastEvaluation: string;
              rules: { name: string; health: string; lastError?: string }[];
            }[];
          };
        };
        const g = body.data.groups;
        return g.length > 0 && g.every((x) => !x.lastEvaluation.startsWith('0001')) ? g : undefined;
      },
      DEADLINES.stack,
    );
    const loaded = groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(rules.map((r) => r.alert).sort());
    expect(loaded.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual(
      [],
    );
  });

  it("passes promtool check metrics on every service's /metrics, but for prom-client's three nodejs_active_*_total gauges", async () => {
    const lints: Record<string, string[]> = {};
    for (const service of SERVICES) {
      const text = await (await fetch(`${fd.urls[service]}/metrics`)).text();
      const output = await new Promise<string>((resolve) => {
        const child = execFile(promtool, ['check', 'metrics'], { timeout: 60_000 }, (_err, stdout, stderr) =>
          resolve(`${stdout}${stderr}`),
        );
        child.stdin!.end(text);
      });
      lints[service] = output.split('\n').filter((l) => l.trim() !== '');
    }
    expect(lints).toEqual(Object.fromEntries(SERVICES.map((s) => [s, ALLOWED_LINTS])));
  });
});
