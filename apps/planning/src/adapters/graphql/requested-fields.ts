import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

function fieldNames(set: SelectionSetNode | undefined): Map<string, SelectionSetNode | undefined> | undefined {
  const out = new Map<string, SelectionSetNode | undefined>();
  for (const s of set?.selections ?? []) {
    if (s.kind !== 'Field') return undefined; // fragments: do not guess
    out.set(s.name.value, s.selectionSet);
  }
  return out;
}

/** The fields selected on `edges { node { … } }` of a connection, or undefined when fragments make it unclear. */
export function requestedNodeFields(info: GraphQLResolveInfo): Set<string> | undefined {
  const names = new Set<string>();
  for (const node of info.fieldNodes) {
    const edges = fieldNames(node.selectionSet);
    if (!edges) return undefined;
    if (!edges.has('edges')) continue;
    const edge = fieldNames(edges.get('edges'));
    if (!edge) return undefined;
    if (!edge.has('node')) continue;
    const fields = fieldNames(edge.get('node'));
    if (!fields) return undefined;
    for (const f of fields.keys()) names.add(f);
  }
  return names;
}
