import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@flightdeck/telemetry';
import { hasBinary } from '@flightdeck/testing';
import { stackConfigSchema, startStack, type RunningStack } from '../src/index.js';
import { DEMO_CLUSTER, DemoApi, DemoClock, mintPeople } from '../src/demo/index.js';
import { eventually } from '../src/demo/api.js';
import { defineDemoGates } from '../src/demo/gates.js';
import { shipRelease } from '../src/demo/ship.js';
import { createWorkloads } from '../src/demo/workloads.js';

const DAY = 86_400_000;
const secret = 'demo-history-test-secret-of-32-characters';

// The demo plays rollouts watched by a real Prometheus; .ci/run installs it.
describe.skipIf(!hasBinary('prometheus'))('the demo lives a past release through the API on a set-back clock', () => {
  let stack: RunningStack;
  let dataDir: string;
  let api: DemoApi;
  const clock = new DemoClock();
  const production = new Date(Date.now() - 20 * DAY);
  let releaseId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'demo-history-'));
    const config = stackConfigSchema.parse({
      PORT: '0',
      FLIGHTDECK_DATA_DIR: dataDir,
      AUTH_JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
    });
    stack = await startStack(config, createLogger({ service: 'flightdeck', level: 'warn' }), {
      clock,
      cluster: DEMO_CLUSTER,
    });
    api = new DemoApi(stack.graphqlUrl, await mintPeople(secret));
    await createWorkloads(stack.kubeconfig!, 'shop', { web: 'shop/web:1.9.0' });
    await defineDemoGates(api, 'shop');
    const submit = async (release: string, gate: string, kind: string, name: string, content: string) => {
      await api.as('pipeline', 'mutation($i: SubmitEvidenceInput!) { submitEvidence(input: $i) { name } }', {
        i: { release, gate, kind, name, content },
      });
    };
    const shipped = await shipRelease(
      { api, narrate: () => {}, namespace: 'shop', moveTo: (at) => clock.set(at), submit },
      {
        product: 'shop',
        version: '2.0.0',
        theme: 'New storefront',
        target: production,
        features: [
          {
            title: 'Storefront redesign',
            priority: 'MUST',
            businessValue: 13,
            timeCriticality: 8,
            riskReduction: 3,
            effort: 13,
          },
        ],
        rollouts: [{ deployment: 'web', image: 'shop/web:2.0.0' }],
      },
    );
    clock.reset();
    releaseId = shipped.id;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves the release RELEASED with every status change dated at its moment in the past', async () => {
    const { release } = await api.as<{
      release: { status: string; createdAt: string; transitions: { to: string; at: string }[] };
    }>('rita', 'query($id: ID!) { release(id: $id) { status createdAt transitions { to at } } }', { id: releaseId });
    const daysBefore = (iso: string) => Math.round((production.getTime() - Date.parse(iso)) / DAY) || 0; // never -0
    expect(release.status).toBe('RELEASED');
    expect(daysBefore(release.createdAt)).toBe(35);
    expect(Object.fromEntries(release.transitions.map((t) => [t.to, daysBefore(t.at)]))).toEqual({
      IN_DEVELOPMENT: 33,
      FEATURE_COMPLETE: 14,
      CODE_FREEZE: 14,
      ALPHA: 10,
      BETA: 10,
      RELEASE_CANDIDATE: 5,
      RELEASED: 0,
    });
  });

  it('gives analytics a history: one deployment 20 days ago, with a lead time of 33 days from the first change', async () => {
    const dora = await eventually('analytics counting the rollout', async () => {
      const d = await api.as<{
        doraMetrics: {
          deploymentFrequency: { deployments: number };
          leadTimeForChanges: { medianHours: number | null };
        };
      }>(
        'rita',
        '{ doraMetrics(product: "shop") { deploymentFrequency { deployments } leadTimeForChanges { medianHours } } }',
      );
      return d.doraMetrics.deploymentFrequency.deployments === 1 ? d.doraMetrics : undefined;
    });
    expect(Math.round(dora.leadTimeForChanges.medianHours! / 24)).toBe(33);
  });
});
