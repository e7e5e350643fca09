import { z } from 'zod';
import { ROLES } from '@flightdeck/kernel';

export const COMPARISONS = ['<', '<=', '>', '>='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export function compare(value: number, op: Comparison, bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_", e.g. "unit-coverage"');
const base = {
  id,
  name: z.string().min(1),
  /** A hard criterion failing fails the gate; a soft one only makes it CONDITIONAL. */
  hard: z.boolean().default(true),
};
const percent = z.number().min(0).max(100);
const count = z.number().int().min(0);

const sloObjective = z.object({
  name: z.string().min(1),
  /** PromQL; `$window` is replaced by the criterion's window, e.g. `rate(http_errors_total[$window])`. */
  query: z.string().min(1),
  pass: z.object({ op: z.enum(COMPARISONS), value: z.number() }),
  warning: z.object({ op: z.enum(COMPARISONS), value: z.number() }).optional(),
  weight: z.number().positive().default(1),
  /** A key objective that fails fails the whole SLO criterion, whatever the score. */
  key: z.boolean().default(false),
});

export const criterionSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('tests'),
    minPassRate: percent.optional(),
    maxFailures: count.optional(),
    minTests: count.optional(),
  }),
  z.object({
    ...base,
    kind: z.literal('coverage'),
    metric: z.enum(['line', 'branch']),
    scope: z.enum(['overall', 'changed']).default('overall'),
    min: percent,
  }),
  z.object({
    ...base,
    kind: z.literal('security'),
    maxErrors: count.optional(),
    maxWarnings: count.optional(),
    maxNotes: count.optional(),
    maxCritical: count.optional(),
    maxHigh: count.optional(),
  }),
  z
    .object({
      ...base,
      kind: z.literal('performance'),
      metric: z.string().min(1).optional(),
      query: z.string().min(1).optional(),
      op: z.enum(COMPARISONS),
      bound: z.number(),
    })
    .refine(
      (c) => (c.metric === undefined) !== (c.query === undefined),
      'give exactly one of metric (a benchmark name) or query (PromQL)',
    ),
  z.object({
    ...base,
    kind: z.literal('slo'),
    /** Prometheus duration the objectives are evaluated over, e.g. "5m". */
    window: z.string().regex(/^\d+[smhd]$/, 'a Prometheus duration such as 30s, 5m, 1h or 1d'),
    objectives: z.array(sloObjective).min(1),
    /** Total score (percent of the weights) needed to pass, and to warn. */
    passScore: percent.default(90),
    warningScore: percent.default(75),
  }),
  z.object({
    ...base,
    kind: z.literal('checklist'),
    items: z.array(z.object({ id, label: z.string().min(1) })).min(1),
  }),
  z.object({ ...base, kind: z.literal('upstream'), gate: z.string().min(1) }),
  z.object({
    ...base,
    kind: z.literal('sbom'),
    /** SPDX ids refused; an id also refuses its -only/-or-later variants. */
    deniedLicences: z.array(z.string().min(1)).default(['AGPL-3.0', 'GPL-2.0', 'GPL-3.0', 'SSPL-1.0']),
    maxWithoutLicence: count.default(0),
    allowUnparsed: z.boolean().default(false),
    minComponents: count.default(1),
  }),
  z.object({
    ...base,
    kind: z.literal('artifact'),
    /** The team's public key (PEM, SPKI: Ed25519 or ECDSA) the release candidate must be signed with. */
    publicKey: z
      .string()
      .includes('-----BEGIN PUBLIC KEY-----', { message: 'a PEM public key ("-----BEGIN PUBLIC KEY-----…")' })
      .optional(),
    /** The build must come from a branch matching this regular expression. */
    branchPattern: z.string().min(1).default('^release/'),
    requireCleanBuild: z.boolean().default(true),
  }),
  z.object({ ...base, kind: z.literal('scope') }),
]);

export type CriterionInput = z.input<typeof criterionSchema>;
export type Criterion = z.output<typeof criterionSchema>;
export type CriterionKind = Criterion['kind'];
export type SloObjective = z.output<typeof sloObjective>;

export const approvalRequirementSchema = z.object({
  role: z.enum(ROLES).refine((r: string) => r !== 'CI', 'the CI role never approves'),
  count: z.number().int().min(1).default(1),
});
export type ApprovalRequirement = z.output<typeof approvalRequirementSchema>;
