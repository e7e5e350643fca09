import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mintToken, type Role } from '@flightdeck/auth';
import { createLogger } from '@flightdeck/telemetry';
import {
  createWorkloads,
  ensureConsoleBuilt,
  stackConfigSchema,
  startStack,
  type RunningStack,
} from '@flightdeck/stack';
import { launchChromium, screenshot, seriousViolations } from './browser.js';

const secret = 'console-browser-test-secret-of-32-characters';

/** A fast simulated cluster; shop/api:2.1.0-bad answers 30% errors by its tag, so its canary fails the success-rate analysis. */
const CLUSTER = { timeScale: 20, scrapeIntervalSeconds: 1 };

const CANARY = {
  environment: 'production',
  strategy: 'CANARY',
  steps: [
    { kind: 'SET_WEIGHT', weight: 25 },
    { kind: 'ANALYSIS', templates: ['success-rate', 'latency-p99'], initialDelaySeconds: 2 },
    { kind: 'SET_WEIGHT', weight: 50 },
  ],
  analysisIntervalSeconds: 1,
  analysisCount: 3,
  progressDeadlineSeconds: 30,
};

function junit(failing: string[]): string {
  const cases = ['pays by card', 'pays by invoice', 'keeps the basket on reload', 'refuses an expired card'];
  const body = cases
    .map((c) =>
      failing.includes(c)
        ? `<testcase classname="shop" name="${c}"><failure message="boom">boom</failure></testcase>`
        : `<testcase classname="shop" name="${c}"/>`,
    )
    .join('');
  return `<?xml version="1.0"?><testsuites><testsuite name="checkout" tests="${cases.length}" failures="${failing.length}" errors="0">${body}</testsuite></testsuites>`;
}

