import { criterionSchema, type Criterion, type CriterionInput } from './criteria.js';
import type { GateDefinition } from './gate-definition.js';

const c = (input: CriterionInput): Criterion => criterionSchema.parse(input);
const checklist = (id: string, name: string, items: [string, string][], hard = true) =>
  c({ id, name, kind: 'checklist', hard, items: items.map(([i, label]) => ({ id: i, label })) });

type Template = Omit<GateDefinition, 'product' | 'version' | 'definedBy' | 'definedAt'>;

/**
 * The standard gates (docs/ARCHITECTURE.md, "Quality gates") and the reduced hotfix gate. A product starts with these; defining a
 * gate of the same name for the product replaces the template for that product.
 */
export const GATE_TEMPLATES: Template[] = [
  {
    name: 'FEATURE_COMPLETE',
    title: 'Feature Complete',
    order: 10,
    appliesTo: 'STANDARD',
    criteria: [
      c({ id: 'scope-done', name: 'All planned features done', kind: 'scope' }),
      checklist('code-freeze', 'Code freeze checklist', [
        ['reviews-done', 'Code reviews done'],
        ['branch-cut', 'Release branch cut'],
      ]),
      c({ id: 'unit-coverage', name: 'Unit test line coverage above 90%', kind: 'coverage', metric: 'line', min: 90 }),
      c({ id: 'integration-tests', name: 'Integration tests passing', kind: 'tests', maxFailures: 0, minTests: 1 }),
    ],
    approvals: [{ role: 'TECHNICAL_LEAD', count: 1 }],
    fourEyes: false,
  },
  {
    name: 'ALPHA',
    title: 'Alpha',
    order: 20,
    appliesTo: 'STANDARD',
    criteria: [
      c({
        id: 'feature-complete-passed',
        name: 'Feature Complete gate passed',
        kind: 'upstream',
        gate: 'FEATURE_COMPLETE',
      }),
      c({
        id: 'system-tests',
        name: 'System tests done and passing',
        kind: 'tests',
        maxFailures: 0,
        minPassRate: 100,
        minTests: 1,
      }),
      c({
        id: 'benchmarks',
        name: 'Performance benchmarks met (p95 latency)',
        kind: 'performance',
        metric: 'p95_latency_ms',
        op: '<=',
        bound: 500,
      }),
      c({ id: 'security-scan', name: 'Security scan: no errors', kind: 'security', maxErrors: 0, maxCritical: 0 }),
      c({
        id: 'security-warnings',
        name: 'Security scan: few warnings',
        kind: 'security',
        hard: false,
        maxWarnings: 10,
      }),
    ],
    approvals: [
      { role: 'QA_LEAD', count: 1 },
      { role: 'TECHNICAL_LEAD', count: 1 },
    ],
    fourEyes: false,
  },
  {
    name: 'BETA',
    title: 'Beta',
    order: 30,
    appliesTo: 'STANDARD',
    criteria: [
      c({ id: 'alpha-passed', name: 'Alpha gate passed', kind: 'upstream', gate: 'ALPHA' }),
      checklist('beta-readiness', 'Beta readiness checklist', [
        ['uat-done', 'User acceptance testing done'],
        ['load-validated', 'Performance under load validated'],
        ['docs-done', 'Documentation done'],
        ['support-trained', 'Support trained'],
      ]),
    ],
    approvals: [
      { role: 'PRODUCT_OWNER', count: 1 },
      { role: 'QA_LEAD', count: 1 },
    ],
    fourEyes: false,
  },
  {
    name: 'PRODUCTION',
    title: 'Production',
    order: 40,
    appliesTo: 'STANDARD',
    criteria: [
      c({ id: 'beta-passed', name: 'Beta gate passed', kind: 'upstream', gate: 'BETA' }),
      checklist('production-validation', 'Production validation checklist', [
        ['beta-feedback', 'Beta feedback addressed'],
        ['deployment-tested', 'Production deployment tested'],
        ['rollback-validated', 'Rollback validated'],
        ['monitoring-ready', 'Monitoring ready'],
      ]),
    ],
    approvals: [{ role: 'RELEASE_MANAGER', count: 1 }],
    fourEyes: true,
  },
  {
    name: 'HOTFIX',
    title: 'Hotfix',
    order: 10,
    appliesTo: 'HOTFIX',
    criteria: [
      c({ id: 'minimal-tests', name: 'Minimal tests passing', kind: 'tests', maxFailures: 0, minTests: 1 }),
      c({ id: 'security-scan', name: 'Security scan: no errors', kind: 'security', maxErrors: 0 }),
      checklist('hotfix-checklist', 'Hotfix checklist', [
        [
          'qualifies',
          'Qualifies as a hotfix (production down, critical vulnerability, data loss, SLA breach or compliance)',
        ],
        ['enhanced-monitoring', 'Enhanced monitoring in place'],
        ['retro-scheduled', 'Retrospective scheduled within 48 h'],
      ]),
    ],
    approvals: [
      { role: 'TECHNICAL_LEAD', count: 1 },
      { role: 'PRODUCT_OWNER', count: 1 },
    ],
    fourEyes: true,
  },
];

