import { Binary, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { ExpectationError, exactMismatches, match } from '../src/conformance/matcher.js';
import { compareVersions, type ServerInfo, unmetRequirements } from '../src/conformance/requirements.js';

const ok = (expected: unknown, actual: unknown, root = true): void =>
  expect(match(expected, actual, { root })).toEqual([]);
const bad = (expected: unknown, actual: unknown, root = true): string[] => {
  const problems = match(expected, actual, { root });
  expect(problems.length).toBeGreaterThan(0);
  return problems;
};

describe('matching documents', () => {
  it('allows extra fields in a root-level document but not in nested ones', () => {
    ok({ x: 1 }, { x: 1, y: 1 });
    bad({ x: 1, y: 1 }, { x: 1 });
    expect(bad({ x: { y: 1 } }, { x: { y: 1, z: 1 } })[0]).toMatch(/extra field.*z/);
    bad({ x: 1 }, { x: 1, y: 1 }, false);
  });

  it('ignores key order', () => {
    ok({ x: 1, y: { a: 1, b: 2 } }, { y: { b: 2, a: 1 }, x: 1 });
  });

  it('compares numerics flexibly but not Decimal128 with numbers', () => {
    ok({ n: 1 }, { n: new Double(1) });
    ok({ n: 1 }, { n: Long.fromNumber(1) });
    ok({ n: new Int32(5) }, { n: 5 });
    bad({ n: 1 }, { n: 1.5 });
    bad({ n: 1 }, { n: '1' });
    bad({ n: 1 }, { n: Decimal128.fromString('1') });
  });

  it('requires arrays of the same length, element by element', () => {
    ok([1, 2, 3], [1, 2, 3]);
    expect(bad([1, 2, 3], [1, 2, 3, 4])[0]).toMatch(/3 element\(s\), got 4/);
    bad([1, 2], [2, 1]);
    bad({ a: [1] }, { a: 1 });
  });

  it('treats elements of an iterable result as root-level documents, but not elements of a plain array', () => {
    const expected = [{ x: 1 }, { x: 2 }];
    const actual = [
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ];
    expect(match(expected, actual, { root: true, rootElements: true })).toEqual([]);
    expect(match(expected, actual, { root: true })).not.toEqual([]);
  });

  it('compares BSON values by type and value', () => {
    const id = new ObjectId();
    ok({ _id: id }, { _id: new ObjectId(id.toHexString()) });
    bad({ _id: id }, { _id: new ObjectId() });
    bad({ _id: id }, { _id: id.toHexString() });
    ok({ d: new Date(5) }, { d: new Date(5) });
    bad({ d: new Date(5) }, { d: new Date(6) });
    ok({ b: new Binary(Buffer.from('ab'), 0) }, { b: new Binary(Buffer.from('ab'), 0) });
    bad({ b: new Binary(Buffer.from('ab'), 0) }, { b: new Binary(Buffer.from('ab'), 4) });
    ok(null, null);
    bad(null, { x: 1 });
  });

  it('says where and what did not match', () => {
    const [problem] = match({ a: { b: [1, 2] } }, { a: { b: [1, 3] } }, { root: true, path: 'expectResult' });
    expect(problem).toBe('expectResult.a.b[1]: expected 2, got 3');
  });
});

describe('special operators', () => {
  it('$$exists checks presence and absence of a field', () => {
    ok({ a: { $$exists: true } }, { a: null });
    bad({ a: { $$exists: true } }, {});
    ok({ a: { $$exists: false } }, { b: 1 });
    bad({ a: { $$exists: false } }, { a: 0 });
    expect(() => match({ $$exists: true }, 1)).toThrow(ExpectationError);
  });

  it('$$unsetOrMatches accepts an absent value or a matching one, keeping root-level status', () => {
    ok({ insertedId: { $$unsetOrMatches: 2 } }, {});
    ok({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 2 });
    bad({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 3 });
    ok({ $$unsetOrMatches: { n: 1 } }, { n: 1, extra: true }, true);
    bad({ $$unsetOrMatches: { n: 1 } }, { n: 1, extra: true }, false);
    ok({ ids: { $$unsetOrMatches: { 0: 2, 1: 3 } } }, { ids: { 0: 2, 1: 3 } });
    bad({ ids: { $$unsetOrMatches: { 0: 2 } } }, { ids: { 0: 2, 1: 3 } });
  });

  it('$$type matches $type aliases, one or a list', () => {
    ok({ getMore: { $$type: ['int', 'long'] } }, { getMore: Long.fromNumber(12345) });
    ok({ n: { $$type: 'int' } }, { n: 3 });
    bad({ n: { $$type: 'int' } }, { n: 3.5 });
    ok({ n: { $$type: 'double' } }, { n: 3.5 });
    ok({ s: { $$type: 'string' } }, { s: '' });
    ok({ id: { $$type: 'objectId' } }, { id: new ObjectId() });
    ok({ d: { $$type: 'date' } }, { d: new Date() });
    ok({ o: { $$type: 'object' } }, { o: { a: 1 } });
    ok({ a: { $$type: 'array' } }, { a: [1, 'x'] });
    bad({ a: { $$type: 'string' } }, {});
    bad({ a: { $$type: 'string' } }, { a: 1 });
    expect(() => match({ a: { $$type: 'nonsense' } }, { a: 1 })).toThrow(/\$type alias/);
  });

  it('$$matchesEntity compares against a saved entity', () => {
    const id = new ObjectId();
    const entity = (name: string): unknown => {
      if (name === 'id0') return id;
      throw new Error(`no entity ${name}`);
    };
    expect(match([{ _id: { $$matchesEntity: 'id0' } }], [{ _id: id }], { entity })).toEqual([]);
    expect(match({ _id: { $$matchesEntity: 'id0' } }, { _id: new ObjectId() }, { entity })).not.toEqual([]);
    expect(() => match({ _id: { $$matchesEntity: 'nope' } }, { _id: id }, { entity })).toThrow(/no entity nope/);
  });

  it('$$matchesHexBytes, $$lte, $$matchAsDocument and $$matchAsRoot', () => {
    ok({ b: { $$matchesHexBytes: '12AB' } }, { b: Buffer.from([0x12, 0xab]) });
    bad({ b: { $$matchesHexBytes: '12AB' } }, { b: Buffer.from([0x12]) });
    expect(() => match({ $$matchesHexBytes: 'xyz' }, '')).toThrow(ExpectationError);
    ok({ t: { $$lte: 5 } }, { t: 5.0 });
    bad({ t: { $$lte: 5 } }, { t: 5.1 });
    ok({ c: { $$matchAsDocument: { a: 1 } } }, { c: '{"a": 1}' });
    bad({ c: { $$matchAsDocument: { a: 1 } } }, { c: '{"a": 1, "b": 2}' });
    ok({ c: { $$matchAsDocument: { $$matchAsRoot: { a: 1 } } } }, { c: '{"a": 1, "b": 2}' });
  });

  it('refuses an unknown $$ operator as a fault of the test file', () => {
    expect(() => match({ $$nonsense: 1 }, 1)).toThrow(/unknown special operator \$\$nonsense/);
  });
});

describe('outcome comparison', () => {
  it('is exact at every level, with flexible numerics and free key order', () => {
    expect(exactMismatches([{ _id: 1, x: 11 }], [{ x: new Int32(11), _id: 1 }], 'outcome')).toEqual([]);
    expect(exactMismatches([{ _id: 1 }], [{ _id: 1, x: 11 }], 'outcome')[0]).toMatch(/unexpected field/);
    expect(exactMismatches([{ _id: 1 }], [], 'outcome')).not.toEqual([]);
    expect(exactMismatches([{ _id: 1, x: { $$exists: true } }], [{ _id: 1, x: 1 }], 'outcome')).not.toEqual([]);
  });
});

describe('runOnRequirements', () => {
  const server: ServerInfo = {
    version: '7.0.0',
    topology: 'single',
    serverless: false,
    auth: false,
    parameters: { enableTestCommands: 1 },
  };

  it('orders versions numerically, missing parts counting as zero', () => {
    expect(compareVersions('4.4', '4.4.0')).toBe(0);
    expect(compareVersions('4.10', '4.9.99')).toBeGreaterThan(0);
    expect(compareVersions('3.6.0', '4.2.99')).toBeLessThan(0);
  });

  it('runs when any one requirement is met and names the reasons when none is', () => {
    expect(unmetRequirements(undefined, server)).toBeUndefined();
    expect(unmetRequirements([{ minServerVersion: '4.4' }], server)).toBeUndefined();
    expect(unmetRequirements([{ maxServerVersion: '4.2.99' }, { minServerVersion: '5.0' }], server)).toBeUndefined();
    expect(unmetRequirements([{ minServerVersion: '3.6', maxServerVersion: '4.2.99' }], server)).toMatch(
      /<= 4\.2\.99.*reports 7\.0\.0/,
    );
    expect(unmetRequirements([{ minServerVersion: '8.0' }], server)).toMatch(/>= 8\.0/);
    expect(unmetRequirements([{ topologies: ['single', 'replicaset'] }], server)).toBeUndefined();
    expect(unmetRequirements([{ topologies: ['sharded', 'load-balanced'] }], server)).toMatch(/topology/);
    expect(unmetRequirements([{ serverless: 'forbid' }], server)).toBeUndefined();
    expect(unmetRequirements([{ serverless: 'require' }], server)).toMatch(/serverless/);
    expect(unmetRequirements([{ serverParameters: { enableTestCommands: true } }], server)).toBeDefined();
    expect(unmetRequirements([{ serverParameters: { enableTestCommands: 1 } }], server)).toBeUndefined();
  });
});
