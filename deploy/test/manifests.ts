import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireBinary } from '@flightdeck/testing';
import { parseManifests, type Manifest } from './objects.js';

export { componentObjects, containerEnv, grantedPermissions, ofKind, parseManifests, portNumber, type EnvSources, type Manifest } from './objects.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const kubectl = requireBinary('kubectl');

/** `kubectl kustomize <dir>` (dir relative to the repository root): the YAML text and its objects. */
export function render(dir: string): { yaml: string; objects: Manifest[] } {
  const yaml = execFileSync(kubectl, ['kustomize', dir], { cwd: repoRoot, encoding: 'utf8' });
  return { yaml, objects: parseManifests(yaml, `kubectl kustomize ${dir}`) };
}
