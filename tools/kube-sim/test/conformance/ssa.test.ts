import { PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { both, expectSame, outcome, startServers, withoutStatus, type Server, type Servers } from './servers.js';
import { deployment } from '../helpers.js';

const ns = 'conf-ssa';
const apply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

/** FieldsV1 without its `.` markers (a map or an optional struct being there), which kube-sim does not keep. */
function withoutMarkers(fields: unknown): unknown {
  if (!fields || typeof fields !== 'object') return fields;
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([k]) => k !== '.')
      .map(([k, v]) => [k, withoutMarkers(v)]),
  );
}

/** Who owns what: each managedFields entry's manager, operation, subresource and fields, by manager. */
const owners = (d: V1Deployment) =>
  (d.metadata?.managedFields ?? [])
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      subresource: m.subresource,
      fieldsV1: withoutMarkers(m.fieldsV1),
    }))
    .filter((m) => m.manager !== 'kube-controller-manager')
    .sort((a, b) => `${a.manager}/${a.operation}`.localeCompare(`${b.manager}/${b.operation}`));

describe('server-side apply and field ownership (managedFields), on kube-sim and on kube-local', () => {
  let s: Servers;
  beforeAll(async () => {
    s = await startServers(ns);
  });
  afterAll(() => s?.stop());

  const applyAs = (x: Server, manager: string, body: object, opts: { force?: boolean; dryRun?: string } = {}) =>
    x.apps.patchNamespacedDeployment(
      { name: (body as V1Deployment).metadata!.name!, namespace: ns, body, fieldManager: manager, ...opts },
      apply,
    );
  const read = (x: Server, name: string) => x.apps.readNamespacedDeployment({ name, namespace: ns });
  const config = (replicas: number, labels: Record<string, string> = {}) => {
    const d = deployment('applied', 'shop/web:1.0.0', { replicas });
    d.metadata!.labels = { ...d.metadata!.labels, ...labels };
    return d;
  };

  it('an apply creates the object and owns exactly the fields of its configuration', async () => {
    const created = await both(s, (x) => applyAs(x, 'alice', config(2, { tier: 'front' })));
    expectSame(withoutStatus(created), 'the created object');
    expectSame({ sim: owners(created.sim), local: owners(created.local) }, 'its owners');
    expect(owners(created.local).map((o) => `${o.manager} ${o.operation}`)).toEqual(['alice Apply']);
  });

  it('a plain create owns every field it set, under the name the client gives or its User-Agent', async () => {
    const named = await both(s, (x) =>
      x.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment('created', 'shop/web:1.0.0'),
        fieldManager: 'ci-pipeline',
      }),
    );
    expectSame({ sim: owners(named.sim), local: owners(named.local) }, 'a create with a fieldManager');
    const unnamed = await both(s, (x) =>
      x.apps.createNamespacedDeployment({ namespace: ns, body: deployment('unnamed', 'shop/web:1.0.0') }),
    );
    expectSame(
      { sim: owners(unnamed.sim).map((o) => o.operation), local: owners(unnamed.local).map((o) => o.operation) },
      'a create without one',
    );
  });

  it('another manager’s apply of a field with another value is refused with 409, naming the field and the owner', async () => {
    const refused = await both(s, (x) => outcome(() => applyAs(x, 'bob', config(5))));
    const local = expectSame(refused, 'the conflict');
    expect(local).toMatchObject({
      error: { code: 409, reason: 'Conflict', causes: [{ reason: 'FieldManagerConflict', field: '.spec.replicas' }] },
    });
    expectSame(
      {
        sim: 'error' in refused.sim ? refused.sim.error.message : '',
        local: 'error' in refused.local ? refused.local.error.message : '',
      },
      'the conflict’s message',
    );
    // An apply of the same value shares the field instead.
    const shared = await both(s, (x) => applyAs(x, 'carol', config(2)));
    expectSame({ sim: owners(shared.sim), local: owners(shared.local) }, 'owners after an apply of the same values');
  });

  it('a forced apply takes the field; a plain write takes what it changes; a conflict with a plain writer is refused too', async () => {
    const forced = await both(s, (x) => applyAs(x, 'bob', config(5), { force: true }));
    expectSame({ sim: owners(forced.sim), local: owners(forced.local) }, 'owners after the forced apply');
    const scaled = await both(s, (x) =>
      x.apps.patchNamespacedDeploymentScale(
        { name: 'applied', namespace: ns, body: { spec: { replicas: 3 } }, fieldManager: 'hpa' },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(scaled.local.spec?.replicas).toBe(3);
    const after = await both(s, (x) => read(x, 'applied'));
    expectSame({ sim: owners(after.sim), local: owners(after.local) }, 'owners after a scale');
    expectSame(await both(s, (x) => outcome(() => applyAs(x, 'bob', config(4)))), 'bob’s apply against the scaler');
  });

  it('an apply that leaves out a field it applied before removes it, unless another manager owns it too', async () => {
    // alice applied tier=front; only she owns it: applying without it removes the label.
    const dropped = await both(s, (x) =>
      applyAs(x, 'alice', config(2)).catch(() => applyAs(x, 'alice', config(2), { force: true })),
    );
    expectSame(withoutStatus(dropped), 'after alice left tier out');
    expect(dropped.local.metadata?.labels).toEqual({ app: 'applied' });
    expectSame({ sim: owners(dropped.sim), local: owners(dropped.local) }, 'owners after alice left tier out');
  });

  it('a dry run answers as the apply would and changes nothing; an apply without a field manager is refused', async () => {
    const dry = await both(s, (x) =>
      applyAs(
        x,
        'dave',
        { ...config(2), metadata: { name: 'applied', labels: { app: 'applied', dry: 'yes' } } },
        { dryRun: 'All', force: true },
      ),
    );
    expectSame(withoutStatus(dry), 'the dry run’s answer');
    const after = await both(s, (x) => read(x, 'applied'));
    expectSame({ sim: after.sim.metadata?.labels, local: after.local.metadata?.labels }, 'labels after the dry run');
    const anonymous = await both(s, (x) =>
      outcome(() => x.apps.patchNamespacedDeployment({ name: 'applied', namespace: ns, body: config(2) }, apply)),
    );
    expectSame(anonymous, 'an apply without a fieldManager');
  });
});
