import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../manifests.js';

export const rulesFile = join(repoRoot, 'helm/flightdeck/files/flightdeck-alerts.yaml');
export const rulesTestFile = join(repoRoot, 'helm/flightdeck/files/flightdeck-alerts.test.yaml');
export const runbooksFile = join(repoRoot, 'helm/flightdeck/docs/runbooks.md');
/** Where every runbook_url points: the runbooks file on the default branch, one anchor per alert. */
export const RUNBOOK_BASE = 'https://github.com/flightdeck/flightdeck/blob/main/helm/flightdeck/docs/runbooks.md';

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleTests {
  tests: {
    name: string;
    input_series: { series: string; values: string }[];
    alert_rule_test?: {
      eval_time: string;
      alertname: string;
      exp_alerts?: { exp_labels?: Record<string, string> }[];
    }[];
  }[];
}

export function loadRules(): AlertRule[] {
  const doc = parse(readFileSync(rulesFile, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

export function loadRuleTests(): RuleTests {
  return parse(readFileSync(rulesTestFile, 'utf8')) as RuleTests;
}

/** The `$labels.x` an annotation template reads. */
export function templateLabels(template: string): string[] {
  return [...template.matchAll(/\$labels\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}
