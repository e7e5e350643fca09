import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidCursorError } from '@flightdeck/persistence';
import { errorRule, mapDomainErrors } from '../src/index.js';

class ShopRuleError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
class ShopNotFoundError extends Error {}
class ShopForbiddenError extends Error {}

const shop = mapDomainErrors({ rule: ShopRuleError, notFound: ShopNotFoundError, more: [errorRule(ShopForbiddenError, 'FORBIDDEN')] });

function mappedOf(err: unknown): { message: string; extensions: Record<string, unknown> } {
  const mapped = shop.toGraphQLError(err);
  expect(mapped).toBeInstanceOf(GraphQLError);
  const { message, extensions } = mapped as GraphQLError;
  return { message, extensions: { ...extensions } };
}

describe('mapDomainErrors', () => {
  it('codes the service’s rule errors BAD_USER_INPUT with the field at fault, when there is one', () => {
    expect(mappedOf(new ShopRuleError('price must be positive', 'price'))).toEqual({ message: 'price must be positive', extensions: { code: 'BAD_USER_INPUT', field: 'price' } });
    expect(mappedOf(new ShopRuleError('the shop is closed'))).toEqual({ message: 'the shop is closed', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('codes not-found errors NOT_FOUND and the service’s other rules as they say', () => {
    expect(mappedOf(new ShopNotFoundError('order 7 does not exist'))).toEqual({ message: 'order 7 does not exist', extensions: { code: 'NOT_FOUND' } });
    expect(mappedOf(new ShopForbiddenError('only a manager may refund'))).toEqual({ message: 'only a manager may refund', extensions: { code: 'FORBIDDEN' } });
  });

  it('codes a persistence conflict CONFLICT with the revision the caller had and the stored one', () => {
    const conflict = new ConflictError('order', 'o-1', 2, 5);
    expect(mappedOf(conflict)).toEqual({ message: conflict.message, extensions: { code: 'CONFLICT', expectedRevision: 2, actualRevision: 5 } });
    expect(mappedOf(new ConflictError('order', 'o-1', 2, null)).extensions).toEqual({ code: 'CONFLICT', expectedRevision: 2, actualRevision: null });
  });

  it('codes a bad cursor or page size BAD_USER_INPUT on after / first', () => {
    expect(mappedOf(new InvalidCursorError('cursor "x" is not valid')).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(mappedOf(new RangeError('first must be an integer from 0 to 100, got 500')).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('asks the service’s own rules first, so one may word a shared error its own way', () => {
    const patient = mapDomainErrors({
      rule: ShopRuleError,
      notFound: ShopNotFoundError,
      more: [errorRule(ConflictError, 'CONFLICT', { message: (err) => `${err.message} (gave up)` })],
    });
    const mapped = patient.toGraphQLError(new ConflictError('order', 'o-1', 2, 5)) as GraphQLError;
    expect(mapped.message).toMatch(/ \(gave up\)$/);
    expect({ ...mapped.extensions }).toEqual({ code: 'CONFLICT' });
  });

  it('returns GraphQL errors and unknown errors as they are', () => {
    const graphqlError = new GraphQLError('already mapped', { extensions: { code: 'UNAUTHENTICATED' } });
    const bug = new TypeError('x is undefined');
    const otherRange = new RangeError('Invalid time value');
    expect(shop.toGraphQLError(graphqlError)).toBe(graphqlError);
    expect(shop.toGraphQLError(bug)).toBe(bug);
    expect(shop.toGraphQLError(otherRange)).toBe(otherRange);
  });

  it('mapped() passes results through and rethrows errors mapped', async () => {
    const find = shop.mapped(async (id: string) => {
      if (id === 'missing') throw new ShopNotFoundError(`order ${id} does not exist`);
      return { id };
    });
    await expect(find('o-1')).resolves.toEqual({ id: 'o-1' });
    await expect(find('missing')).rejects.toMatchObject({ message: 'order missing does not exist', extensions: { code: 'NOT_FOUND' } });
    const sync = shop.mapped((n: number) => {
      if (n < 0) throw new ShopRuleError('n must not be negative', 'n');
      return n * 2;
    });
    await expect(sync(2)).resolves.toBe(4);
    await expect(sync(-1)).rejects.toBeInstanceOf(GraphQLError);
  });
});
