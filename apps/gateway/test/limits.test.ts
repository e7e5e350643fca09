import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costDependsOnVariables, depthLimitRule, operationCost, OperationCostCache } from '../src/index.js';

const schema = buildSchema(`
  type Query { release(id: ID): Release, releases: [Release!]! }
  type Release { id: ID!, version: String!, next: Release, scope: [Item!]! }
  type Item { title: String!, release: Release }
`);

const errorsOf = (query: string, rule: ReturnType<typeof depthLimitRule>) =>
  validate(schema, parse(query), [rule]).map((e) => e.message);

describe('depthLimitRule', () => {
  it('counts nested fields, through named and inline fragments', () => {
    const query = `
      query Deep { releases { ...R } }
      fragment R on Release { next { ... on Release { scope { release { id } } } } }
    `; // releases > next > scope > release > id = 5
    expect(errorsOf(query, depthLimitRule(5))).toEqual([]);
    expect(errorsOf(query, depthLimitRule(4))).toEqual([
      'Operation "Deep" is nested 5 fields deep; the limit is 4. Ask for less nested data or split the query.',
    ]);
  });

  it('ignores __typename and measures every operation of a document separately', () => {
    const query = `
      query Shallow { releases { __typename id } }
      query Deeper { release(id: "1") { next { next { id } } } }
    `;
    expect(errorsOf(query, depthLimitRule(2))).toEqual([
      'Operation "Deeper" is nested 4 fields deep; the limit is 2. Ask for less nested data or split the query.',
    ]);
  });

  it('names an anonymous operation as such', () => {
    expect(errorsOf('{ release { next { id } } }', depthLimitRule(2))).toEqual([
      'Operation is nested 3 fields deep; the limit is 2. Ask for less nested data or split the query.',
    ]);
  });
});

describe('operationCost', () => {
  it('costs every selected field 1, fragments included', () => {
    const query = '{ releases { ...R } } fragment R on Release { id version scope { title } }'; // releases id version scope title = 5
    expect(operationCost(schema, parse(query))).toBe(5);
  });

  it('measures operations with required variables, given the request variables', () => {
    const query = 'query One($id: ID!) { release(id: $id) { id next { id } } }'; // release id next id = 4
    expect(operationCost(schema, parse(query), { id: '1' }, 'One')).toBe(4);
  });
});

describe('OperationCostCache', () => {
  function counting() {
    const calls: string[] = [];
    const cache = new OperationCostCache((s, document, variables, operationName) => {
      calls.push(operationName ?? '(anonymous)');
      return operationCost(s, document, variables, operationName);
    });
    return { cache, calls };
  }

  it('measures each operation of a document once when no variable can change its cost', () => {
    const { cache, calls } = counting();
    const document = parse('query A($id: ID!) { release(id: $id) { id } } query B { releases { id version } }');
    for (const id of ['1', '2', '3']) expect(cache.cost(schema, document, { id }, 'A')).toBe(2);
    expect(cache.cost(schema, document, {}, 'B')).toBe(3);
    expect(cache.cost(schema, document, {}, 'B')).toBe(3);
    expect(calls).toEqual(['A', 'B']);
  });

  it('measures every request again when a directive takes a variable, so @include and @skip still count', () => {
    const { cache, calls } = counting();
    const document = parse(
      'query Q($more: Boolean!) { releases { id version @include(if: $more) next @skip(if: $more) { id } } }',
    );
    expect(cache.cost(schema, document, { more: true }, 'Q')).toBe(3); // releases id version
    expect(cache.cost(schema, document, { more: false }, 'Q')).toBe(4); // releases id next id
    expect(calls).toEqual(['Q', 'Q']);
  });

  it('tells documents whose cost depends on variables from those whose cost does not', () => {
    expect(costDependsOnVariables(parse('query($x: Boolean!) { releases { id @include(if: $x) } }'))).toBe(true);
    expect(costDependsOnVariables(parse('query($id: ID) { release(id: $id) { id @include(if: true) } }'))).toBe(false);
  });
});
