import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `.ci/build-kube-local.sh` puts the binaries it builds: tools/kube-local/bin. */
export const defaultBinDir = fileURLToPath(new URL('../bin', import.meta.url));

export const binaryNames = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;

export type BinaryName = (typeof binaryNames)[number];

export type Binaries = Record<BinaryName, string>;

/** The built binaries in `dir`, or an error naming each one missing and how to build them. */
export function findBinaries(dir = defaultBinDir): Binaries {
  const missing: string[] = [];
  const found = {} as Binaries;
  for (const name of binaryNames) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      found[name] = path;
    } catch {
      missing.push(name);
    }
  }
  if (missing.length) {
    throw new Error(
      `kube-local is not built: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from ${dir}. ` +
        'Build them with `npm run kube-local:build` (Go 1.26 and the Go module proxy; about 12 CPU-minutes the first time, seconds after that).',
    );
  }
  return found;
}
