import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type ConstDirectiveNode, type ObjectTypeDefinitionNode } from 'graphql';
import { repoRoot } from './processes.js';

const graphOf = (directives: readonly ConstDirectiveNode[] | undefined): string | undefined => {
  const join = directives?.find((d) => d.name.value === 'join__field');
  const graph = join?.arguments?.find((a) => a.name.value === 'graph')?.value;
  return graph?.kind === Kind.ENUM ? graph.value : undefined;
};

/**
 * What a caller can ask the gateway for, read from the committed supergraph: every mutation, every query, and every
 * field another subgraph adds to the Release entity (reachable without that subgraph's own queries), as
 * "Mutation.createRelease", "Query.rollouts", "Release.rollouts".
 */
export function supergraphOperations(): string[] {
  const sdl = readFileSync(join(repoRoot, 'apps/gateway/supergraph.graphql'), 'utf8');
  const types = new Map(
    parse(sdl)
      .definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const out: string[] = [];
  for (const root of ['Mutation', 'Query'])
    for (const f of types.get(root)?.fields ?? []) out.push(`${root}.${f.name.value}`);
  for (const f of types.get('Release')?.fields ?? []) {
    const graph = graphOf(f.directives);
    if (graph && graph !== 'PLANNING') out.push(`Release.${f.name.value}`);
  }
  return out;
}
