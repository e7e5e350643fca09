import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { both, expectSame, refusalOf, startServers, type Servers } from './servers.js';

const ns = 'conf-stored';
const core = `/api/v1/namespaces/${ns}`;
const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;

// kube-sim stores Secrets, ServiceAccounts, Roles and RoleBindings so that install manifests apply whole; nothing
// in it enforces them (no RBAC authorisation: README).
describe('Secret, ServiceAccount, Role and RoleBinding on kube-sim and on kube-local', () => {
  let s: Servers;
  beforeAll(async () => {
    s = await startServers(ns);
  });
  afterAll(() => s?.stop());

  /** The same request on both servers: its status, and its body (a refusal as refusalOf reads it). */
  const call = async (method: string, path: string, body?: unknown, contentType?: string) =>
    both(s, async (x) => {
      const r = await x.request(method, path, body === undefined ? undefined : JSON.stringify(body), contentType);
      return r.status >= 400
        ? { status: r.status, refusal: refusalOf(r.status, r.body) }
        : { status: r.status, body: r.body };
    });

  it('a Secret keeps data, folds stringData into base64 data and defaults its type to Opaque', async () => {
    const created = expectSame(
      await call('POST', `${core}/secrets`, {
        metadata: { name: 'app' },
        data: { a: Buffer.from('one').toString('base64') },
        stringData: { b: 'two' },
      }),
      'the created Secret',
    );
    expect(created).toMatchObject({ status: 201, body: { type: 'Opaque', data: { a: 'b25l', b: 'dHdv' } } });
    expectSame(await call('GET', `${core}/secrets/app`), 'the Secret read back');
  });

  it('a Secret whose data is not base64 is refused without echoing the value', async () => {
    const refused = await call('POST', `${core}/secrets`, {
      metadata: { name: 'bad' },
      data: { token: 'not base64!' },
    });
    expectSame(refused, 'a Secret that is not base64');
    for (const r of [refused.sim, refused.local])
      expect(JSON.stringify({ ...r, message: r.refusal?.message })).not.toContain('not base64!');
  });

  it('ServiceAccount, Role and RoleBinding are stored and listed', async () => {
    expectSame(
      await call('POST', `${core}/serviceaccounts`, { metadata: { name: 'robot' } }),
      'the created ServiceAccount',
    );
    const rules = [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] }];
    expectSame(await call('POST', `${rbac}/roles`, { metadata: { name: 'rollouts' }, rules }), 'the created Role');
    const binding = {
      metadata: { name: 'rollouts' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rollouts' },
      subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: ns }],
    };
    expectSame(await call('POST', `${rbac}/rolebindings`, binding), 'the created RoleBinding');
    expectSame(await call('GET', `${rbac}/rolebindings`), 'the RoleBindings listed');
    expectSame(await call('GET', `${core}/serviceaccounts`), 'the ServiceAccounts listed');
  });

  it('a Role rule without verbs, and a RoleBinding whose roleRef changes, are refused with 422', async () => {
    const noVerbs = expectSame(
      await call('POST', `${rbac}/roles`, {
        metadata: { name: 'empty' },
        rules: [{ apiGroups: [''], resources: ['pods'] }],
      }),
      'a rule without verbs',
    );
    expect(noVerbs).toMatchObject({ status: 422 });
    const changed = expectSame(
      await call(
        'PATCH',
        `${rbac}/rolebindings/rollouts`,
        { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'other' } },
        'application/merge-patch+json',
      ),
      'a changed roleRef',
    );
    expect(changed).toMatchObject({ status: 422 });
  });
});
