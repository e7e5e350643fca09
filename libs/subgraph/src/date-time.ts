import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

function parse(value: unknown): Date {
  const d = typeof value === 'string' ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value as string)) {
    throw new GraphQLError(
      `DateTime must be an ISO 8601 date-time such as 2026-07-01T12:00:00Z, got ${JSON.stringify(value)}`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  return d;
}

/** The `DateTime` scalar every subgraph declares: ISO 8601 text on the wire, a Date in resolvers. */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO 8601 date-time, e.g. 2026-07-01T12:00:00Z.',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('DateTime must be a string such as "2026-07-01T12:00:00Z"', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    return parse(ast.value);
  },
});
