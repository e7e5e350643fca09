import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Deployment, V1Role } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { requiredPermissions } from '@flightdeck/deploy/test/api-calls';
import { grantedPermissions, ofKind, parseManifests } from '@flightdeck/deploy/test/objects';
import { cases, namespace, release } from './cases.js';
import { repoRoot, template } from './helm.js';

// The deployment service may make exactly the Kubernetes API calls its source makes: Deployments in each target
// namespace, its Lease in its own; the same Roles as the kustomize base's deploy/manifests/deployment-rbac.yaml.

const needed = [...requiredPermissions(join(repoRoot, 'apps/deployment/src'))];
const onDeployments = needed.filter((p) => p.startsWith('apps/deployments:'));
const onLeases = needed.filter((p) => p.startsWith('coordination.k8s.io/leases:'));
const baseRoles = ofKind<V1Role>(
  parseManifests(readFileSync(join(repoRoot, 'deploy/manifests/deployment-rbac.yaml'), 'utf8'), 'deployment-rbac.yaml'),
  'Role',
);

it('the source makes calls on Deployments and Leases only, so each is granted below', () => {
  expect(onDeployments.length).toBeGreaterThan(0);
  expect(onLeases).toContain('coordination.k8s.io/leases: update');
  expect([...onDeployments, ...onLeases].sort()).toEqual([...needed].sort());
});

describe.each(cases)('$file', (c) => {
  const { objects } = template({ release, namespace, valuesFiles: [c.file] });

  if (!c.enabled.includes('deployment')) {
    it('has no ServiceAccount, Role or RoleBinding without the deployment service', () => {
      expect(objects.filter((o) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind))).toEqual([]);
    });
    return;
  }

  const deployment = ofKind<V1Deployment>(objects, 'Deployment').find(
    (d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'deployment',
  )!;
  const account = { name: deployment.spec!.template.spec!.serviceAccountName!, namespace };

  it(`grants Deployments in ${c.targetNamespaces.join(', ')} and the Lease in ${namespace}, nothing anywhere else`, () => {
    expect(ofKind(objects, 'ServiceAccount').map((o) => o.metadata.name)).toEqual([account.name]);
    const namespaces = new Set([
      namespace,
      ...c.targetNamespaces,
      ...objects.map((o) => o.metadata.namespace ?? namespace),
    ]);
    for (const ns of namespaces) {
      const expected = [
        ...(c.targetNamespaces.includes(ns) ? onDeployments : []),
        ...(ns === namespace ? onLeases : []),
      ];
      expect([...grantedPermissions(objects, account, ns, namespace)].sort(), `granted in ${ns}`).toEqual(
        expected.sort(),
      );
    }
  });

  it('uses the Roles of deploy/manifests/deployment-rbac.yaml, rule for rule', () => {
    for (const role of ofKind<V1Role>(objects, 'Role')) {
      const same = baseRoles.find(
        (b) => role.metadata.name === `${release}-${b.metadata.name.replace(/^flightdeck-/, '')}`,
      );
      expect(same, `Role ${role.metadata.name} has a counterpart in the kustomize base`).toBeDefined();
      expect(role.rules).toEqual(same!.rules);
    }
  });

  it('elects its leader with a Lease in the pod’s own namespace, named after the release', () => {
    const env = deployment.spec!.template.spec!.containers[0]!.env!;
    expect(env.find((e) => e.name === 'LEASE_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
    expect(env.find((e) => e.name === 'LEASE_NAME')?.value).toBe(`${release}-deployment`);
    expect(deployment.spec?.template.spec?.automountServiceAccountToken).not.toBe(false);
  });
});
