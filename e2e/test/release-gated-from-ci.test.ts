import type {} from '@flightdeck/testing/global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintToken } from '@flightdeck/auth';
import { databaseUri, eventually, gql } from '@flightdeck/testing';
import { flightdeck } from '../src/cli.js';
import { startServiceProcess, type ServiceProcess } from '../src/processes.js';

const secret = 'e2e-secret-that-is-at-least-32-characters-long';

describe('a release planned, then gated from CI evidence: planning, gates and the gateway as processes, the CLI as a pipeline step', () => {
  const started: ServiceProcess[] = [];
  let gatewayUrl: string;

  beforeAll(async () => {
    const common = { NATS_URL: inject('natsUrl'), AUTH_JWT_SECRET: secret };
    const planning = await startServiceProcess('planning', {
      ...common,
      MONGODB_URI: databaseUri(inject('mongoUri'), 'e2e_gated_planning'),
    });
    started.push(planning);
    const gates = await startServiceProcess('gates', {
      ...common,
      MONGODB_URI: databaseUri(inject('mongoUri'), 'e2e_gated_gates'),
    });
    started.push(gates);
    const gateway = await startServiceProcess('gateway', {
      ...common,
      SUBGRAPH_PLANNING_URL: planning.url,
      SUBGRAPH_GATES_URL: gates.url,
    });
    started.push(gateway);
    gatewayUrl = gateway.url;
  });

  afterAll(async () => {
    for (const p of started.reverse()) await p.process.stop();
  });

  it('learns the release from planning, evaluates the uploaded JUnit report, and planning learns the outcome', async () => {
    const manager = await mintToken({ secret, subject: 'rita', roles: ['RELEASE_MANAGER'] });
    const ci = await mintToken({ secret, subject: 'pipeline', roles: ['CI'], machine: true });

    const created = await gql<{ createRelease: { id: string } }>(
      gatewayUrl,
      'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }',
      {
        input: {
          product: 'payments',
          version: '1.0.0',
          theme: 'Card payments',
          owner: 'rita',
          targetDate: '2027-05-03T00:00:00Z',
        },
      },
      manager,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createRelease.id;

    // The gates subgraph extends Release: one query through the gateway reads both services.
    const gates = await eventually(
      'gates learning the release from planning',
      async () => {
        const res = await gql<{ release: { version: string; gates: { name: string }[] } }>(
          gatewayUrl,
          'query($id: ID!) { release(id: $id) { version gates { name } } }',
          { id },
          manager,
        );
        return res.data?.release?.gates?.length ? res.data.release : undefined;
      },
      20_000,
    );
    expect(gates.version).toBe('1.0.0');
    expect(gates.gates.map((g) => g.name)).toEqual(['FEATURE_COMPLETE', 'ALPHA', 'BETA', 'PRODUCTION']);

    const submit = await flightdeck(
      [
        'evidence',
        'submit',
        '--release',
        'payments@1.0.0',
        '--gate',
        'FEATURE_COMPLETE',
        '--junit',
        'apps/gates/test/fixtures/jest-junit.xml',
      ],
      { url: gatewayUrl, token: ci },
    );
    expect(submit.stderr).toContain('uploading JUNIT apps/gates/test/fixtures/jest-junit.xml');
    expect(submit.code).toBe(0);

    const wait = await flightdeck(
      [
        'gate',
        'wait',
        '--release',
        'payments@1.0.0',
        '--gate',
        'FEATURE_COMPLETE',
        '--timeout',
        '30s',
        '--interval',
        '500ms',
      ],
      {
        url: gatewayUrl,
        token: ci,
      },
    );
    // jest-junit.xml holds 6 cases, 4 of them failing: the gate fails, and says so criterion by criterion.
    expect(wait.code).toBe(1);
    expect(wait.stdout).toMatch(/^payments@1\.0\.0 FEATURE_COMPLETE: FAIL/);
    expect(wait.stdout).toMatch(/FAIL\s+Integration tests passing\s+6 tests: 1 passed, 4 failed/);

    // The CI identity may submit evidence but never approve.
    const approval = await gql(
      gatewayUrl,
      'mutation { approveGate(release: "payments@1.0.0", gate: "FEATURE_COMPLETE") { name } }',
      undefined,
      ci,
    );
    expect(approval.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Planning keeps its own record of gate outcomes from the gates service's events.
    const outcomes = await eventually(
      'planning learning the gate outcome',
      async () => {
        const res = await gql<{ release: { gateOutcomes: { gate: string; outcome: string }[] } }>(
          gatewayUrl,
          'query($id: ID!) { release(id: $id) { gateOutcomes { gate outcome } } }',
          { id },
          manager,
        );
        const list = res.data?.release?.gateOutcomes ?? [];
        return list.some((o) => o.gate === 'FEATURE_COMPLETE') ? list : undefined;
      },
      20_000,
    );
    expect(outcomes).toContainEqual({ gate: 'FEATURE_COMPLETE', outcome: 'FAIL' });
  });
});
