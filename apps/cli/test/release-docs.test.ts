import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '@flightdeck/testing';
import { startStack as startPlanningStack, type Stack as PlanningStack } from '@flightdeck/planning/testing';
import { runCli, ask as askAs } from './run-cli.js';

// The process's documents written from what planning was told through the gateway (the features' release-notes
// metadata, exclusions and the technical considerations), printed by `flightdeck release docs`.

const DAY = 86_400_000;

let stack: PlanningStack;
let url: string;
let manager: string;
let viewer: string;
let releaseId: string;

const flightdeck = (args: string[]) => runCli(args, { env: { FLIGHTDECK_URL: url, FLIGHTDECK_TOKEN: viewer } });

const ask = <T>(query: string, variables: Record<string, unknown>) => askAs<T>(url, query, variables, manager);

const ADD = `mutation($r: ID!, $input: FeatureInput!) { addFeature(releaseId: $r, input: $input) { feature { id kind breakingChange migration exclusion { reason targetRelease } } } }`;
const feature = (input: Record<string, unknown>) =>
  ask<{ addFeature: { feature: Record<string, unknown> } }>(ADD, {
    r: releaseId,
    input: { businessValue: 8, timeCriticality: 5, riskReduction: 3, effort: 5, ...input },
  });

beforeAll(async () => {
  stack = await startPlanningStack('cli-docs');
  url = stack.gatewayUrl;
  [manager, viewer] = await Promise.all([stack.token(['RELEASE_MANAGER'], 'rita'), stack.token(['VIEWER'], 'vera')]);

  releaseId = (
    await ask<{ createRelease: { id: string } }>(
      'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }',
      {
        input: {
          product: 'docs-shop',
          version: '3.0.0',
          theme: 'Payments v2',
          owner: 'rita',
          targetDate: new Date(Date.now() + 90 * DAY).toISOString(),
        },
      },
    )
  ).createRelease.id;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the release documents through the gateway and flightdeck release docs', () => {
  it("takes the features' release-notes metadata, exclusions and the technical considerations as GraphQL fields", async () => {
    const api = await feature({
      title: 'Payments API v2',
      description: 'One API for cards and wallets',
      priority: 'MUST',
      status: 'DONE',
      breakingChange: 'The /v1/charge endpoint is gone',
      migration: 'Call /v2/payments with the same body; the answer adds a status field.',
    });
    expect(api.addFeature.feature).toMatchObject({
      kind: null,
      breakingChange: 'The /v1/charge endpoint is gone',
      migration: 'Call /v2/payments with the same body; the answer adds a status field.',
      exclusion: null,
    });
    await feature({ title: 'Faster receipts', priority: 'SHOULD', status: 'DONE', kind: 'IMPROVEMENT' });
    await feature({ title: 'Receipt typo', priority: 'COULD', status: 'DONE', kind: 'FIX' });
    const wont = await feature({
      title: 'Crypto wallets',
      priority: 'WONT',
      exclusion: { reason: 'regulator approval pending', targetRelease: '3.2.0' },
    });
    expect(wont.addFeature.feature.exclusion).toEqual({ reason: 'regulator approval pending', targetRelease: '3.2.0' });
    const updated = await ask<{ updateRelease: { considerations: Record<string, string[]> } }>(
      'mutation($id: ID!, $c: TechnicalConsiderationsInput!) { updateRelease(id: $id, input: { considerations: $c }) { considerations { architectureChanges dependencies migrations successCriteria } } }',
      {
        id: releaseId,
        c: {
          architectureChanges: ['Payments split out of the monolith'],
          dependencies: ['stripe-node 14'],
          migrations: ['payments.status column added (online, no lock)'],
          successCriteria: ['Checkout conversion does not drop', 'p95 payment latency under 400 ms'],
        },
      },
    );
    expect(updated.updateRelease.considerations).toEqual({
      architectureChanges: ['Payments split out of the monolith'],
      dependencies: ['stripe-node 14'],
      migrations: ['payments.status column added (online, no lock)'],
      successCriteria: ['Checkout conversion does not drop', 'p95 payment latency under 400 ms'],
    });
  });

  it('refuses a migration guide without a breaking change, naming the field, and stores nothing', async () => {
    const before = await ask<{ release: { revision: number; features: unknown[] } }>(
      'query($id: ID!) { release(id: $id) { revision features { id } } }',
      { id: releaseId },
    );
    const res = await gql(
      url,
      ADD,
      {
        r: releaseId,
        input: {
          title: 'Orphan guide',
          priority: 'COULD',
          businessValue: 1,
          timeCriticality: 1,
          riskReduction: 1,
          effort: 1,
          migration: 'do this',
        },
      },
      manager,
    );
    expect(res.errors?.[0]).toMatchObject({
      message: 'a migration guide belongs to a breaking change: give breakingChange too',
      extensions: { code: 'BAD_USER_INPUT', field: 'migration' },
    });
    const after = await ask<{ release: { revision: number; features: unknown[] } }>(
      'query($id: ID!) { release(id: $id) { revision features { id } } }',
      { id: releaseId },
    );
    expect(after).toEqual(before);
  });

  it('--scope prints the scope document: overview, Must / Should / Could, excluded with reason, considerations, success criteria', async () => {
    const run = await flightdeck(['release', 'docs', 'docs-shop@3.0.0', '--scope']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = run.stdout;
    expect(doc).toMatch(/^# Release scope: /);
    for (const text of [
      '- **Version:** 3.0.0',
      '- **Release type:** Major',
      '- **Theme:** Payments v2',
      '### Must have\n\n1. **Payments API v2**\n   - Description: One API for cards and wallets\n   - Business value: 8',
      '   - Effort: 5 story points',
      '### Should have\n\n1. **Faster receipts**',
      '### Could have\n\n1. **Receipt typo**',
      '## Features excluded\n\n- **Crypto wallets** — reason: regulator approval pending; target release: 3.2.0',
      '### Architecture changes\n\n- Payments split out of the monolith',
      '### Breaking changes\n\n- Payments API v2: The /v1/charge endpoint is gone',
      '### Dependencies\n\n- stripe-node 14',
      '### Database migrations\n\n- payments.status column added (online, no lock)',
      '## Success criteria\n\n- Checkout conversion does not drop\n- p95 payment latency under 400 ms',
    ])
      expect(doc).toContain(text);
  });

  it("--notes prints the customers' release notes from the delivered features; --weekly the status update", async () => {
    const notes = await flightdeck(['release', 'docs', releaseId, '--notes']);
    expect(notes.code).toBe(0);
    for (const text of [
      '## New features\n\n- **Payments API v2** — One API for cards and wallets',
      '## Improvements\n\n- **Faster receipts**',
      '## Fixes\n\n- **Receipt typo**',
      '## Breaking changes\n\n- **Payments API v2** — The /v1/charge endpoint is gone',
      '## Migration guide\n\n### Payments API v2\n\nCall /v2/payments with the same body; the answer adds a status field.',
    ])
      expect(notes.stdout).toContain(text);
    expect(notes.stdout).not.toContain('Crypto wallets');

    const weekly = await flightdeck(['release', 'docs', 'docs-shop@3.0.0', '--weekly']);
    expect(weekly.code).toBe(0);
    expect(weekly.stdout).toMatch(/^# Weekly release status: /);
    expect(weekly.stdout).toContain('- Features complete: 3/3 (100%)');
  });

  it('exits 3 naming what was wrong: no document or two asked for, an unknown release', async () => {
    const none = await flightdeck(['release', 'docs', 'docs-shop@3.0.0']);
    expect(none.code).toBe(3);
    expect(none.stderr).toBe(
      "flightdeck: give exactly one of --scope (the scope document), --notes (the customers' release notes) or --weekly (the weekly status update)\n",
    );
    const two = await flightdeck(['release', 'docs', 'docs-shop@3.0.0', '--scope', '--notes']);
    expect(two.code).toBe(3);
    expect(two.stderr).toContain('; got --scope and --notes');
    const unknown = await flightdeck(['release', 'docs', 'docs-shop@9.9.9', '--scope']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe(
      'flightdeck: release docs-shop@9.9.9 does not exist (no release 9.9.9 of product docs-shop)\n',
    );
    const help = await flightdeck(['release', 'docs', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['--scope', '--notes', '--weekly', 'the scope document']) expect(help.stdout).toContain(text);
  });
});
