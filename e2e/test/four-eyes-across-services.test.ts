import type {} from '@flightdeck/testing/global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseUri, DEADLINES, eventually, gql, tokensFor } from '@flightdeck/testing';
import { startServiceProcess, type ServiceProcess } from '../src/processes.js';

const secret = 'e2e-secret-that-is-at-least-32-characters-long';

const GATE = 'mutation($d: JSON!) { defineGate(product: "ledger", definition: $d) { version } }';
const TICK =
  'mutation($r: String!) { tickChecklistItem(release: $r, gate: "PRODUCTION", criterion: "go-live", item: "runbook") { outcome } }';
const APPROVE =
  'mutation($r: String!) { approveGate(release: $r, gate: "PRODUCTION", comment: "ship it") { outcome latestEvaluation { reasons approvals { approvedBy approvedByNames } } approvals { by byName } } }';

interface Approved {
  approveGate: {
    outcome: string;
    latestEvaluation: { reasons: string[]; approvals: { approvedBy: string[]; approvedByNames: string[] }[] };
    approvals: { by: string; byName: string }[];
  };
}

/**
 * Four-eyes across services: planning records who requested a release, gates compares that person with the
 * approvers. Both must name people the same way (by the token's subject), whether or not the token carries a
 * display name, or the requester alone could pass a four-eyes gate.
 */
describe('four-eyes: the requester of a release cannot be the only approver of its Production gate', () => {
  const started: ServiceProcess[] = [];
  let gatewayUrl: string;
  const token = tokensFor(secret);

  beforeAll(async () => {
    const common = { NATS_URL: inject('natsUrl'), AUTH_JWT_SECRET: secret };
    const planning = await startServiceProcess('planning', {
      ...common,
      MONGODB_URI: databaseUri(inject('mongoUri'), 'e2e_four_eyes_planning'),
    });
    started.push(planning);
    const gates = await startServiceProcess('gates', {
      ...common,
      MONGODB_URI: databaseUri(inject('mongoUri'), 'e2e_four_eyes_gates'),
    });
    started.push(gates);
    const gateway = await startServiceProcess('gateway', {
      ...common,
      SUBGRAPH_PLANNING_URL: planning.url,
      SUBGRAPH_GATES_URL: gates.url,
    });
    started.push(gateway);
    gatewayUrl = gateway.url;

    // A Production gate that only needs a ticked runbook and one Release Manager, with four-eyes: the approvals decide it.
    const definer = await token(['QA_LEAD'], 'qa-lead');
    const definition = {
      name: 'PRODUCTION',
      order: 40,
      criteria: [
        {
          id: 'go-live',
          name: 'Go-live checklist',
          kind: 'checklist',
          items: [{ id: 'runbook', label: 'Runbook reviewed' }],
        },
      ],
      approvals: [{ role: 'RELEASE_MANAGER', count: 1 }],
      fourEyes: true,
    };
    const defined = await gql(gatewayUrl, GATE, { d: definition }, definer);
    expect(defined.errors).toBeUndefined();
  });

  afterAll(async () => {
    for (const p of started.reverse()) await p.process.stop();
  });

  const cases = [
    {
      title: 'with a display name in the token (as npm start and identity providers issue them)',
      version: '1.0.0',
      subject: 'rita',
      name: 'Rita Manager',
    },
    { title: 'without a display name in the token', version: '1.1.0', subject: 'nora', name: undefined },
  ];

  for (const c of cases) {
    it(`holds for a requester ${c.title}`, async () => {
      const requester = await token(['RELEASE_MANAGER'], c.subject, { name: c.name });
      const created = await gql<{ createRelease: { id: string } }>(
        gatewayUrl,
        'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }',
        {
          input: {
            product: 'ledger',
            version: c.version,
            theme: 'General ledger',
            owner: 'finance',
            targetDate: '2027-05-03T00:00:00Z',
          },
        },
        requester,
      );
      expect(created.errors).toBeUndefined();
      const release = `ledger@${c.version}`;
      await eventually(
        'gates learning the release from planning',
        async () => {
          const res = await gql<{ releaseGates: { name: string }[] }>(
            gatewayUrl,
            'query($r: String!) { releaseGates(release: $r) { name } }',
            { r: release },
            requester,
          );
          return res.data?.releaseGates?.length ? true : undefined;
        },
        DEADLINES.stack,
      );
      expect((await gql(gatewayUrl, TICK, { r: release }, requester)).errors).toBeUndefined();

      const alone = await gql<Approved>(gatewayUrl, APPROVE, { r: release }, requester);
      expect(alone.errors).toBeUndefined();
      const shown = c.name ?? c.subject;
      expect(alone.data!.approveGate.outcome).toBe('CONDITIONAL');
      expect(alone.data!.approveGate.latestEvaluation.reasons).toEqual([
        `approval pending: four-eyes: ${shown} requested the release and cannot be its only approver; another person must approve`,
      ]);
      expect(alone.data!.approveGate.approvals).toEqual([{ by: c.subject, byName: shown }]);
      expect(alone.data!.approveGate.latestEvaluation.approvals).toEqual([
        { approvedBy: [c.subject], approvedByNames: [shown] },
      ]);

      // Another person, with a display name of their own, completes the approvals.
      const other = await token(['RELEASE_MANAGER'], `${c.subject}-colleague`, { name: 'Sam Second' });
      const both = await gql<Approved>(gatewayUrl, APPROVE, { r: release }, other);
      expect(both.errors).toBeUndefined();
      expect(both.data!.approveGate.outcome).toBe('PASS');
      expect(both.data!.approveGate.latestEvaluation.approvals).toEqual([
        { approvedBy: [c.subject, `${c.subject}-colleague`], approvedByNames: [shown, 'Sam Second'] },
      ]);
    });
  }
});
