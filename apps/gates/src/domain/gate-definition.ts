import { z } from 'zod';
import { RuleError } from '@flightdeck/kernel';
import { approvalRequirementSchema, criterionSchema, type ApprovalRequirement, type Criterion } from './criteria.js';

export const STANDARD_GATES = ['FEATURE_COMPLETE', 'ALPHA', 'BETA', 'PRODUCTION'] as const;
export const HOTFIX_GATE = 'HOTFIX';

export interface GateDefinition {
  product: string;
  /** FEATURE_COMPLETE, ALPHA, BETA, PRODUCTION, HOTFIX or a custom name in upper case. */
  name: string;
  title: string;
  /** Position among the product's gates. */
  order: number;
  /** STANDARD gates apply to major, minor and patch releases; HOTFIX gates to hotfixes. */
  appliesTo: 'STANDARD' | 'HOTFIX';
  criteria: Criterion[];
  approvals: ApprovalRequirement[];
  /** The release's requester cannot be its only approver. */
  fourEyes: boolean;
  version: number;
  definedBy: string;
  definedByName?: string;
  definedAt: Date;
}

export const gateDefinitionInputSchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'upper case with underscores, e.g. "PERFORMANCE_SIGNOFF"'),
    title: z.string().min(1).optional(),
    order: z.number().int().min(0).optional(),
    appliesTo: z.enum(['STANDARD', 'HOTFIX']).optional(),
    criteria: z.array(criterionSchema).min(1, 'a gate needs at least one criterion'),
    approvals: z.array(approvalRequirementSchema).default([]),
    fourEyes: z.boolean().optional(),
  })
  .superRefine((g, ctx) => {
    const seen = new Set<string>();
    g.criteria.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'id'],
          message: `criterion id "${c.id}" is used twice; ids must be unique within a gate`,
        });
      seen.add(c.id);
      if (c.kind === 'upstream' && c.gate === g.name)
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'gate'],
          message: 'a gate cannot require itself as its upstream gate',
        });
    });
    const roles = new Set<string>();
    g.approvals.forEach((a, i) => {
      if (roles.has(a.role))
        ctx.addIssue({
          code: 'custom',
          path: ['approvals', i, 'role'],
          message: `role ${a.role} is listed twice; give one entry with a count`,
        });
      roles.add(a.role);
    });
  });

export type GateDefinitionInput = z.input<typeof gateDefinitionInputSchema>;

/** Validates a definition from a caller; every problem is named with its path. */
export function parseGateDefinition(input: unknown): z.output<typeof gateDefinitionInputSchema> {
  const parsed = gateDefinitionInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const all = parsed.error.issues.map((i) => `${i.path.join('.') || '(definition)'}: ${i.message}`).join('; ');
    throw new RuleError(`the gate definition is invalid: ${all}`, issue.path.join('.'));
  }
  return parsed.data;
}

export function gateTitle(name: string): string {
  return name
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join(' ');
}
