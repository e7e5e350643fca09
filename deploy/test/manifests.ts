import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireBinary } from '@flightdeck/testing';
import { parseManifests, type Manifest } from './objects.js';

export {
  componentObjects,
  containerEnv,
  grantedPermissions,
  ofKind,
  parseManifests,
  portNumber,
  type EnvSources,
  type Manifest,
} from './objects.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const kubectl = requireBinary('kubectl');

/** `kubectl kustomize <dir>` (dir relative to the repository root): the YAML text and its objects. */
export function render(dir: string): { yaml: string; objects: Manifest[] } {
  const yaml = execFileSync(kubectl, ['kustomize', dir], { cwd: repoRoot, encoding: 'utf8' });
  return { yaml, objects: parseManifests(yaml, `kubectl kustomize ${dir}`) };
}

/** The README's shell block that creates the namespace and the Secret, as written. */
export async function readmeSecretCommands(): Promise<string> {
  const readme = await readFile(join(repoRoot, 'deploy/README.md'), 'utf8');
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes('create secret generic flightdeck-secrets'));
  if (!block) throw new Error('deploy/README.md has no ```sh block creating the flightdeck-secrets Secret');
  return block;
}
