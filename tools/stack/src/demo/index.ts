import type { KubeConfig } from '@kubernetes/client-node';
import { DemoApi, mintPeople } from './api.js';
import { submitWithCli } from './cli.js';
import type { DemoClock } from './clock.js';
import { defineDemoGates } from './gates.js';
import { seedHistory } from './history.js';
import { playStory } from './story.js';
import { createWorkloads } from './workloads.js';

export { DemoClock } from './clock.js';
export { DemoApi, mintPeople, PEOPLE, type Person } from './api.js';

export const DEMO_PRODUCT = 'shop';

/** The simulated cluster of the demo, fast enough for minutes of history: images behave by their tag (-bad fails). */
export const DEMO_CLUSTER = { timeScale: 20, scrapeIntervalSeconds: 1 };

export interface DemoDeps {
  graphqlUrl: string;
  secret: string;
  clock: DemoClock;
  kubeconfig: KubeConfig;
  /** Seconds between the live story's steps. */
  pace?: number;
}

/** Seeds five months of history through the API (clock set back), then plays today's story live. */
export async function runDemo(deps: DemoDeps): Promise<void> {
  const { clock } = deps;
  const narrate = (line: string) => process.stdout.write(`demo: ${line}\n`);
  const tokens = await mintPeople(deps.secret);
  const api = new DemoApi(deps.graphqlUrl, tokens);
  const namespace = DEMO_PRODUCT;
  await createWorkloads(deps.kubeconfig, namespace, {
    web: `${DEMO_PRODUCT}/web:1.9.0`,
    api: `${DEMO_PRODUCT}/api:1.9.0`,
  });
  await defineDemoGates(api, DEMO_PRODUCT);
  const direct = async (release: string, gate: string, kind: string, name: string, content: string) => {
    await api.as('pipeline', 'mutation($i: SubmitEvidenceInput!) { submitEvidence(input: $i) { name } }', {
      i: { release, gate, kind, name, content },
    });
  };
  const started = Date.now();
  narrate('replaying five months of shop releases through the API (a few minutes; the console fills as it goes)');
  await seedHistory({ api, clock, narrate, namespace, moveTo: (at) => clock.set(at), submit: direct }, DEMO_PRODUCT);
  narrate(`history seeded in ${Math.round((Date.now() - started) / 1000)} s; today's story starts`);
  const cli = (release: string, gate: string, kind: 'JUNIT' | 'LCOV' | 'SARIF', name: string, content: string) =>
    submitWithCli({ url: deps.graphqlUrl, token: tokens.pipeline }, release, gate, kind, name, content).then((out) => {
      narrate(`CI: ${out.split('\n').at(-1)}`);
    });
  await playStory(
    { api, narrate, namespace, submit: cli, pace: deps.pace ?? 8, consoleUrl: deps.graphqlUrl.replace(/graphql$/, '') },
    DEMO_PRODUCT,
  );
}
