// Each service image under podman, hardened as the manifests run it: read-only root file system with no tmpfs,
// uid 1000, every capability dropped. The containers share the host's network namespace (--network=host): the
// nats-server (startNatsServer), the MongoDB-wire server and the simulated Kubernetes API this test starts listen
// on 127.0.0.1 only, and the service listens on 127.0.0.1 too, so nothing here leaves the loopback interface.
// stack.test.ts runs the images on a podman network of their own instead.
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '@flightdeck/kube-sim';
import {
  databaseUri,
  freePort,
  startMongo,
  startNatsServer,
  type MongoHandle,
  type NatsServerHandle,
} from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exitWithin,
  hardened,
  httpOk,
  imageOf,
  logLines,
  podman,
  requireImages,
  services,
  startContainer,
  waitFor,
  type Container,
  type ServiceName,
} from './containers.js';

const secret = 'images-test-secret-at-least-32-characters';
const kubeconfigInContainer = '/etc/flightdeck/kubeconfig';

describe('the service images, each on its own', () => {
  let nats: NatsServerHandle;
  let mongo: MongoHandle;
  let sim: KubeSim;
  let dir: string;
  const started: Container[] = [];

  beforeAll(async () => {
    await requireImages();
    dir = await mkdtemp(join(tmpdir(), 'flightdeck-images-'));
    await chmod(dir, 0o755);
    [nats, mongo, sim] = await Promise.all([
      startNatsServer(),
      startMongo(),
      startKubeSim({ kubeconfigPath: join(dir, 'kubeconfig') }),
    ]);
    await chmod(join(dir, 'kubeconfig'), 0o644);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(started.map((c) => c.remove()));
    await Promise.all([nats?.stop(), mongo?.stop(), sim?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** What each service needs besides PORT and HOST. */
  const environment = (service: ServiceName): Record<string, string> => {
    const common = { AUTH_JWT_SECRET: secret, LOG_LEVEL: 'info' };
    if (service === 'gateway') return common;
    const backing = { ...common, NATS_URL: nats.url, MONGODB_URI: databaseUri(mongo.uri, `images_${service}`) };
    if (service === 'deployment')
      return { ...backing, KUBECONFIG: kubeconfigInContainer, PROMETHEUS_URL: 'http://127.0.0.1:9090' };
    return backing;
  };

  const start = async (service: ServiceName): Promise<{ container: Container; base: string }> => {
    const port = await freePort();
    const env = { ...environment(service), HOST: '127.0.0.1', PORT: String(port) };
    const mounts =
      service === 'deployment' ? ['--volume', `${join(dir, 'kubeconfig')}:${kubeconfigInContainer}:ro`] : [];
    const container = startContainer(`flightdeck-test-${service}-${randomUUID().slice(0, 8)}`, [
      '--network=host',
      ...hardened,
      ...mounts,
      ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      imageOf(service),
    ]);
    started.push(container);
    return { container, base: `http://127.0.0.1:${port}` };
  };

  describe.each(services)('%s', (service) => {
    it('serves /healthz, /readyz and /metrics as uid 1000 with no capabilities on a read-only root, and stops on SIGTERM with exit code 0', async () => {
      const { container, base } = await start(service);
      await waitFor(`${service} answering /readyz with 200`, httpOk(`${base}/readyz`), container, 90_000);

      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', service });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain(`process_cpu_user_seconds_total{service="${service}"}`);

      // The process is uid 1000 with an empty effective capability set, and nothing in the file system is writable.
      const status = await podman(['exec', container.name, 'cat', '/proc/1/status']);
      expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
      expect(status).toMatch(/^CapEff:\s+0{16}$/m);
      const write = await podman([
        'exec',
        container.name,
        'sh',
        '-c',
        'for d in /app /tmp /var/tmp /; do touch "$d/probe" 2>/dev/null && echo "$d writable"; done; true',
      ]);
      expect(write).toBe('');

      if (service === 'deployment') {
        await waitFor(
          'the deployment service taking the Lease through the Kubernetes API',
          async () => (container.output().includes('became the leader') ? true : undefined),
          container,
        );
      }

      await container.signal('SIGTERM');
      expect(await exitWithin(container, 30_000)).toBe(0);
      const logs = logLines(container);
      expect(logs.find((l) => l.msg === 'shutdown started')).toMatchObject({ reason: 'SIGTERM' });
      expect(logs.find((l) => l.msg === 'shutdown finished')).toMatchObject({ failed: [] });
    }, 150_000);
  });
});
