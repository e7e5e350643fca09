import type { z } from 'zod';
import type { ConfigIssue } from './errors.js';

/**
 * A rule across several variables (e.g. "AUTH_JWT_SECRET or AUTH_JWKS_URL"). Shared shapes are spread into a
 * service's own object, so a zod refinement on the shape would be lost; instead a rule is attached to the
 * variable schemas themselves and applies whenever all of them are part of the schema being loaded.
 */
export interface CrossRule {
  members: Record<string, z.ZodType>;
  check(values: Record<string, unknown>): ConfigIssue[];
}

const rules: CrossRule[] = [];

export function addCrossRule(rule: CrossRule): void {
  rules.push(rule);
}

export function crossRuleIssues(shape: Record<string, z.ZodType>, values: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const rule of rules) {
    const applies = Object.entries(rule.members).every(([name, s]) => shape[name] === s);
    if (applies) issues.push(...rule.check(values));
  }
  return issues;
}
