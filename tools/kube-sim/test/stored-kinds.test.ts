import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../src/index.js';

// Secrets, ServiceAccounts, Roles and RoleBindings are stored so that install manifests apply whole; nothing enforces them.
describe('stored-only kinds: Secret, ServiceAccount, Role, RoleBinding', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim();
  });
  afterAll(() => sim.stop());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { details?: { causes?: { field?: string }[] } } };
  };
  const core = '/api/v1/namespaces/default';
  const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';

  it('a Secret keeps data, folds stringData into base64 data and defaults type to Opaque', async () => {
    const created = await call('POST', `${core}/secrets`, { metadata: { name: 'app' }, data: { a: Buffer.from('one').toString('base64') }, stringData: { b: 'two' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'Opaque', data: { a: 'b25l', b: 'dHdv' } });
    expect(created.body.stringData).toBeUndefined();
    const read = await call('GET', `${core}/secrets/app`);
    expect(read.body).toMatchObject({ data: { a: 'b25l', b: 'dHdv' } });
  });

  it('a Secret with data that is not base64 is refused with 422, without echoing the value', async () => {
    const r = await call('POST', `${core}/secrets`, { metadata: { name: 'bad' }, data: { token: 'not base64!' } });
    expect(r.status).toBe(422);
    expect(r.body.details!.causes!.map((c) => c.field)).toEqual(['data[token]']);
    expect(JSON.stringify(r.body)).not.toContain('not base64!');
  });

  it('ServiceAccount, Role and RoleBinding are stored and listed', async () => {
    expect((await call('POST', `${core}/serviceaccounts`, { metadata: { name: 'robot' } })).status).toBe(201);
    const rules = [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] }];
    expect((await call('POST', `${rbac}/roles`, { metadata: { name: 'rollouts' }, rules })).status).toBe(201);
    const binding = { metadata: { name: 'rollouts' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rollouts' }, subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'default' }] };
    expect((await call('POST', `${rbac}/rolebindings`, binding)).status).toBe(201);
    expect((await call('GET', `${rbac}/roles/rollouts`)).body).toMatchObject({ rules });
    const list = await call('GET', `${rbac}/rolebindings`);
    expect((list.body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toEqual(['rollouts']);
  });

  it('a Role rule without verbs, and a RoleBinding whose roleRef changes, are refused with 422', async () => {
    const noVerbs = await call('POST', `${rbac}/roles`, { metadata: { name: 'empty' }, rules: [{ apiGroups: [''], resources: ['pods'] }] });
    expect(noVerbs.status).toBe(422);
    expect(noVerbs.body.details!.causes!.map((c) => c.field)).toEqual(['rules[0].verbs']);
    const res = await fetch(`${sim.url}${rbac}/rolebindings/rollouts`, {
      method: 'PATCH',
      body: JSON.stringify({ roleRef: { name: 'other' } }),
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toContain('cannot change roleRef');
  });
});
