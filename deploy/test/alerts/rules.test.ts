import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { domain } from '@flightdeck/analytics';
import { requireBinary } from '@flightdeck/testing';
import { describe, expect, it } from 'vitest';
import { loadRules, loadRuleTests, RUNBOOK_BASE, rulesFile, rulesTestFile, runbooksFile } from './rules.js';

const run = promisify(execFile);
const promtool = requireBinary('promtool');
const rules = loadRules();
const SEVERITIES = ['critical', 'warning'];

/** promtool's output, whether it passed or not. */
async function promtoolRun(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(promtool, args, { cwd: dirname(rulesFile), timeout: 120_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('helm/flightdeck/files/flightdeck-alerts.yaml', () => {
  it('is a valid Prometheus rules file (promtool check rules)', async () => {
    const { code, output } = await promtoolRun(['check', 'rules', rulesFile]);
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(code, output).toBe(0);
  });

  it('passes its unit tests (promtool test rules): every alert fires on its series and stays silent otherwise', async () => {
    const { code, output } = await promtoolRun(['test', 'rules', rulesTestFile]);
    expect(code, output).toBe(0);
    expect(output).toContain('SUCCESS');
  });

  it('has a unit test per alert both where it fires and where it stays silent', () => {
    const evals = loadRuleTests().tests.flatMap((t) => t.alert_rule_test ?? []);
    const missing = rules.flatMap((r) => {
      const own = evals.filter((e) => e.alertname === r.alert);
      return [
        ...(own.some((e) => (e.exp_alerts ?? []).length > 0) ? [] : [`${r.alert}: no case where it fires`]),
        ...(own.some((e) => (e.exp_alerts ?? []).length === 0) ? [] : [`${r.alert}: no case where it stays silent`]),
      ];
    });
    expect(missing).toEqual([]);
    const unknown = evals.map((e) => e.alertname).filter((name) => !rules.some((r) => r.alert === name));
    expect(unknown).toEqual([]);
  });

  it('gives every alert a for, a severity, a summary, a description and a runbook section of its own', () => {
    const runbooks = readFileSync(runbooksFile, 'utf8');
    const sections = [...runbooks.matchAll(/^## (\S+)$/gm)].map((m) => m[1]!);
    const problems = rules.flatMap((r) => {
      const p: string[] = [];
      if (r.for === undefined) p.push('no for:');
      if (!SEVERITIES.includes(r.labels?.severity ?? ''))
        p.push(`severity "${r.labels?.severity}" is not one of ${SEVERITIES.join(', ')}`);
      if (!r.annotations?.summary || !r.annotations.description) p.push('no summary or description');
      if (r.annotations?.runbook_url !== `${RUNBOOK_BASE}#${r.alert.toLowerCase()}`)
        p.push(`runbook_url ${r.annotations?.runbook_url} is not ${RUNBOOK_BASE}#${r.alert.toLowerCase()}`);
      if (!sections.includes(r.alert)) p.push(`no "## ${r.alert}" section in helm/flightdeck/docs/runbooks.md`);
      return p.map((x) => `${r.alert}: ${x}`);
    });
    expect(problems).toEqual([]);
    // and no runbook section for an alert that does not exist
    expect(sections.filter((s) => !rules.some((r) => r.alert === s))).toEqual([]);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it("alerts at the release process's targets, as analytics computes them", () => {
    const expr = (alert: string) => rules.find((r) => r.alert === alert)!.expr;
    expect(expr('FlightdeckDeploymentSuccessRateLow')).toContain(`< ${domain.KPI_TARGETS.deploymentSuccessRate}`);
    expect(expr('FlightdeckChangeFailureRateHigh')).toContain(`> ${domain.BANDS.changeFailureRate.high}`);
  });
});
