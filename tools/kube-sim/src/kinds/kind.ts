import type { StatusCause } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  priority: number;
}

/** Everything the API layer needs to know about one resource kind. */
export interface KindDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  nameForm: 'label' | 'subdomain';
  /** `/status`: the main resource ignores status changes, the subresource changes only status (and annotations). */
  statusSubresource: boolean;
  /** `/scale` (autoscaling/v1 Scale) on spec.replicas. */
  scaleSubresource: boolean;
  /** metadata.generation counts changes of everything but metadata and status (and, when set, of annotations too). */
  generation?: 'spec' | 'spec-and-annotations';
  /**
   * MicroTime fields (dotted paths): RFC 3339 with exactly six digits of fractional seconds. Anything else does not
   * decode, and the request is refused with 400, as the API server's decoder refuses it.
   */
  microTimeFields?: string[];
  /** Checks what the API server's decoder checks (a body that does not decode is refused with 400); returns why not, if not. */
  decode?(body: Record<string, unknown>): string | undefined;
  /** Field selector paths beyond metadata.name and metadata.namespace. */
  fieldSelectors?: string[];
  defaults?(obj: KubeObject): void;
  /** The status a new object starts with, whatever the request said (statusSubresource kinds; none: no status). */
  initialStatus?(obj: KubeObject): Record<string, unknown>;
  validate?(obj: KubeObject, old?: KubeObject): StatusCause[];
  table?: { columns: TableColumn[]; cells(obj: KubeObject, now: Date): unknown[] };
}

export function groupVersion(def: Pick<KindDefinition, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** The key a kind's objects are stored under, e.g. `apps/deployments` or `core/pods`. */
export function resourceKey(def: Pick<KindDefinition, 'group' | 'plural'>): string {
  return `${def.group || 'core'}/${def.plural}`;
}
