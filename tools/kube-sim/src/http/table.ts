import type { KubeObject } from '../api/types.js';
import type { KindDefinition, TableColumn } from '../kinds/kind.js';
import { humanAge } from '../kinds/age.js';

/** Server-side printing: the meta.k8s.io/v1 Table kubectl asks for with `Accept: application/json;as=Table`. */

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

const fallbackColumns: TableColumn[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
];

export function toTable(
  def: KindDefinition,
  items: KubeObject[],
  listMeta: Record<string, unknown>,
  includeObject: string | undefined,
  now: Date,
) {
  const columns = def.table?.columns ?? fallbackColumns;
  const cells = def.table?.cells ?? ((o: KubeObject) => [o.metadata.name, humanAge(o.metadata.creationTimestamp, now)]);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns,
    rows: items.map((o) => {
      const row: Record<string, unknown> = { cells: cells(o, now) };
      if (includeObject === 'Object') row.object = o;
      else if (includeObject !== 'None')
        row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      return row;
    }),
  };
}