/**
 * The Release Candidate gate: a clean, signed build from the release branch (digest and version tag), its SBOM within
 * the licence policy, smoke tests and performance as evidence, and the stakeholders' sign-offs. The team's public key
 * is the product's own, so a product defines this gate with its key (`defineGate`, criterion `signed-build`'s
 * `publicKey`); without one the signature criterion fails saying so.
 */
export const RELEASE_CANDIDATE_TEMPLATE: Template = {
  name: 'RELEASE_CANDIDATE',
  title: 'Release Candidate',
  order: 35,
  appliesTo: 'STANDARD',
  criteria: [
    c({ id: 'beta-passed', name: 'Beta gate passed', kind: 'upstream', gate: 'BETA' }),
    c({ id: 'signed-build', name: 'Clean build from the release branch, signed by the team', kind: 'artifact' }),
    c({ id: 'sbom-licences', name: 'SBOM within the licence policy', kind: 'sbom' }),
    c({ id: 'smoke-tests', name: 'Smoke tests passing', kind: 'tests', maxFailures: 0, minTests: 1 }),
    c({
      id: 'performance',
      name: 'Performance within budget (p95 latency)',
      kind: 'performance',
      metric: 'p95_latency_ms',
      op: '<=',
      bound: 500,
    }),
  ],
  approvals: [
    { role: 'PRODUCT_OWNER', count: 1 },
    { role: 'TECHNICAL_LEAD', count: 1 },
    { role: 'BUSINESS_STAKEHOLDER', count: 1 },
    { role: 'SUPPORT_LEAD', count: 1 },
  ],
  fourEyes: true,
};

export function templateFor(product: string, name: string, at = new Date(0)): GateDefinition | undefined {
  const t = GATE_TEMPLATES.find((g) => g.name === name);
  return t && { ...structuredClone(t), product, version: 0, definedBy: 'template', definedAt: at };
}

/** The gates of a product: its own definitions, and the templates it did not replace, in order. */
export function gatesOfProduct(product: string, defined: GateDefinition[]): GateDefinition[] {
  const byName = new Map<string, GateDefinition>();
  for (const t of GATE_TEMPLATES) byName.set(t.name, templateFor(product, t.name)!);
  for (const d of defined) byName.set(d.name, d);
  return [...byName.values()].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/** The gates a release must pass: hotfix gates for a hotfix, the standard ones otherwise. */
export function gatesForRelease(releaseType: string, gates: GateDefinition[]): GateDefinition[] {
  const wanted = releaseType === 'HOTFIX' ? 'HOTFIX' : 'STANDARD';
  return gates.filter((g) => g.appliesTo === wanted);
}
