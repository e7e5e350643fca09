import { Kind, parse, type ConstValueNode } from 'graphql';

export interface SupergraphSubgraph {
  name: string;
  url: string;
}

function stringArgument(value: ConstValueNode | undefined): string | undefined {
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** The subgraphs a supergraph was composed from (from its `join__Graph` enum), with their composed URLs. */
export function supergraphSubgraphs(supergraphSdl: string): SupergraphSubgraph[] {
  const out: SupergraphSubgraph[] = [];
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = stringArgument(graph?.arguments?.find((a) => a.name.value === 'name')?.value);
      const url = stringArgument(graph?.arguments?.find((a) => a.name.value === 'url')?.value);
      if (name && url !== undefined) out.push({ name, url });
    }
  }
  return out;
}
