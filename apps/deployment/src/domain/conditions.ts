import { RuleError } from '@flightdeck/kernel';
import type { Comparator, Condition } from './types.js';

const clause = /^\s*result\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i;

export function parseCondition(text: string, field = 'condition'): Condition {
  const trimmed = text.trim();
  const join = trimmed.includes('||') ? 'or' : 'and';
  if (trimmed.includes('||') && trimmed.includes('&&'))
    throw new RuleError(`${field} "${text}" mixes && and ||; use one of them`, field);
  const parts = trimmed.split(join === 'or' ? '||' : '&&');
  const clauses = parts.map((p) => {
    const m = clause.exec(p);
    if (!m)
      throw new RuleError(
        `${field} "${text}" is not understood: write result <op> <number>, e.g. "result >= 0.95" (op one of < <= > >= == !=), joined by && or ||`,
        field,
      );
    return { op: m[1] as Comparator, threshold: Number(m[2]) };
  });
  return { text: trimmed, clauses, join };
}

function holds(op: Comparator, value: number, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

export function conditionHolds(c: Condition, value: number): boolean {
  return c.join === 'and'
    ? c.clauses.every((k) => holds(k.op, value, k.threshold))
    : c.clauses.some((k) => holds(k.op, value, k.threshold));
}
