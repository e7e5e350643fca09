import type { DemoApi } from './api.js';

/** The demo product's own gates: each asks for evidence a CI job produces and an approval by the role that owns it. */
export const DEMO_GATES = [
  {
    name: 'FEATURE_COMPLETE',
    criteria: [
      { id: 'scope-done', name: 'All planned features done', kind: 'scope' },
      {
        id: 'code-freeze',
        name: 'Code freeze checklist',
        kind: 'checklist',
        items: [
          { id: 'reviews-done', label: 'Code reviews done' },
          { id: 'branch-cut', label: 'Release branch cut' },
        ],
      },
    ],
    approvals: [{ role: 'TECHNICAL_LEAD', count: 1 }],
  },
  {
    name: 'ALPHA',
    criteria: [
      {
        id: 'feature-complete-passed',
        name: 'Feature Complete gate passed',
        kind: 'upstream',
        gate: 'FEATURE_COMPLETE',
      },
      { id: 'system-tests', name: 'System tests passing', kind: 'tests', maxFailures: 0, minTests: 3 },
    ],
    approvals: [{ role: 'QA_LEAD', count: 1 }],
  },
  {
    name: 'BETA',
    criteria: [
      { id: 'alpha-passed', name: 'Alpha gate passed', kind: 'upstream', gate: 'ALPHA' },
      {
        id: 'beta-checklist',
        name: 'Beta checklist',
        kind: 'checklist',
        items: [
          { id: 'uat-done', label: 'User acceptance done' },
          { id: 'docs-done', label: 'Documentation done' },
        ],
      },
    ],
    approvals: [{ role: 'PRODUCT_OWNER', count: 1 }],
  },
  {
    name: 'PRODUCTION',
    criteria: [
      { id: 'beta-passed', name: 'Beta gate passed', kind: 'upstream', gate: 'BETA' },
      { id: 'regression-tests', name: 'Regression tests passing', kind: 'tests', maxFailures: 0, minTests: 3 },
      { id: 'line-coverage', name: 'Line coverage at least 80%', kind: 'coverage', metric: 'line', min: 80 },
    ],
    approvals: [{ role: 'RELEASE_MANAGER', count: 1 }],
    fourEyes: true,
  },
];

export async function defineDemoGates(api: DemoApi, product: string): Promise<void> {
  for (const d of DEMO_GATES) {
    await api.as(
      'rita',
      'mutation($p: String!, $d: JSON!) { defineGate(product: $p, definition: $d) { name version } }',
      { p: product, d },
    );
  }
}
