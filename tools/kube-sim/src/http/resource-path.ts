import type { KindDefinition } from '../kinds/kind.js';
import type { KindRegistry } from '../kinds/registry.js';

/** A request path resolved to a resource: `/apis/apps/v1/namespaces/shop/deployments/web/scale` and friends. */
export interface ResourcePath {
  def: KindDefinition;
  namespace?: string;
  name?: string;
  subresource?: string;
  legacyWatch: boolean;
}

export type ParsedPath =
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'resource'; target: ResourcePath }
  | { type: 'unknown' };

export function parseResourcePath(registry: KindRegistry, segments: string[]): ParsedPath {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else return { type: 'unknown' };
  if (rest.length === 0) return { type: 'groupVersion', group, version };
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const inner = registry.byResource(group, version, rest[2]!);
    if (inner?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const def = registry.byResource(group, version, rest[0]!);
  if (!def || rest.length > 3) return { type: 'unknown' };
  return { type: 'resource', target: { def, namespace, name: rest[1], subresource: rest[2], legacyWatch } };
}
