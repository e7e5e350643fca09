import { AuthorizationV1Api, KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '@flightdeck/deploy/test/objects';
import { RuleError } from '@flightdeck/kernel';
import { eventually } from '@flightdeck/testing';
import type { StoredRollout } from '../../src/application/ports.js';
import type { StepSpec } from '../../src/domain/index.js';
import { clusterKind, NAMESPACE } from './cluster.js';
import {
  clearRelease,
  collectEvents,
  createWorkload,
  dbFor,
  deployment,
  startCluster,
  startService,
  type Cluster,
  type Service,
} from './stack.js';

const onKubeLocal = clusterKind() === 'kube-local';
// A first weight, then a pause until a person approves: a place to change the cluster under the rollout.
const steps: StepSpec[] = [{ kind: 'SET_WEIGHT', weight: 25 }, { kind: 'PAUSE' }, { kind: 'SET_WEIGHT', weight: 50 }];

describe('a Deployment the service may not or cannot change: the rollout ends saying what was refused, nothing half-applied', () => {
  let c: Cluster;
  let s: Service;
  let events: Awaited<ReturnType<typeof collectEvents>>;
  let admin: KubeConfig;

  beforeAll(async () => {
    c = await startCluster();
    s = await startService(c, dbFor('refusals'));
    events = await collectEvents(s.bus);
    admin = new KubeConfig();
    admin.loadFromString(c.adminKubeconfig);
  }, 90_000);
  afterAll(async () => {
    await events?.sub.stop();
    await s?.stop();
    await c?.stop();
  });

  const start = async (name: string, over: { steps?: StepSpec[] } = {}) => {
    await clearRelease(s, `rel-${name}`);
    const target = { cluster: '', namespace: NAMESPACE, deployment: name, container: 'app' };
    return s.service.commands.start(
      {
        releaseId: `rel-${name}`,
        environment: 'production',
        target,
        image: 'shop/web:2.0.0',
        strategy: 'CANARY',
        steps,
        progressDeadlineSeconds: 30,
        ...over,
      },
      { by: 'sam' },
    );
  };
  const until = (id: string, phases: string[]) =>
    eventually(
      `rollout ${id} in ${phases.join(' or ')}`,
      async () => {
        const x = await s.service.commands.get(id);
        return phases.includes(x.rollout.phase) ? x : undefined;
      },
      40_000,
    );
  const read = (name: string) =>
    c.apps
      .readNamespacedDeployment({ name, namespace: NAMESPACE })
      .catch((e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e)));
  const failedEvent = (id: string) =>
    eventually(
      'the failed event',
      async () =>
        events.events.find(
          (e) =>
            e.type === 'flightdeck.deployment.rollout.failed' && (e.data as { rolloutId: string }).rolloutId === id,
        )?.data as { reason: string } | undefined,
    );

  /** The stable Deployment as it was made (4 replicas of 1.0.0, no Flightdeck annotation) and no canary beside it. */
  async function expectUntouched(name: string, stableReplicas = 4): Promise<void> {
    const stable = (await read(name))!;
    expect(stable.spec).toMatchObject({
      replicas: stableReplicas,
      template: { spec: { containers: [{ name: 'app', image: 'shop/web:1.0.0' }] } },
    });
    expect(stable.metadata?.annotations?.['flightdeck.io/rollout-id']).toBeUndefined();
    expect(await read(`${name}-canary`)).toBeUndefined();
  }

  /** Held as FAILED at its first step with `message`, which the failed event carries too. */
  async function expectHeldUnchanged(r: StoredRollout, message: string): Promise<void> {
    const done = await until(r.rollout.id, ['FAILED', 'PAUSED', 'ROLLED_BACK', 'PROMOTED']);
    expect(done.rollout.phase, done.rollout.message).toBe('FAILED');
    expect(done.rollout.message).toBe(message);
    expect(done.rollout.weight).toBe(0);
    expect(done.rollout.decisions.at(-1)).toMatchObject({ action: 'REFUSED', message });
    expect((await failedEvent(r.rollout.id)).reason).toBe(message);
  }

  it('the stable Deployment deleted mid-rollout: the rollout tries to roll back, then is held naming the object and the refused get', async () => {
    await createWorkload(c, 'deleted');
    // A timed pause after the first weight: the rollout is driven (and looks at the cluster) while it waits.
    const r = await start('deleted', {
      steps: [
        { kind: 'SET_WEIGHT', weight: 25 },
        { kind: 'PAUSE', seconds: 60 },
        { kind: 'SET_WEIGHT', weight: 50 },
      ],
    });
    await eventually('the first weight done', async () =>
      (await s.service.commands.get(r.rollout.id)).rollout.stepIndex === 1 ? true : undefined,
    );
    await c.apps.deleteNamespacedDeployment({ name: 'deleted', namespace: NAMESPACE });
    const done = await until(r.rollout.id, ['FAILED', 'ROLLED_BACK']);
    const gone = 'Deployment default/deleted is gone from the cluster: get answered 404 Not Found';
    expect(done.rollout.rollback).toMatchObject({ cause: 'REFUSED', reason: gone });
    expect(done.rollout.phase).toBe('FAILED');
    expect(done.rollout.message).toBe(
      `${gone}; the rollback could not finish, so deleted and deleted-canary stay as they are now: settle the refusal, then abort to roll back again`,
    );
    expect(done.rollout.decisions.slice(-2).map((d) => d.action)).toEqual(['START_ROLLBACK', 'REFUSED']);
  });

  it('a Deployment named like the canary that Flightdeck did not make is left alone: held, nothing changed', async () => {
    await createWorkload(c, 'foreign');
    await c.apps.createNamespacedDeployment({
      namespace: NAMESPACE,
      body: deployment('foreign-canary', 'other/team:7.0.0', 1),
    });
    const r = await start('foreign');
    await expectHeldUnchanged(
      r,
      'Deployment default/foreign-canary exists but Flightdeck did not make it (it has no flightdeck.io/managed-by: flightdeck-deployment annotation), and a canary of foreign would take it over: rename or remove that Deployment, then retry; nothing was changed: settle the refusal, then retry',
    );
    const theirs = (await read('foreign-canary'))!;
    expect(theirs.spec).toMatchObject({
      replicas: 1,
      template: { spec: { containers: [{ image: 'other/team:7.0.0' }] } },
    });
    expect((await read('foreign'))!.spec?.replicas).toBe(4);
  });

  it('replicas another field manager applies (server-side apply, as Argo CD or Flux do) are not taken over: held, nothing changed', async () => {
    await c.apply([deployment('applied', 'shop/web:1.0.0') as Manifest], 'gitops');
    await eventually('applied ready', async () =>
      (await read('applied'))?.status?.readyReplicas === 4 ? true : undefined,
    );
    const r = await start('applied');
    await expectHeldUnchanged(
      r,
      'the cluster refused to patch Deployment default/applied (server-side apply, 409 Conflict): .spec.replicas is applied by the field manager "gitops", which would put it back; Flightdeck does not take fields from a manager that applies them: leave them out of what "gitops" applies, then retry; nothing was changed: settle the refusal, then retry',
    );
    await expectUntouched('applied');
    // Fields last set by a plain write are taken over, as kubectl set image or scale would: the first weight owns the replicas.
    await createWorkload(c, 'created');
    const ok = await start('created');
    await until(ok.rollout.id, ['PAUSED']);
    const owners = (await read('created'))!.metadata?.managedFields
      ?.filter((m) => m.manager === 'flightdeck-deployment')
      .map((m) => m.operation);
    expect(owners).toEqual(['Apply']);
  });

  // kube-sim runs no admission: a policy's refusal (422) is a real API server's.
  it.runIf(onKubeLocal)(
    'an image an admission policy refuses (422): held, nothing changed (kube-local; kube-sim runs no admission)',
    async () => {
      const policy = {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: 'vetted-images' },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            resourceRules: [
              {
                apiGroups: ['apps'],
                apiVersions: ['v1'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['deployments'],
              },
            ],
          },
          matchConditions: [{ name: 'policed-only', expression: "object.metadata.name.startsWith('policed')" }],
          validations: [
            {
              expression: "object.spec.template.spec.containers.all(c, c.image.endsWith(':1.0.0'))",
              message: 'only vetted images (1.0.0) run here',
            },
          ],
        },
      };
      const binding = {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: 'vetted-images' },
        spec: { policyName: 'vetted-images', validationActions: ['Deny'] },
      };
      await createWorkload(c, 'policed');
      await c.apply([policy, binding] as Manifest[]);
      // The policy is in force once the API server refuses a dry run it covers.
      await eventually('the admission policy in force', async () => {
        const body: V1Deployment = deployment('policed-probe', 'shop/web:2.0.0', 1);
        return c.apps.createNamespacedDeployment({ namespace: NAMESPACE, body, dryRun: 'All' }).then(
          () => undefined,
          (e: { code?: number }) => (e.code === 422 ? true : undefined),
        );
      });
      const r = await start('policed');
      const done = await until(r.rollout.id, ['FAILED', 'PAUSED']);
      expect(done.rollout.message).toMatch(
        /^the cluster refused to create \(dry run\) Deployment default\/policed-canary as invalid \(422: .*ValidatingAdmissionPolicy 'vetted-images' with binding 'vetted-images' denied request: only vetted images \(1\.0\.0\) run here\); nothing was changed: settle the refusal, then retry$/,
      );
      await expectUntouched('policed');
    },
  );

  // kube-sim authorises nothing: RBAC is the real API server's. Each verb of the chart's Role is taken away in turn.
  describe.runIf(onKubeLocal)(
    'the chart’s Role flightdeck-rollouts with one verb taken away (kube-local; kube-sim authorises nothing)',
    () => {
      const account = 'system:serviceaccount:default:flightdeck-deployment';
      const role = () =>
        c.rbac!.find((o) => o.kind === 'Role' && o.metadata.name === 'flightdeck-rollouts') as Manifest & {
          rules: { verbs: string[] }[];
        };
      const allowed = async (verb: string) => {
        const review = await admin.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
          body: {
            spec: {
              user: account,
              groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
              resourceAttributes: { namespace: NAMESPACE, verb, group: 'apps', resource: 'deployments' },
            },
          },
        });
        return review.status?.allowed === true;
      };
      async function withoutVerb<T>(verb: string, fn: () => Promise<T>): Promise<T> {
        const original = role();
        await c.apply([
          { ...original, rules: original.rules.map((r) => ({ ...r, verbs: r.verbs.filter((v) => v !== verb) })) },
        ]);
        await eventually(`${verb} taken away`, async () => ((await allowed(verb)) ? undefined : true));
        try {
          return await fn();
        } finally {
          await c.apply([original]);
          await eventually(`${verb} given back`, async () => ((await allowed(verb)) ? true : undefined));
        }
      }

      it('without get: the rollout is refused at its start, naming the verb', async () => {
        await createWorkload(c, 'no-get');
        const err = await withoutVerb('get', () =>
          start('no-get').then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
        expect(err).toBeInstanceOf(RuleError);
        expect(err).toMatchObject({ field: 'target' });
        expect((err as Error).message).toMatch(
          /^the cluster refused to get Deployment default\/no-get \(403 Forbidden: deployments\.apps "no-get" is forbidden: User "system:serviceaccount:default:flightdeck-deployment" cannot get resource "deployments" in API group "apps" in the namespace "default"\): grant get on it to the account the deployment service runs as$/,
        );
      });

      it('without get: a release-wide rollout is refused at its start too, naming the workload and the verb', async () => {
        await createWorkload(c, 'no-get-release');
        await clearRelease(s, 'rel-no-get-release');
        const err = await withoutVerb('get', () =>
          s.service.releaseRollouts
            .start(
              {
                releaseId: 'rel-no-get-release',
                environment: 'production',
                mode: 'TOGETHER',
                workloads: [
                  {
                    name: 'web',
                    rollout: {
                      target: { cluster: '', namespace: NAMESPACE, deployment: 'no-get-release', container: 'app' },
                      image: 'shop/web:2.0.0',
                      strategy: 'CANARY',
                      steps,
                    },
                  },
                ],
              },
              { by: 'sam' },
            )
            .then(
              () => undefined,
              (e: unknown) => e,
            ),
        );
        expect(err).toBeInstanceOf(RuleError);
        expect(err).toMatchObject({ field: 'workloads[0].target' });
        expect((err as Error).message).toMatch(
          /^workloads\[0\]: the cluster refused to get Deployment default\/no-get-release \(403 Forbidden: .*\): grant get on it to the account the deployment service runs as$/,
        );
      });

      it('without create: held before anything changed, naming the canary and create', async () => {
        await createWorkload(c, 'no-create');
        const r = await withoutVerb('create', async () => {
          const r = await start('no-create');
          await until(r.rollout.id, ['FAILED', 'PAUSED']);
          return r;
        });
        await expectHeldUnchanged(
          r,
          'the cluster refused to create (dry run) Deployment default/no-create-canary (403 Forbidden: deployments.apps is forbidden: User "system:serviceaccount:default:flightdeck-deployment" cannot create resource "deployments" in API group "apps" in the namespace "default"): grant create on it to the account the deployment service runs as; nothing was changed: settle the refusal, then retry',
        );
        await expectUntouched('no-create');
      });

      it('without patch: held before anything changed, naming the stable Deployment and patch; with patch given back, a retry goes on', async () => {
        await createWorkload(c, 'no-patch');
        const r = await withoutVerb('patch', async () => {
          const r = await start('no-patch');
          await until(r.rollout.id, ['FAILED', 'PAUSED']);
          return r;
        });
        await expectHeldUnchanged(
          r,
          'the cluster refused to patch (dry run) Deployment default/no-patch (403 Forbidden: deployments.apps "no-patch" is forbidden: User "system:serviceaccount:default:flightdeck-deployment" cannot patch resource "deployments" in API group "apps" in the namespace "default"): grant patch on it to the account the deployment service runs as; nothing was changed: settle the refusal, then retry',
        );
        // The dry run of the stable's patch was refused before the canary was created: no canary.
        await expectUntouched('no-patch');
        await s.service.commands.retry(r.rollout.id, { by: 'sam' });
        const paused = await until(r.rollout.id, ['PAUSED', 'FAILED']);
        expect(paused.rollout.phase, paused.rollout.message).toBe('PAUSED');
        expect((await read('no-patch-canary'))?.spec?.replicas).toBe(1);
      });
    },
  );
});
