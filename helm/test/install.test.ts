import { join } from 'node:path';
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { requiredPermissions } from '@flightdeck/deploy/test/api-calls';
import { parseManifests, type Manifest } from '@flightdeck/deploy/test/objects';
import { cases, namespace as renderedNamespace, release, type Case } from './cases.js';
import {
  applyNamespaces,
  canI,
  createSecrets,
  eventually,
  grants,
  key,
  liveObjects,
  namespaceContents,
  restrictedLabels,
  rollouts,
  startCluster,
  type Cluster,
} from './cluster.js';
import { chartArgs, repoRoot } from './helm.js';

// `helm install --wait`, `upgrade`, `rollback` and `uninstall` of the chart with the values files of ci/, into a
// real API server (tools/kube-local) whose namespaces enforce the Pod Security Standard "restricted". One cluster
// for the file; the values files go through their lifecycles at the same time, each as release `flightdeck` in a
// namespace of its own.

const needed = [...requiredPermissions(join(repoRoot, 'apps/deployment/src'))];
const onDeployments = needed.filter((p) => p.startsWith('apps/deployments:'));
const onLeases = needed.filter((p) => p.startsWith('coordination.k8s.io/leases:'));

/** What the upgrade changes, whatever the values file: more planning pods (no autoscaler), a gates setting, two services off. */
const upgradeValues = join(repoRoot, 'helm/test/upgrade-values.yaml');
const analyticsElsewhere = 'http://analytics.elsewhere.svc:4004/graphql';

// target-namespaces-values.yaml names `flightdeck` among its targets, meaning the release namespace: it is
// installed there. The others each get a namespace of their own, where a target of `flightdeck` means that one.
const namespaceOf = (c: Case) =>
  c.file === 'target-namespaces-values.yaml' ? renderedNamespace : `fd-${c.file.replace(/-values\.yaml$/, '')}`;
const targetsOf = (c: Case) => c.targetNamespaces.map((t) => (t === renderedNamespace ? namespaceOf(c) : t));

const installable = cases.filter((c) => c.file !== 'monitoring-values.yaml');
// The deployment service's permissions are asked of the API server for each set of target namespaces once: the
// other values files render the same Roles (rbac.test.ts).
const checksRbac = (c: Case) => installable.find((o) => o.targetNamespaces.join() === c.targetNamespaces.join()) === c;
it.skip('monitoring-values.yaml: its ServiceMonitor and PrometheusRule are Prometheus Operator kinds, whose CRDs kube-local does not have (render.test.ts and alerts.test.ts check them)', () => {});

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
}, 240_000);
afterAll(async () => {
  await cluster?.stop();
});

const manifestOf = async (ns: string, revision: number) =>
  parseManifests(
    await cluster.helmOk(['get', 'manifest', release, '-n', ns, '--revision', String(revision)]),
    `revision ${revision}`,
  );

/** Every object of the manifest is on the server with every field the manifest gives it. */
async function expectLive(manifest: Manifest[], ns: string): Promise<void> {
  const live = await liveObjects(cluster, manifest, ns);
  expect(live.map((o) => key(o, ns)).sort()).toEqual(manifest.map((o) => key(o, ns)).sort());
  for (const object of manifest)
    expect(
      live.find((o) => key(o, ns) === key(object, ns)),
      key(object, ns),
    ).toMatchObject(object);
}

/** Every Deployment's rollout is complete: as many Ready pods as replicas, of its newest template only. */
async function expectRolledOut(ns: string, deployments: string[]): Promise<void> {
  const state = await rollouts(cluster, ns, release);
  expect(Object.keys(state).sort()).toEqual([...deployments].sort());
  for (const [name, s] of Object.entries(state)) expect(s, name).toMatch(/^(\d+)\/\1 pods Ready of \1$/);
}

const podSecurityWarnings = (stderr: string) => stderr.split('\n').filter((l) => /PodSecurity/.test(l));

