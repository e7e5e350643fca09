import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The Kubernetes API calls a service's source makes through @kubernetes/client-node, as RBAC grants them:
// `patchNamespacedDeployment` needs verb patch on apps/deployments. A call this table cannot translate fails the
// test, so a new kind of call is never silently left out of the Role.
const verbs: Record<string, string> = {
  read: 'get',
  list: 'list',
  create: 'create',
  patch: 'patch',
  replace: 'update',
  delete: 'delete',
  deleteCollection: 'deletecollection',
};
const resources: Record<string, string> = { Deployment: 'apps/deployments', Lease: 'coordination.k8s.io/leases' };
const call = /\b(read|list|create|patch|replace|deleteCollection|delete)Namespaced([A-Z]\w*)\b/g;
const untranslated = /\bnew Watch\(|\bmakeInformer\(|\bKubernetesObjectApi\b|\bwatchNamespaced|\w+ForAllNamespaces\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** `group/resource: verb` for every API call under srcDir, e.g. `apps/deployments: patch`. */
export function requiredPermissions(srcDir: string): Set<string> {
  const out = new Set<string>();
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const other = untranslated.exec(text);
    if (other)
      throw new Error(
        `${file} uses ${other[0]}, which this check cannot translate into RBAC verbs: extend deploy/test/api-calls.ts and the Role`,
      );
    for (const [, method, kind] of text.matchAll(call)) {
      const resource = resources[kind!];
      if (!resource)
        throw new Error(
          `${file} calls ${method}Namespaced${kind}: add the resource of ${kind} to deploy/test/api-calls.ts and grant it in the Role`,
        );
      out.add(`${resource}: ${verbs[method!]}`);
    }
  }
  return out;
}
