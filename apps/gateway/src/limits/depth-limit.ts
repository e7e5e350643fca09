import { GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValidationRule } from 'graphql';

/**
 * Depth of a selection set: the longest chain of nested fields, so `{ releases { id } }` is 2.
 * Fragments count as the fields they contain; introspection fields (`__typename`) count 0.
 * A fragment already on the current path (a cycle, refused by graphql's own rules) counts 0.
 */
function selectionDepth(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  path: Set<string>,
): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth = 1 + (selection.selectionSet ? selectionDepth(selection.selectionSet, fragments, path) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(selection.selectionSet, fragments, path);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || path.has(name)) continue;
      path.add(name);
      depth = selectionDepth(fragment.selectionSet, fragments, path);
      path.delete(name);
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/** A validation rule refusing any operation nested deeper than `maxDepth` fields, saying how deep it was. */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation) {
        const depth = selectionDepth(operation.selectionSet, fragments, new Set());
        if (depth <= maxDepth) return;
        const name = operation.name ? ` "${operation.name.value}"` : '';
        context.reportError(
          new GraphQLError(
            `Operation${name} is nested ${depth} fields deep; the limit is ${maxDepth}. Ask for less nested data or split the query.`,
            {
              nodes: [operation],
              extensions: { reason: 'QUERY_TOO_DEEP', depth, limit: maxDepth },
            },
          ),
        );
      },
    };
  };
}
