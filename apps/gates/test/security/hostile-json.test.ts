import { Kind, parseValue } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { JSONScalar } from '../../src/adapters/graphql/scalars.js';
import { parseGateDefinition } from '../../src/domain/gate-definition.js';
import { parseBenchmark } from '../../src/adapters/parsers/index.js';

/** The gate definition is the one input that takes a whole JSON object: what it does with hostile keys, in process. */

const definition = {
  name: 'SIGNOFF',
  criteria: [{ id: 'tests', name: 'Tests', kind: 'tests', minPassRate: 90 }],
  approvals: [{ role: 'QA_LEAD', count: 1 }],
};

/** JSON text with `__proto__` and `constructor.prototype` as own keys, as a request body carries them. */
const hostileText = JSON.stringify({ ...definition, $where: 'sleep(5000)', 'a.b': 1 }).replace(
  '{',
  '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},',
);

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined();
});

describe('hostile keys in the JSON scalar and the gate definition', () => {
  it('a variable (parseValue) reaches the definition parser, which keeps only its known keys and a plain prototype', () => {
    const value = JSONScalar.parseValue(JSON.parse(hostileText)) as Record<string, unknown>;
    const parsed = parseGateDefinition(value);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    const known = ['name', 'title', 'order', 'appliesTo', 'criteria', 'approvals', 'fourEyes'];
    expect(Object.keys(parsed).filter((k) => !known.includes(k))).toEqual([]);
    expect(Object.keys(parsed.criteria[0]!).sort()).toEqual(['hard', 'id', 'kind', 'minPassRate', 'name']);
    expect(JSON.stringify(parsed)).not.toMatch(/polluted|\$where|a\.b/);
  });

  it('a literal (parseLiteral) with a __proto__ field makes an own key, never a prototype', () => {
    const node = parseValue('{ __proto__: { polluted: "yes" }, name: "SIGNOFF" }');
    expect(node.kind).toBe(Kind.OBJECT);
    const value = JSONScalar.parseLiteral(node) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(() => parseGateDefinition(value)).toThrow(/the gate definition is invalid/);
  });

  it('a benchmark file with __proto__ and constructor keys around its list pollutes nothing', async () => {
    const summary = await parseBenchmark('bench.json', [
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"benchmarks":[{"name":"p95","value":1,"__proto__":{"polluted":"yes"}}]}',
    ]);
    expect(summary).toEqual({ metrics: { p95: { value: 1 } } });
  });
});
