import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  retryOnConflict,
  RuleError,
  UnauthenticatedError,
} from '@flightdeck/kernel';
import { InvalidCursorError } from '@flightdeck/persistence';
import { mapped, toGraphQLError } from '../src/index.js';

function mappedOf(err: unknown): { message: string; extensions: Record<string, unknown> } {
  const graphqlError = toGraphQLError(err);
  expect(graphqlError).toBeInstanceOf(GraphQLError);
  const { message, extensions } = graphqlError as GraphQLError;
  return { message, extensions: { ...extensions } };
}

describe('toGraphQLError: the one place domain errors become GraphQL codes', () => {
  it('codes rule errors BAD_USER_INPUT with the field at fault and the details, when there are', () => {
    expect(mappedOf(new RuleError('price must be positive', 'price'))).toEqual({
      message: 'price must be positive',
      extensions: { code: 'BAD_USER_INPUT', field: 'price' },
    });
    expect(mappedOf(new RuleError('the shop is closed'))).toEqual({
      message: 'the shop is closed',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(
      mappedOf(new RuleError('x.xml:3:4: malformed XML', undefined, { file: 'x.xml', line: 3, column: 4 })).extensions,
    ).toEqual({ code: 'BAD_USER_INPUT', file: 'x.xml', line: 3, column: 4 });
  });

  it('codes not-found NOT_FOUND, a missing identity UNAUTHENTICATED (HTTP 401), a refusal FORBIDDEN with the roles needed and held', () => {
    expect(mappedOf(new NotFoundError('order 7 does not exist'))).toEqual({
      message: 'order 7 does not exist',
      extensions: { code: 'NOT_FOUND' },
    });
    expect(mappedOf(new UnauthenticatedError()).extensions).toEqual({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect(mappedOf(new ForbiddenError('only a manager may refund'))).toEqual({
      message: 'only a manager may refund',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(mappedOf(new ForbiddenError('refunds need MANAGER', ['MANAGER'], ['CLERK'])).extensions).toEqual({
      code: 'FORBIDDEN',
      needed: ['MANAGER'],
      held: ['CLERK'],
    });
  });

  it('codes a conflict CONFLICT with the revision the caller had and the stored one, saying so when retries gave up', async () => {
    const conflict = new ConflictError('order', 'o-1', 2, 5);
    expect(mappedOf(conflict)).toEqual({
      message: conflict.message,
      extensions: { code: 'CONFLICT', expectedRevision: 2, actualRevision: 5 },
    });
    expect(mappedOf(new ConflictError('order', 'o-1', 2, null)).extensions).toEqual({
      code: 'CONFLICT',
      expectedRevision: 2,
      actualRevision: null,
    });
    const gaveUp = await retryOnConflict(() => Promise.reject(new ConflictError('order', 'o-1', 2, 5)), {
      attempts: 2,
    }).catch((e: unknown) => e);
    expect(mappedOf(gaveUp).message).toBe(`${conflict.message} (gave up after 2 attempts)`);
  });

  it('codes a bad cursor or page size BAD_USER_INPUT on the argument at fault (persistence throws rule errors)', () => {
    expect(mappedOf(new InvalidCursorError('cursor "x" is not valid')).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    expect(mappedOf(new InvalidCursorError('cursor "x" is not valid', 'before')).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'before',
    });
  });

  it('returns GraphQL errors and unknown errors as they are', () => {
    const graphqlError = new GraphQLError('already mapped', { extensions: { code: 'UNAUTHENTICATED' } });
    const bug = new TypeError('x is undefined');
    const otherRange = new RangeError('Invalid time value');
    expect(toGraphQLError(graphqlError)).toBe(graphqlError);
    expect(toGraphQLError(bug)).toBe(bug);
    expect(toGraphQLError(otherRange)).toBe(otherRange);
  });

  it('mapped() passes results through, keeps a synchronous function synchronous, and rethrows errors mapped', async () => {
    const find = mapped(async (id: string) => {
      if (id === 'missing') throw new NotFoundError(`order ${id} does not exist`);
      return { id };
    });
    await expect(find('o-1')).resolves.toEqual({ id: 'o-1' });
    await expect(find('missing')).rejects.toMatchObject({
      message: 'order missing does not exist',
      extensions: { code: 'NOT_FOUND' },
    });
    const double = mapped((n: number) => {
      if (n < 0) throw new RuleError('n must not be negative', 'n');
      return n * 2;
    });
    expect(double(2)).toBe(4);
    expect(() => double(-1)).toThrow(GraphQLError);
  });
});
