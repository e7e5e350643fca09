import { GraphQLError } from 'graphql';
import { ConflictError, InvalidCursorError } from '@flightdeck/persistence';

/** One kind of error as a GraphQL error, or undefined when the error is not of that kind. */
export type ErrorRule = (err: unknown) => GraphQLError | undefined;

// Error classes take different constructor arguments; only `instanceof` is asked of them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorClass<E extends Error> = abstract new (...args: any[]) => E;

export interface ErrorRuleOptions<E extends Error> {
  /** Default: the error's own message. */
  message?(err: E): string;
  extensions?(err: E): Record<string, unknown>;
}

/** Errors of `type` become GraphQL errors coded `code`. */
export function errorRule<E extends Error>(type: ErrorClass<E>, code: string, options: ErrorRuleOptions<E> = {}): ErrorRule {
  return (err) =>
    err instanceof type ? new GraphQLError(options.message?.(err) ?? err.message, { extensions: { code, ...options.extensions?.(err) } }) : undefined;
}

export interface DomainErrors {
  /** The service's rule errors: input the rules refuse, `field` naming the input at fault. */
  rule: ErrorClass<Error & { field?: string }>;
  notFound: ErrorClass<Error>;
  /** The service's other errors, asked before the shared ones. */
  more?: ErrorRule[];
}

export interface DomainErrorMapping {
  /** The error as a GraphQL error with a code clients can act on; any other error is returned as it is (an internal error). */
  toGraphQLError(err: unknown): unknown;
  /** Wraps a resolver so that what it throws reaches the client as `toGraphQLError` maps it. */
  mapped<A extends unknown[], R>(fn: (...args: A) => Promise<R> | R): (...args: A) => Promise<R>;
}

const persistenceRules: ErrorRule[] = [
  // actualRevision null: the document was deleted meanwhile.
  errorRule(ConflictError, 'CONFLICT', { extensions: (err) => ({ expectedRevision: err.expectedVersion, actualRevision: err.actualVersion }) }),
  errorRule(InvalidCursorError, 'BAD_USER_INPUT', { extensions: () => ({ field: 'after' }) }),
  (err) => (err instanceof RangeError && /^first must be/.test(err.message) ? new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', field: 'first' } }) : undefined),
];

/**
 * Domain and persistence errors as GraphQL errors: rule errors BAD_USER_INPUT (with `field`), NOT_FOUND,
 * CONFLICT with revisions, a bad cursor or page size BAD_USER_INPUT on `after` / `first`.
 */
export function mapDomainErrors(errors: DomainErrors): DomainErrorMapping {
  const rules: ErrorRule[] = [
    ...(errors.more ?? []),
    errorRule(errors.rule, 'BAD_USER_INPUT', { extensions: (err) => (err.field ? { field: err.field } : {}) }),
    errorRule(errors.notFound, 'NOT_FOUND'),
    ...persistenceRules,
  ];
  function toGraphQLError(err: unknown): unknown {
    if (err instanceof GraphQLError) return err;
    for (const rule of rules) {
      const mapped = rule(err);
      if (mapped) return mapped;
    }
    return err;
  }
  return {
    toGraphQLError,
    mapped:
      <A extends unknown[], R>(fn: (...args: A) => Promise<R> | R) =>
      async (...args: A): Promise<R> => {
        try {
          return await fn(...args);
        } catch (err) {
          throw toGraphQLError(err);
        }
      },
  };
}