async function secretData(ns: string, name: string): Promise<Record<string, string>> {
  return (
    JSON.parse(await cluster.kubectlOk(['get', 'secret', name, '-n', ns, '-o', 'json'])) as {
      data: Record<string, string>;
    }
  ).data;
}

// Several releases at once on a shared 2-core machine: a step may wait minutes for its turn.
describe.concurrent.each(installable)('$file', { timeout: 360_000 }, (c) => {
  const ns = namespaceOf(c);
  const targets = targetsOf(c);
  const touched = [...new Set([ns, ...targets])];
  const account = `system:serviceaccount:${ns}:${release}-deployment`;
  const chart = chartArgs({ release, namespace: ns, valuesFiles: [c.file] });
  let before: Record<string, string[]>;
  let revision1: Manifest[];
  let chartSecret: Record<string, string> | undefined;
  // The steps build on each other: after a failed one the rest are skipped, naming it, instead of failing for its reason.
  let failed: string | undefined;
  const step = (name: string, fn: () => Promise<void>) =>
    it.sequential(name, async (ctx) => {
      if (failed) ctx.skip(`"${failed}" failed`);
      await fn().catch((e: unknown) => {
        failed = name;
        throw e;
      });
    });

  beforeAll(async () => {
    // What the operator does first: the namespaces (labelled "restricted"), its Secrets, what the pods need of the cluster.
    await applyNamespaces(cluster, touched, restrictedLabels);
    await createSecrets(cluster, ns, c.operatorSecrets);
    for (const name of c.cluster?.priorityClasses ?? [])
      await cluster
        .kubectlOk(['create', 'priorityclass', name, '--value=1000000', '--dry-run=client', '-o', 'yaml'])
        .then((y) => cluster.kubectlOk(['apply', '-f', '-'], y));
    for (const [label, value] of Object.entries(c.cluster?.nodeLabels ?? {}))
      await cluster.kubectlOk(['label', 'nodes', '--all', '--overwrite', `${label}=${value}`]);
    before = Object.fromEntries(
      await Promise.all(touched.map(async (n) => [n, await namespaceContents(cluster, n)] as const)),
    );
  }, 120_000);

  step(
    'installs with --wait: every object as rendered, every pod Ready and admitted under Pod Security "restricted"',
    async () => {
      const install = await cluster.helm(['install', ...chart, '--wait', '--timeout', '3m']);
      expect(install.status, install.stderr).toBe(0);
      expect(podSecurityWarnings(install.stderr), 'Pod Security warnings').toEqual([]);
      revision1 = await manifestOf(ns, 1);
      expect(
        revision1.map((o) => o.metadata.namespace ?? ns).filter((n) => !touched.includes(n)),
        'objects outside the prepared namespaces',
      ).toEqual([]);
      await expectLive(revision1, ns);
      await expectRolledOut(
        ns,
        c.enabled.map((s) => `${release}-${s}`),
      );
      if (revision1.some((o) => o.kind === 'Secret')) chartSecret = await secretData(ns, `${release}-secrets`);
    },
  );

  const rbacStep = c.enabled.includes('deployment')
    ? `lets the deployment service's ServiceAccount make exactly its calls: Deployments in ${targets.join(', ')}, its Lease in ${ns}`
    : 'grants nothing to a deployment service that is not installed';
  if (checksRbac(c))
    step(rbacStep, async () => {
      const bare = `system:serviceaccount:${ns}:default`; // a ServiceAccount no Role names: what every account may do
      for (const n of [...touched, 'default', 'kube-system']) {
        const expected = c.enabled.includes('deployment')
          ? [...(targets.includes(n) ? onDeployments : []), ...(n === ns ? onLeases : [])]
          : [];
        const base = await grants(cluster, bare, n);
        const extra = [...(await grants(cluster, account, n))].filter((g) => !base.has(g));
        expect(extra.sort(), `granted in ${n} beyond a bare ServiceAccount`).toEqual(expected.sort());
      }

      const answers: Record<string, string> = {};
      const ask = async (verb: string, resource: string, n?: string) =>
        (answers[`${verb} ${resource} in ${n ?? 'all namespaces'}`] = await canI(cluster, account, verb, resource, n));
      const verbOf = (permission: string) => permission.split(': ')[1]!;
      await Promise.all([
        ...targets.flatMap((t) => onDeployments.map((p) => ask(verbOf(p), 'deployments.apps', t))),
        ...onLeases.map((p) => ask(verbOf(p), 'leases.coordination.k8s.io', ns)),
      ]);
      const allowed = c.enabled.includes('deployment') ? 'yes' : 'no';
      expect(
        Object.entries(answers).filter(([, a]) => a !== allowed),
        `answered other than ${allowed}`,
      ).toEqual([]);

      const refused: Record<string, string> = {};
      const deny = async (verb: string, resource: string, n?: string) =>
        (refused[`${verb} ${resource} in ${n ?? 'all namespaces'}`] = await canI(cluster, account, verb, resource, n));
      await Promise.all([
        ...targets.flatMap((t) => [
          deny('delete', 'deployments.apps', t),
          deny('list', 'deployments.apps', t),
          deny('update', 'deployments.apps', t),
          deny('patch', 'deployments.apps/scale', t),
          deny('get', 'secrets', t),
          deny('create', 'pods', t),
        ]),
        ...targets.filter((t) => t !== ns).map((t) => deny('create', 'leases.coordination.k8s.io', t)),
        deny('get', 'secrets', ns),
        deny('delete', 'leases.coordination.k8s.io', ns),
        deny('patch', 'deployments.apps', 'default'),
        deny('get', 'deployments.apps', 'kube-system'),
        deny('patch', 'deployments.apps'),
        deny('list', 'namespaces'),
        deny('get', 'nodes'),
        deny('create', 'clusterrolebindings.rbac.authorization.k8s.io'),
      ]);
      expect(
        Object.entries(refused).filter(([, a]) => a !== 'no'),
        'allowed though it must be refused',
      ).toEqual([]);
    });

  step(
    'upgrades with changed values: more pods, a new setting in the pods, disabled services gone, generated secrets kept',
    async () => {
      const upgrade = await cluster.helm(['upgrade', ...chart, '--values', upgradeValues, '--wait', '--timeout', '3m']);
      expect(upgrade.status, upgrade.stderr).toBe(0);
      expect(podSecurityWarnings(upgrade.stderr), 'Pod Security warnings').toEqual([]);
      const revision2 = await manifestOf(ns, 2);
      await expectLive(revision2, ns);

      // What must be gone: everything of analytics and the deployment service (RBAC in every target namespace
      // included) and, with hardened values, planning's autoscaler.
      const component = (o: Manifest) => o.metadata.labels?.['app.kubernetes.io/component'] ?? '';
      const expectedGone = revision1
        .filter(
          (o) =>
            ['analytics', 'deployment'].includes(component(o)) ||
            (o.kind === 'HorizontalPodAutoscaler' && component(o) === 'planning'),
        )
        .map((o) => key(o, ns));
      const gone = revision1.filter((o) => !revision2.some((n) => key(n, ns) === key(o, ns)));
      expect(gone.map((o) => key(o, ns)).sort()).toEqual(expectedGone.sort());
      expect(await liveObjects(cluster, gone, ns), 'still on the server').toEqual([]);
      if (c.enabled.includes('deployment'))
        expect(await canI(cluster, account, 'patch', 'deployments.apps', targets[0])).toBe('no');

      await expectRolledOut(
        ns,
        ['gateway', 'planning', 'gates'].map((s) => `${release}-${s}`),
      );
      const pods = (
        JSON.parse(
          await cluster.kubectlOk([
            'get',
            'pods',
            '-n',
            ns,
            '-l',
            `app.kubernetes.io/instance=${release}`,
            '-o',
            'json',
          ]),
        ) as {
          items: {
            metadata: { labels: Record<string, string> };
            spec: { containers: { env?: { name: string; value?: string }[] }[] };
          }[];
        }
      ).items;
      const envOf = (p: (typeof pods)[number]) =>
        Object.fromEntries((p.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
      const of = (s: string) => pods.filter((p) => p.metadata.labels['app.kubernetes.io/component'] === s);
      expect(of('planning')).toHaveLength(3);
      expect(of('gates').length).toBeGreaterThan(0);
      expect(of('gates').map((p) => envOf(p).EVIDENCE_MAX_BYTES)).toEqual(of('gates').map(() => '1048576'));
      expect(
        of('gateway').every((p) => envOf(p).SUBGRAPH_ANALYTICS_URL === analyticsElsewhere),
        JSON.stringify(of('gateway').map(envOf)),
      ).toBe(true);
      if (chartSecret)
        expect(await secretData(ns, `${release}-secrets`), 'generated secrets are read back, not made anew').toEqual(
          chartSecret,
        );
    },
  );

  step("rolls back to revision 1's objects", async () => {
    const rollback = await cluster.helm(['rollback', release, '1', '-n', ns, '--wait', '--timeout', '3m']);
    expect(rollback.status, rollback.stderr).toBe(0);
    const history = JSON.parse(await cluster.helmOk(['history', release, '-n', ns, '-o', 'json'])) as {
      revision: number;
      status: string;
      description: string;
    }[];
    expect(history.map((h) => `${h.revision} ${h.status} ${h.description}`)).toEqual([
      '1 superseded Install complete',
      '2 superseded Upgrade complete',
      '3 deployed Rollback to 1',
    ]);
    expect(await manifestOf(ns, 3)).toEqual(revision1);
    await expectLive(revision1, ns);
    await expectRolledOut(
      ns,
      c.enabled.map((s) => `${release}-${s}`),
    );
    if (chartSecret) expect(await secretData(ns, `${release}-secrets`)).toEqual(chartSecret);
    if (c.enabled.includes('deployment'))
      expect(await canI(cluster, account, 'patch', 'deployments.apps', targets[0])).toBe('yes');
  });

  const makesLease = c.enabled.includes('deployment');
  step(
    `uninstalls leaving every namespace as it was before the install${makesLease ? ', once the Lease the notes name is deleted as they say' : ''}`,
    async () => {
      const lease = `${release}-deployment`;
      // The running service makes its leader-election Lease itself (LEASE_NAME): made here as that ServiceAccount would.
      if (makesLease)
        await cluster.kubectlOk(
          ['create', '-f', '-', '--as', account],
          stringify({
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: lease, namespace: ns },
            spec: { holderIdentity: 'flightdeck-deployment-0', leaseDurationSeconds: 15 },
          }),
        );
      const notes = await cluster.helmOk(['get', 'notes', release, '-n', ns]);
      // --wait=legacy: helm 4.3's default waiter may return before a foreground deletion is over (helm/helm#31651).
      const uninstall = await cluster.helm([
        'uninstall',
        release,
        '-n',
        ns,
        '--wait=legacy',
        '--cascade',
        'foreground',
        '--timeout',
        '2m',
      ]);
      expect(uninstall.status, uninstall.stderr).toBe(0);
      for (const n of touched)
        expect(await namespaceContents(cluster, n), `what is left in ${n}`).toEqual(
          [...before[n]!, ...(makesLease && n === ns ? [`Lease/${lease}`] : [])].sort(),
        );
      expect((await cluster.helm(['status', release, '-n', ns])).stderr).toMatch(/release: not found/);

      const command = /^\s*(kubectl -n \S+ delete lease \S+)$/m.exec(notes)?.[1];
      if (!makesLease) return expect(command).toBeUndefined();
      expect(command).toBe(`kubectl -n ${ns} delete lease ${lease}`);
      await cluster.kubectlOk(command!.split(' ').slice(1));
      expect(await namespaceContents(cluster, ns)).toEqual(before[ns]);
    },
  );
});

describe.concurrent('what the cluster refuses', { timeout: 300_000 }, () => {
  it('a "restricted" namespace refuses the chart’s pods once a container may escalate its privileges, and helm shows why', async () => {
    const ns = 'fd-weakened';
    await applyNamespaces(cluster, [ns], restrictedLabels);
    const install = await cluster.helm([
      'install',
      ...chartArgs({ release, namespace: ns, set: { 'containerSecurityContext.allowPrivilegeEscalation': 'true' } }),
    ]);
    expect(install.status, install.stderr).toBe(0);
    const components = cases[0]!.enabled;
    for (const s of components)
      expect(podSecurityWarnings(install.stderr).join('\n')).toContain(
        `would violate PodSecurity \\"restricted:latest\\": allowPrivilegeEscalation != false (container \\"${s}\\"`,
      );
    // Each ReplicaSet tries to make its pods and is refused, saying why.
    const failures = await eventually('every ReplicaSet to report that its pods are refused', async () => {
      const sets = (
        JSON.parse(await cluster.kubectlOk(['get', 'replicasets', '-n', ns, '-o', 'json'])) as { items: V1ReplicaSet[] }
      ).items;
      const refused = sets.map((r) => r.status?.conditions?.find((c) => c.type === 'ReplicaFailure')?.message ?? '');
      return sets.length === components.length && refused.every(Boolean) ? refused : undefined;
    });
    for (const message of failures)
      expect(message).toMatch(
        /is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/,
      );
    expect(await cluster.kubectlOk(['get', 'pods', '-n', ns, '-o', 'name'])).toBe('');
    await cluster.helmOk(['uninstall', release, '-n', ns]);
  });

  it('an install naming a target namespace that does not exist fails, naming it', async () => {
    const ns = 'fd-no-targets';
    await applyNamespaces(cluster, [ns], restrictedLabels);
    const install = await cluster.helm([
      'install',
      ...chartArgs({ release, namespace: ns, set: { 'deployment.targetNamespaces': '{nowhere}' } }),
    ]);
    expect(install.status).not.toBe(0);
    expect(install.stderr).toContain('Role: namespaces "nowhere" not found');
    expect(await cluster.helmOk(['status', release, '-n', ns])).toMatch(/^STATUS: failed$/m);
    await cluster.helmOk(['uninstall', release, '-n', ns]);
  });

  it('an upgrade whose pods never get Ready fails --wait, and --rollback-on-failure puts the last good revision back', async () => {
    const ns = 'fd-crashing';
    await applyNamespaces(cluster, [ns], restrictedLabels);
    const chart = chartArgs({ release, namespace: ns });
    await cluster.helmOk(['install', ...chart, '--wait', '--timeout', '3m']);
    // kube-local's pods of an image tagged *-crash start and crash over and over, never Ready (tools/workload-sim).
    const upgrade = await cluster.helm([
      'upgrade',
      ...chart,
      '--set',
      'image.tag=0.1.0-crash',
      '--rollback-on-failure',
      '--timeout',
      '20s',
    ]);
    expect(upgrade.status).not.toBe(0);
    expect(upgrade.stderr).toMatch(/UPGRADE FAILED: .*rolled back due to rollback-on-failure/s);
    const history = JSON.parse(await cluster.helmOk(['history', release, '-n', ns, '-o', 'json'])) as {
      revision: number;
      status: string;
      description: string;
    }[];
    expect(history.map((h) => `${h.revision} ${h.status}`)).toEqual(['1 superseded', '2 failed', '3 deployed']);
    expect(history[2]!.description).toBe('Rollback to 1');
    await expectRolledOut(
      ns,
      cases[0]!.enabled.map((s) => `${release}-${s}`),
    );
    const images = await cluster.kubectlOk([
      'get',
      'pods',
      '-n',
      ns,
      '-o',
      'jsonpath={.items[*].spec.containers[0].image}',
    ]);
    expect(images.split(' ').filter((i) => !i.endsWith(':0.1.0'))).toEqual([]);
    await cluster.helmOk(['uninstall', release, '-n', ns]);
  });
});
