import type { DemoApi } from './api.js';
import { CHECKOUT_TESTS, junitReport, lcovReport, sarifReport } from './reports.js';
import {
  addFeatures,
  approve,
  createRelease,
  DEMO_CANARY,
  rollOut,
  setFeatureStatus,
  tick,
  transition,
  waitForGate,
  waitForStatus,
} from './ship.js';

export interface StoryDeps {
  api: DemoApi;
  narrate(line: string): void;
  namespace: string;
  /** Uploads through the flightdeck CLI, as a pipeline does. */
  submit(release: string, gate: string, kind: 'JUNIT' | 'LCOV' | 'SARIF', name: string, content: string): Promise<void>;
  /** Seconds between the story's steps, so a person watching the console sees each one. */
  pace: number;
  /** The console's address, for the narration's links. */
  consoleUrl: string;
}

/**
 * Today's release, live: 2.6.0 goes through its gates on the pipeline's reports (a failing regression run first),
 * a second release manager approves production, the web image is promoted, the api image's canary fails its
 * analysis and is rolled back on its own, and a hotfix with the fixed api build follows through the Hotfix gate.
 */
export async function playStory(deps: StoryDeps, product: string): Promise<void> {
  const { api, narrate: say, submit } = deps;
  const wait = () => new Promise((r) => setTimeout(r, deps.pace * 1000));
  const ref = `${product}@2.6.0`;
  const id = await createRelease(api, {
    product,
    version: '2.6.0',
    theme: 'Express delivery',
    targetDate: new Date(Date.now() + 28 * 86_400_000),
  });
  const features = await addFeatures(api, id, [
    {
      title: 'Express delivery option',
      priority: 'MUST',
      businessValue: 13,
      timeCriticality: 10,
      riskReduction: 3,
      effort: 8,
    },
    {
      title: 'Delivery slot picker',
      priority: 'SHOULD',
      businessValue: 8,
      timeCriticality: 5,
      riskReduction: 2,
      effort: 5,
    },
  ]);
  await api.as('rita', 'mutation($id: ID!) { prioritizeScope(releaseId: $id) { capacity } }', { id });
  await transition(api, id, 'IN_DEVELOPMENT', 'scope agreed');
  await api.as('rita', 'mutation($id: ID!) { forecastTimeline(releaseId: $id, runs: 2000) { forecast { p85 } } }', {
    id,
  });
  say(`live: ${ref} planned (open the console's Releases board)`);
  await wait();
  await setFeatureStatus(api, id, features, 'IN_PROGRESS');
  await setFeatureStatus(api, id, features, 'DONE');
  await transition(api, id, 'FEATURE_COMPLETE', 'every planned feature is done');
  await tick(api, ref, 'FEATURE_COMPLETE', 'code-freeze', ['reviews-done', 'branch-cut']);
  await approve(api, 'tina', ref, 'FEATURE_COMPLETE', 'reviewed');
  await waitForStatus(api, id, 'CODE_FREEZE');
  say(`live: ${ref} passed Feature Complete and is frozen`);
  await wait();
  await transition(api, id, 'ALPHA', 'on the test environment');
  await submit(ref, 'ALPHA', 'JUNIT', 'reports/system-tests.xml', junitReport('system', CHECKOUT_TESTS));
  await approve(api, 'quinn', ref, 'ALPHA', 'system tests green');
  await waitForStatus(api, id, 'BETA');
  await tick(api, ref, 'BETA', 'beta-checklist', ['uat-done', 'docs-done'], 'paula');
  await approve(api, 'paula', ref, 'BETA', 'pilot customers happy');
  await waitForStatus(api, id, 'RELEASE_CANDIDATE');
  await api.as('quinn', 'mutation($r: String!) { assessReadiness(release: $r) { id } }', { r: id });
  say(`live: ${ref} is a release candidate; CI uploads the regression run, with one failure`);
  await wait();
  await submit(
    ref,
    'PRODUCTION',
    'JUNIT',
    'reports/regression.xml',
    junitReport('regression', CHECKOUT_TESTS, ['applies a voucher']),
  );
  await submit(
    ref,
    'PRODUCTION',
    'LCOV',
    'coverage/lcov.info',
    lcovReport(['src/checkout.ts', 'src/delivery.ts'], 150, 0.86),
  );
  await waitForGate(api, ref, 'PRODUCTION', 'FAIL');
  say(`live: ${ref} PRODUCTION gate FAILS on "Regression tests passing" (1 failed); the fix is on its way`);
  await wait();
  await submit(ref, 'PRODUCTION', 'JUNIT', 'reports/regression.xml', junitReport('regression', CHECKOUT_TESTS));
  await approve(api, 'rob', ref, 'PRODUCTION', 'go for production');
  await waitForGate(api, ref, 'PRODUCTION');
  say(`live: ${ref} PRODUCTION gate passes (rob approved: four-eyes, rita requested it); rolling out the web image`);
  const web = await rollOut(api, id, deps.namespace, 'web', `${product}/web:2.6.0`);
  say(`live: web ${web.phase}: ${web.message}`);
  await wait();
  await api.as('rita', 'mutation($r: String!) { assessReadiness(release: $r) { id } }', { r: id });
  // Slower than the history's canaries, so a person has time to open the live view before the analysis fails it.
  const watched = {
    ...DEMO_CANARY,
    steps: [
      { kind: 'SET_WEIGHT', weight: 25 },
      { kind: 'ANALYSIS', templates: ['success-rate', 'latency-p99'], initialDelaySeconds: 8 },
      { kind: 'SET_WEIGHT', weight: 50 },
    ],
    analysisIntervalSeconds: 2,
    analysisCount: 5,
  };
  const bad = await rollOut(api, id, deps.namespace, 'api', `${product}/api:2.6.0-bad`, {
    canary: watched,
    onStarted: (rollout) =>
      say(`live: rolling out the api image, a bad build: watch its canary at ${deps.consoleUrl}#/rollouts/${rollout}`),
  });
  say(`live: api ${bad.phase}: ${bad.message}`);
  await wait();

  const hotfixRef = `${product}@2.6.1-hotfix`;
  const hotfix = await createRelease(
    api,
    {
      product,
      version: '2.6.1-hotfix',
      theme: 'Fix the express delivery API',
      targetDate: new Date(Date.now() + 86_400_000),
    },
    {
      hotfixReason: 'MAJOR_SLA_BREACH',
      hotfixDetails: 'express delivery quotes fail for a third of the requests on 2.6.0',
    },
  );
  const fix = await addFeatures(api, hotfix, [
    {
      title: 'Retry the courier quote',
      priority: 'MUST',
      businessValue: 13,
      timeCriticality: 13,
      riskReduction: 8,
      effort: 2,
    },
  ]);
  await transition(api, hotfix, 'IN_DEVELOPMENT', 'hotfix approved');
  await setFeatureStatus(api, hotfix, fix, 'DONE');
  await transition(api, hotfix, 'RELEASE_CANDIDATE', 'fix built');
  await submit(
    hotfixRef,
    'HOTFIX',
    'JUNIT',
    'reports/smoke.xml',
    junitReport('smoke', ['quotes express delivery', 'pays by card']),
  );
  await submit(hotfixRef, 'HOTFIX', 'SARIF', 'reports/scan.sarif', sarifReport(0));
  await tick(api, hotfixRef, 'HOTFIX', 'hotfix-checklist', ['qualifies', 'enhanced-monitoring', 'retro-scheduled']);
  await approve(api, 'tina', hotfixRef, 'HOTFIX', 'fix reviewed');
  await approve(api, 'paula', hotfixRef, 'HOTFIX', 'customers are waiting');
  await waitForGate(api, hotfixRef, 'HOTFIX');
  say(`live: ${hotfixRef} passed the Hotfix gate; rolling out the fixed api`);
  const fixed = await rollOut(api, hotfix, deps.namespace, 'api', `${product}/api:2.6.1-hotfix`);
  say(
    `live: hotfix ${fixed.phase}: ${fixed.message}. The story is over; the console's Analytics page shows the change failure rate it moved.`,
  );
}
