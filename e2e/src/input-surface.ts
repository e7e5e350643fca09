import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildASTSchema,
  getNamedType,
  isInputObjectType,
  isScalarType,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { repoRoot } from './processes.js';

/** The supergraph as a schema (its join directives are declared in it, so it builds as is). */
export function supergraphSchema(): GraphQLSchema {
  return buildASTSchema(parse(readFileSync(join(repoRoot, 'apps/gateway/supergraph.graphql'), 'utf8')), {
    assumeValidSDL: true,
  });
}

/** Every place a caller's value enters: "Mutation.defineGate(definition)", "Mutation.createRelease(input).team.plannedVelocity", with its named type. */
export function inputPaths(schema: GraphQLSchema): { path: string; type: string }[] {
  const out: { path: string; type: string }[] = [];
  const walk = (prefix: string, type: GraphQLInputType, seen: Set<string>) => {
    const named = getNamedType(type);
    if (isInputObjectType(named)) {
      if (seen.has(named.name)) return;
      for (const f of Object.values(named.getFields()))
        walk(`${prefix}.${f.name}`, f.type, new Set([...seen, named.name]));
    } else out.push({ path: prefix, type: named.name });
  };
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {}))
      for (const arg of field.args) walk(`${root!.name}.${field.name}(${arg.name})`, arg.type, new Set());
  }
  return out.filter((p) => !p.path.includes('join__'));
}

/** Root fields with an argument whose named type is String or ID, for sending an operator object in its place. */
export function stringArguments(
  schema: GraphQLSchema,
): { root: 'query' | 'mutation'; field: GraphQLField<unknown, unknown>; arg: GraphQLArgument }[] {
  const out: { root: 'query' | 'mutation'; field: GraphQLField<unknown, unknown>; arg: GraphQLArgument }[] = [];
  for (const [root, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      for (const arg of field.args) {
        const named = getNamedType(arg.type);
        if (isScalarType(named) && (named.name === 'String' || named.name === 'ID')) out.push({ root, field, arg });
      }
    }
  }
  return out;
}

/** An operation calling `field` with every argument as a variable of its declared type, selecting __typename. */
export function operationWithVariables(root: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${root}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''} { __typename } }`;
}