describe('the console in Chromium, against the stack npm start runs', () => {
  let stack: RunningStack;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const tokens: Record<string, string> = {};

  const api = async <T = Record<string, unknown>>(
    who: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<{ data?: T; errors?: { message: string }[] }> => {
    const res = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: T; errors?: { message: string }[] };
  };
  const ok = async <T = Record<string, unknown>>(
    who: string,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> => {
    const r = await api<T>(who, query, variables);
    if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
    return r.data!;
  };
  const accessible = async (name: string) => {
    await screenshot(page, name);
    expect(await seriousViolations(page), `${name}: serious or critical axe-core violations`).toEqual([]);
  };
  const signIn = async (who: string) => {
    await page.goto(`${stack.url}#/sign-in`);
    await page.getByLabel('Token').fill(tokens[who]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as`).waitFor();
  };

  beforeAll(async () => {
    const consoleDir = ensureConsoleBuilt(createLogger({ service: 'test', level: 'warn' }));
    if (!consoleDir) throw new Error('the console did not build: run npx nx run @flightdeck/console:build');
    dataDir = await mkdtemp(join(tmpdir(), 'console-browser-'));
    const config = stackConfigSchema.parse({
      PORT: '0',
      FLIGHTDECK_DATA_DIR: dataDir,
      AUTH_JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
    });
    stack = await startStack(config, createLogger({ service: 'flightdeck', level: 'warn' }), {
      consoleDir,
      cluster: CLUSTER,
    });
    const people: Record<string, Role[]> = {
      rita: ['RELEASE_MANAGER'],
      rob: ['RELEASE_MANAGER'],
      sam: ['SRE'],
      pipeline: ['CI'],
    };
    for (const [who, roles] of Object.entries(people))
      tokens[who] = await mintToken({ secret, subject: who, roles, machine: who === 'pipeline' });
    await createWorkloads(stack.kubeconfig!, 'shop', { api: 'shop/api:2.0.0' });
    // shop's Production gate: the pipeline's regression tests and a release manager other than the requester.
    await ok('rita', 'mutation($d: JSON!) { defineGate(product: "shop", definition: $d) { name } }', {
      d: {
        name: 'PRODUCTION',
        criteria: [
          { id: 'regression-tests', name: 'Regression tests passing', kind: 'tests', maxFailures: 0, minTests: 3 },
        ],
        approvals: [{ role: 'RELEASE_MANAGER', count: 1 }],
        fourEyes: true,
      },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a token the gateway cannot verify in its own words, then signs in with a good one', async () => {
    await page.goto(`${stack.url}#/sign-in`);
    const forged = await mintToken({
      secret: 'another-secret-that-is-32-characters-long',
      subject: 'mallory',
      roles: ['RELEASE_MANAGER'],
    });
    await page.getByLabel('Token').fill(forged);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/signature/i);
    await accessible('01-sign-in-refused');
    await signIn('rita');
    await expect.poll(() => page.locator('.who').textContent()).toContain('rita');
    await accessible('02-releases-board-empty');
  });

  it('shows no change failure rate before any rollout', async () => {
    await page.goto(`${stack.url}#/analytics?product=shop`);
    const cfr = page.getByTestId('dora-Change failure rate');
    await expect.poll(() => cfr.textContent(), { timeout: 30_000 }).toContain('(0 of 0)');
  });

  let releaseId = '';

  it("creates a release from the form and ticks a code-freeze item with its evidence; a duplicate is refused with the API's message", async () => {
    await page.goto(`${stack.url}#/`);
    await page.getByRole('link', { name: 'New release' }).click();
    const fill = async (version: string) => {
      await page.getByLabel('Product').fill('shop');
      await page.getByLabel('Version').fill(version);
      await page.getByLabel('Theme').fill('One-page checkout');
      await page.getByLabel('Target date').fill('2030-03-01');
      await page.getByRole('button', { name: 'Create release' }).click();
    };
    await fill('2.1.0');
    await page.getByRole('heading', { level: 1, name: 'shop 2.1.0', exact: true }).waitFor();
    releaseId = /#\/releases\/([^/?#]+)/.exec(page.url())![1]!;
    // The code-freeze checklist: rita ticks an item with its evidence; it shows as ticked, with the evidence.
    const freeze = page.getByRole('region', { name: 'Code freeze' });
    const merged = freeze.getByRole('listitem').filter({ hasText: 'All planned features merged' });
    await merged.getByLabel('Evidence for features-merged').fill('https://git.example.com/shop/compare/release-2.1');
    await merged.getByRole('button', { name: 'Tick' }).click();
    await expect
      .poll(() => merged.textContent())
      .toMatch(/https:\/\/git\.example\.com\/shop\/compare\/release-2\.1 — \S/);
    expect(await freeze.getByText(/^1 of \d+ items ticked\.$/).count()).toBe(1);
    // A release manager sees the release's notifications and the product's communication plan (none yet).
    const notifications = page.getByRole('region', { name: 'Notifications' });
    await notifications.getByText(/^No one subscribed to this product yet/).waitFor();
    expect(await notifications.getByText('Nobody has been notified about this release yet.').count()).toBe(1);
    await page.goto(`${stack.url}#/releases/new`);
    await fill('2.1.0');
    const refusal = await api(
      'rita',
      'mutation { createRelease(input: { product: "shop", version: "2.1.0", theme: "t", owner: "rita", targetDate: "2030-03-01T00:00:00Z" }) { id } }',
    );
    const message = refusal.errors![0]!.message;
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(message);
    await accessible('03-new-release-refused');
  });

  it("adds a signed webhook to shop's communication plan from the release page, a short secret refused in planning's words, then removes it", async () => {
    const storedPlan = async () =>
      (
        await ok<{ subscriptions: { destination: string }[] }>(
          'rita',
          'query { subscriptions(product: "shop") { destination } }',
        )
      ).subscriptions;
    await page.goto(`${stack.url}#/releases/${releaseId}`);
    const notifications = page.getByRole('region', { name: 'Notifications' });
    const form = notifications.getByRole('form', { name: 'Add a subscription' });
    await form.getByLabel('Audience').selectOption({ label: 'QA' });
    await form.getByLabel('Channel').selectOption({ label: 'Webhook (signed with a shared secret)' });
    // Port 9 on the loopback: nothing is delivered anywhere while the subscription exists.
    await form.getByLabel('Receiver URL').fill('http://127.0.0.1:9/flightdeck');
    await form.getByLabel('Shared secret').fill('too-short');
    await form.getByRole('button', { name: 'Add subscription' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toContain(
        'Adding the subscription was refused: WEBHOOK target: secret: a shared secret of at least 16 characters',
      );
    expect(await storedPlan()).toEqual([]);
    // What was typed is kept: only the secret needs changing.
    expect(await form.getByLabel('Receiver URL').inputValue()).toBe('http://127.0.0.1:9/flightdeck');
    const secretValue = 'a-shared-secret-of-32-characters';
    await form.getByLabel('Shared secret').fill(secretValue);
    await form.getByRole('button', { name: 'Add subscription' }).click();
    const plan = notifications.getByRole('list', { name: 'Communication plan' });
    await expect.poll(() => plan.textContent()).toContain('QA, As it happens: webhook http://127.0.0.1:9/…');
    expect(await storedPlan()).toEqual([{ destination: 'webhook http://127.0.0.1:9/…' }]);
    expect(await page.content()).not.toContain(secretValue);
    await notifications.scrollIntoViewIfNeeded();
    await accessible('03b-communication-plan');

    await plan.getByRole('button', { name: 'Remove QA, As it happens: webhook http://127.0.0.1:9/…' }).click();
    await plan.getByRole('group', { name: /^Remove QA, As it happens: .* from the communication plan\?$/ }).waitFor();
    await plan.getByRole('button', { name: 'Yes, remove' }).click();
    await notifications.getByText(/^No one subscribed to this product yet/).waitFor();
    expect(await notifications.getByRole('status').textContent()).toBe(
      'Removed QA, As it happens: webhook http://127.0.0.1:9/…',
    );
    expect(await storedPlan()).toEqual([]);
  });

  it("shows the Production gate failing with the criterion named, from the pipeline's JUnit report", async () => {
    await ok('pipeline', 'mutation($i: SubmitEvidenceInput!) { submitEvidence(input: $i) { name } }', {
      i: {
        release: 'shop@2.1.0',
        gate: 'PRODUCTION',
        kind: 'JUNIT',
        name: 'reports/junit.xml',
        content: junit(['pays by invoice']),
      },
    });
    await page.goto(`${stack.url}#/releases/${releaseId}`);
    const gate = page.getByRole('region', { name: /Production/ });
    const row = gate.getByRole('row', { name: /Regression tests passing/ });
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/FAIL/);
    expect(await row.textContent()).toMatch(/1 failed/);
    expect(await gate.getByRole('heading', { level: 3 }).textContent()).toMatch(/FAIL/);
    await page.locator('#gates').scrollIntoViewIfNeeded();
    await accessible('04-release-gate-failed');
  });

  it("takes rita's approval but waits for a second person (four-eyes); rob's approval is shown with who, role and when", async () => {
    const gate = page.getByRole('region', { name: /Production/ });
    await gate.getByRole('button', { name: /Approve Production as Release manager/ }).click();
    await expect
      .poll(() => gate.textContent(), { timeout: 15_000 })
      .toContain('four-eyes: rita requested the release and cannot be its only approver');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('rob');
    await page.goto(`${stack.url}#/releases/${releaseId}`);
    // A fresh load as rob: the page rita left open polled while signed out, and a hash-only goto may keep it.
    await page.reload();
    await gate.getByRole('button', { name: /Approve Production as Release manager/ }).click();
    const approvals = gate.getByRole('table', { name: 'Approvals given' });
    await expect.poll(() => approvals.textContent(), { timeout: 15_000 }).toMatch(/rob.*Release manager/);
    await ok('pipeline', 'mutation($i: SubmitEvidenceInput!) { submitEvidence(input: $i) { name } }', {
      i: { release: 'shop@2.1.0', gate: 'PRODUCTION', kind: 'JUNIT', name: 'reports/junit.xml', content: junit([]) },
    });
    await expect.poll(() => gate.getByRole('heading', { level: 3 }).textContent(), { timeout: 30_000 }).toMatch(/PASS/);
    await page.locator('#gates').scrollIntoViewIfNeeded();
    await accessible('05-release-gate-passed');
  });

  it('watches the bad canary roll back on its own in the live view', async () => {
    const start = async () => {
      for (let i = 0; i < 120; i++) {
        const r = await api<{ startRollout: { id: string } }>(
          'sam',
          'mutation($input: StartRolloutInput!) { startRollout(input: $input) { id } }',
          {
            input: {
              ...CANARY,
              releaseId,
              target: { namespace: 'shop', deployment: 'api', container: 'app' },
              image: 'shop/api:2.1.0-bad',
            },
          },
        );
        if (r.data) return r.data.startRollout.id;
        if (!/gate has passed for it yet/.test(r.errors![0]!.message)) throw new Error(r.errors![0]!.message);
        await new Promise((res) => setTimeout(res, 250));
      }
      throw new Error('deployment never heard that the Production gate passed');
    };
    const id = await start();
    await page.goto(`${stack.url}#/rollouts/${id}`);
    await page.getByText('live, refreshed every 2 s').waitFor();
    // No reload: the view polls until the controller has rolled the canary back.
    await page.locator('.now', { hasText: 'ROLLED BACK' }).waitFor({ timeout: 120_000 });
    expect(await page.getByRole('heading', { name: /^Rolled back/ }).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Decisions, oldest first' }).textContent()).toMatch(/success-rate/);
    expect(await page.locator('.recharts-surface').count()).toBeGreaterThan(0);
    await accessible('06-rollout-rolled-back');
  });

  it('shows the change failure rate moved by the rollback', async () => {
    await page.goto(`${stack.url}#/analytics?product=shop`);
    const cfr = page.getByTestId('dora-Change failure rate');
    await expect
      .poll(
        async () => {
          await page.reload();
          return cfr.textContent();
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toContain('100% (1 of 1)');
    // Kinds with too few outcomes say how many they have so far; those no outcome can score say why.
    const ai = page.getByRole('table', { name: 'AI effectiveness' });
    const healthRows = ai.getByRole('row').filter({ hasText: 'deployment-health' });
    await expect.poll(() => healthRows.first().textContent()).toMatch(/\d of 5 outcomes so far/);
    expect(await ai.getByRole('row').filter({ hasText: 'test-planning' }).textContent()).toContain(
      'not scorable: nothing records which feature an escaped defect or incident came from',
    );
    await accessible('07-analytics');
  });
});
