import { hasBinary } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { both, eventually, expectSame, startServers, type Server, type Servers } from './servers.js';

const ns = 'conf-kubectl';
const haveKubectl = hasBinary('kubectl');

const manifest = (replicas: number, image: string, mode = 'normal') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels: {app: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 8080}]
        env: [{name: MODE, value: ${mode}}]
`;

/**
 * kubectl's output with what legitimately differs replaced, beyond what normalise does: ages (kube-sim's are
 * simulated), the pod-template-hash in label lists, and column widths (names of another length widen a table).
 */
const text = (out: string) =>
  out
    .replace(/(?<=\s)(\d+[smhd])+(?=\s|$)/gm, '<age>')
    .replace(/<invalid>/g, '<age>')
    .replace(/pod-template-hash=\S+/g, 'pod-template-hash=<hash>')
    .replace(/ {2,}/g, '  ');

// kubectl is a separate binary (Debian package kubernetes-client, installed by .ci/run).
describe.skipIf(!haveKubectl)(
  'kubectl on kube-sim and on kube-local (skipped without kubectl on PATH: apt-get install -y kubernetes-client)',
  () => {
    let s: Servers;
    beforeAll(async () => {
      s = await startServers(ns);
    });
    afterAll(() => s?.stop());

    /** The same kubectl command on both servers, its exit code and output compared. */
    const kubectl = async (args: string[], input?: string) => {
      const r = await both(s, async (x) => {
        const out = await x.kubectl(args, input);
        return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
      });
      return expectSame(r, `kubectl ${args.join(' ')}`);
    };
    /** kubectl rollout status: the lines before the last say what it waited for, which depends on timing. */
    const rolloutStatus = async () => {
      const r = await both(s, async (x: Server) => {
        const out = await x.kubectl(['rollout', 'status', 'deployment/shop', '--timeout=60s']);
        return { code: out.code, last: out.stdout.trim().split('\n').at(-1) };
      });
      return expectSame(r, 'kubectl rollout status');
    };

    it('apply -f creates, rollout status waits, get lists deploy,rs,pods by label', async () => {
      expect((await kubectl(['apply', '-f', '-'], manifest(3, 'shop/web:1.0.0'))).stdout).toBe(
        'deployment.apps/shop created\n',
      );
      expect(await rolloutStatus()).toEqual({ code: 0, last: 'deployment "shop" successfully rolled out' });
      const table = await kubectl(['get', 'deploy,rs,pods', '-l', 'app=shop']);
      expect(table.stdout).toMatch(/deployment\.apps\/shop\s+3\/3\s+3\s+3/);
      expect(table.stdout.match(/pod\/shop-\w+-\w+\s+1\/1\s+Running/g)).toHaveLength(3);
      await kubectl(['get', 'serviceaccounts,configmaps']);
    });

    it('apply -f again sends a strategic merge patch with the last-applied configuration', async () => {
      expect((await kubectl(['apply', '-f', '-'], manifest(2, 'shop/web:1.0.0', 'quiet'))).stdout).toBe(
        'deployment.apps/shop configured\n',
      );
      const d = await both(
        s,
        async (x) =>
          JSON.parse((await x.kubectl(['get', 'deployment', 'shop', '-o', 'json'])).stdout) as {
            spec: unknown;
            metadata: { annotations: Record<string, string> };
          },
      );
      expectSame({ sim: d.sim.spec, local: d.local.spec }, 'the applied spec');
      expectSame(
        {
          sim: JSON.parse(d.sim.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']!),
          local: JSON.parse(d.local.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']!),
        },
        'the last-applied configuration',
      );
      expect((await rolloutStatus()).code).toBe(0);
    });

    it('set image, rollout history, rollout undo', async () => {
      expect((await kubectl(['set', 'image', 'deployment/shop', 'web=shop/web:2.0.0'])).stdout).toBe(
        'deployment.apps/shop image updated\n',
      );
      expect((await rolloutStatus()).code).toBe(0);
      // Revision 2 is the second apply's template (MODE=quiet), 3 the new image.
      expect((await kubectl(['rollout', 'history', 'deployment/shop'])).stdout).toMatch(
        /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n3\s+<none>\n/,
      );
      expect((await kubectl(['rollout', 'history', 'deployment/shop', '--revision=3'])).stdout).toContain(
        'shop/web:2.0.0',
      );
      expect((await kubectl(['rollout', 'undo', 'deployment/shop'])).stdout).toBe('deployment.apps/shop rolled back\n');
      expect((await rolloutStatus()).code).toBe(0);
      expect(
        (await kubectl(['get', 'deployment', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']))
          .stdout,
      ).toBe('shop/web:1.0.0');
      expect((await kubectl(['rollout', 'history', 'deployment/shop'])).stdout).toMatch(/^4\s/m);
    });

    it('apply --server-side: a conflict with another manager is refused and named; --force-conflicts takes the field', async () => {
      const ssa = (replicas: number) => manifest(replicas, 'shop/web:1.0.0').replace(/\bshop\b/g, 'ssa');
      expect((await kubectl(['apply', '--server-side', '--field-manager=team-a', '-f', '-'], ssa(2))).stdout).toBe(
        'deployment.apps/ssa serverside-applied\n',
      );
      const refused = await kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], ssa(4));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^error: Apply failed with 1 conflict: conflict with "team-a": \.spec\.replicas$/m,
      );
      expect(
        (await kubectl(['apply', '--server-side', '--field-manager=team-b', '--force-conflicts', '-f', '-'], ssa(4)))
          .stdout,
      ).toBe('deployment.apps/ssa serverside-applied\n');
      // Fields last written by plain writes conflict the same way: kubectl apply (client side), and the undo's image.
      const taken = await kubectl(
        ['apply', '--server-side', '--field-manager=team-c', '-f', '-'],
        manifest(5, 'shop/web:3.0.0'),
      );
      expect(taken.stderr).toMatch(
        /Apply failed with 3 conflicts: conflicts with "kubectl" using apps\/v1:\n- \.spec\.template\.spec\.containers\[name="web"\]\.image\nconflicts with "kubectl-client-side-apply" using apps\/v1:\n- \.spec\.replicas\n- \.spec\.template\.spec\.containers\[name="web"\]\.env\[name="MODE"\]\.value\n/,
      );
    });

    it('scale, and delete, which cascades to ReplicaSets and pods', async () => {
      expect((await kubectl(['scale', 'deployment/shop', '--replicas=1'])).stdout).toBe(
        'deployment.apps/shop scaled\n',
      );
      expect((await rolloutStatus()).code).toBe(0);
      expect((await kubectl(['delete', 'deployment', 'shop'])).stdout).toBe('deployment.apps "shop" deleted\n');
      await both(s, (x) =>
        eventually(
          `${x.name}: shop's ReplicaSets and pods collected`,
          async () => (await x.kubectl(['get', 'rs,pods', '-l', 'app=shop', '-o', 'name'])).stdout.trim() === '',
        ),
      );
      await kubectl(['get', 'deploy,rs,pods', '-l', 'app=shop', '-o', 'name']);
    });
  },
);
