import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateEvaluationCompleted, JetStreamBus } from '@flightdeck/events';
import { eventually } from '@flightdeck/testing';
import { startStack as startPlanningStack, type Stack as PlanningStack } from '@flightdeck/planning/testing';
import { runCli, ask as askAs } from './run-cli.js';

const DAY = 86_400_000;

let stack: PlanningStack;
let bus: JetStreamBus;
let url: string;
let ciToken: string;
let manager: string;
let frozenId: string;

const flightdeck = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { env: { FLIGHTDECK_URL: url, FLIGHTDECK_TOKEN: ciToken, ...env } });

const ask = <T>(query: string, variables: Record<string, unknown>) => askAs<T>(url, query, variables, manager);

beforeAll(async () => {
  stack = await startPlanningStack('cli-freeze');
  url = stack.gatewayUrl;
  bus = stack.bus;
  [ciToken, manager] = await Promise.all([
    stack.token(['CI'], 'pipeline', { machine: true }),
    stack.token(['RELEASE_MANAGER'], 'rita'),
  ]);

  const created = await ask<{ createRelease: { id: string } }>(
    'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id } }',
    {
      input: {
        product: 'cli-shop',
        version: '3.0.0',
        theme: 'Freeze',
        owner: 'rita',
        targetDate: new Date(Date.now() + 60 * DAY).toISOString(),
      },
    },
  );
  frozenId = created.createRelease.id;
  for (const to of ['IN_DEVELOPMENT', 'FEATURE_COMPLETE'])
    await ask(
      'mutation($id: ID!, $to: ReleaseStatus!) { transitionRelease(id: $id, to: $to, reason: "on plan") { status } }',
      { id: frozenId, to },
    );
  await bus.publish(
    gateEvaluationCompleted.create({
      source: 'flightdeck/gates',
      data: {
        releaseId: frozenId,
        evaluationId: 'fc-1',
        gate: 'FEATURE_COMPLETE',
        outcome: 'PASS',
        evaluatedAt: new Date().toISOString(),
      },
    }),
  );
  await eventually('cli-shop 3.0.0 to enter CODE_FREEZE', async () =>
    (await ask<{ release: { status: string } }>('query($id: ID!) { release(id: $id) { status } }', { id: frozenId }))
      .release.status === 'CODE_FREEZE'
      ? true
      : undefined,
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('flightdeck freeze check', () => {
  it('exits 1 for a change refused during the freeze, printing why and who may approve', async () => {
    const run = await flightdeck(['freeze', 'check', '--release', 'cli-shop@3.0.0', '--change', 'abc1234']);
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe(
      'refused: cli-shop 3.0.0 is frozen (CODE_FREEZE): abc1234 is not critical and no release manager let it in (approveFreezeException)',
    );
    expect(run.stderr).toContain(
      `To let it in, a RELEASE_MANAGER or the release owner rita may approve an exception: flightdeck freeze approve --release ${frozenId} --change "abc1234" --reason "why it must go in now"`,
    );
  });

  it('exits 0 for a critical change, and for one a release manager let in (by release id, as JSON)', async () => {
    const critical = await flightdeck([
      'freeze',
      'check',
      '--release',
      'cli-shop@3.0.0',
      '--change',
      'abc1234',
      '--critical',
    ]);
    expect(critical.code).toBe(0);
    expect(critical.stdout).toContain(
      'allowed: cli-shop 3.0.0 is frozen (CODE_FREEZE); abc1234 is marked critical and may go in',
    );

    await ask(
      'mutation($r: ID!) { approveFreezeException(releaseId: $r, change: "def5678", reason: "fixes the login crash") { revision } }',
      { r: frozenId },
    );
    const approved = await flightdeck(['freeze', 'check', '--release', frozenId, '--change', 'def5678', '--json']);
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({
      allowed: true,
      frozen: true,
      change: 'def5678',
      reason: 'cli-shop 3.0.0 is frozen (CODE_FREEZE); def5678 was let in by rita: fixes the login crash',
    });
  });

  it('exits 3 naming what was wrong: an unknown release, a missing option, no token', async () => {
    const unknown = await flightdeck(['freeze', 'check', '--release', 'cli-shop@9.9.9', '--change', 'abc']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain(
      'flightdeck: release cli-shop@9.9.9 does not exist (no release 9.9.9 of product cli-shop)',
    );
    const noChange = await flightdeck(['freeze', 'check', '--release', 'cli-shop@3.0.0']);
    expect(noChange.code).toBe(3);
    expect(noChange.stderr).toContain("required option '--change <id>' not specified");
    const empty = await flightdeck(['freeze', 'check', '--release', 'cli-shop@3.0.0', '--change', ' ']);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('--change is empty; give the commit id or the pull/merge request');
    const noToken = await flightdeck(['freeze', 'check', '--release', 'cli-shop@3.0.0', '--change', 'abc'], {
      FLIGHTDECK_TOKEN: '',
    });
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toContain('FLIGHTDECK_TOKEN is not set');
  });

  it('--help says what it does, the options and the exit codes', async () => {
    for (const [cmd, texts] of [
      ['approve', ['--release <product@version|id>', '--change <id>', '--reason <text>', 'RELEASE_MANAGER role']],
      ['tick', ['--item <id>', '--evidence <link|text>', 'TECHNICAL_LEAD or QA_LEAD']],
      ['checklist', ['--release <product@version|id>', 'pre-freeze 48 h, freeze, stabilisation']],
    ] as const) {
      const help = await flightdeck(['freeze', cmd, '--help']);
      expect(help.code).toBe(0);
      for (const text of texts) expect(help.stdout).toContain(text);
    }

    const help = await flightdeck(['freeze', 'check', '--help']);
    expect(help.code).toBe(0);
    for (const text of [
      '--release <product@version|id>',
      '--change <id>',
      '--critical',
      '0 the change may land, 1 refused',
    ])
      expect(help.stdout).toContain(text);
  });
});

describe('flightdeck freeze approve', () => {
  it('a release manager lets a refused change in; freeze check then exits 0 naming who and why', async () => {
    expect((await flightdeck(['freeze', 'check', '--release', 'cli-shop@3.0.0', '--change', 'fix-42'])).code).toBe(1);
    const approved = await flightdeck(
      [
        'freeze',
        'approve',
        '--release',
        'cli-shop@3.0.0',
        '--change',
        'fix-42',
        '--reason',
        'fixes the refund rounding',
      ],
      { FLIGHTDECK_TOKEN: manager },
    );
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(
      /^approved: fix-42 may go into cli-shop 3\.0\.0 \(CODE_FREEZE\), let in by rita at \S+: fixes the refund rounding\n$/,
    );
    const check = await flightdeck(['freeze', 'check', '--release', 'cli-shop@3.0.0', '--change', 'fix-42']);
    expect(check.code).toBe(0);
    expect(check.stdout.trim()).toBe(
      'allowed: cli-shop 3.0.0 is frozen (CODE_FREEZE); fix-42 was let in by rita: fixes the refund rounding',
    );
    const recorded = await ask<{ release: { freezeExceptions: { changeId: string; by: string }[] } }>(
      'query($id: ID!) { release(id: $id) { freezeExceptions { changeId by } } }',
      { id: frozenId },
    );
    expect(recorded.release.freezeExceptions).toContainEqual({ changeId: 'fix-42', by: 'rita' });
  });

  it('exits 3 naming what was wrong: the pipeline token, no reason, an unknown release; nothing is recorded', async () => {
    const asPipeline = await flightdeck([
      'freeze',
      'approve',
      '--release',
      'cli-shop@3.0.0',
      '--change',
      'sneaky-1',
      '--reason',
      'trust me',
    ]);
    expect(asPipeline.code).toBe(3);
    expect(asPipeline.stderr).toMatch(/^flightdeck: .*RELEASE_MANAGER/);
    const noReason = await flightdeck(
      ['freeze', 'approve', '--release', 'cli-shop@3.0.0', '--change', 'sneaky-1', '--reason', ' '],
      { FLIGHTDECK_TOKEN: manager },
    );
    expect(noReason.code).toBe(3);
    expect(noReason.stderr).toBe('flightdeck: --reason is empty; say why this change must go in during the freeze\n');
    const unknown = await flightdeck(
      ['freeze', 'approve', '--release', 'cli-shop@9.9.9', '--change', 'sneaky-1', '--reason', 'why'],
      { FLIGHTDECK_TOKEN: manager },
    );
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe(
      'flightdeck: release cli-shop@9.9.9 does not exist (no release 9.9.9 of product cli-shop)\n',
    );
    expect((await flightdeck(['freeze', 'check', '--release', 'cli-shop@3.0.0', '--change', 'sneaky-1'])).code).toBe(1);
  });
});

describe('flightdeck freeze checklist and freeze tick', () => {
  it('ticks items with evidence and prints the checklist by phase, with who ticked what', async () => {
    const lead = await stack.token(['TECHNICAL_LEAD'], 'tom');
    const ticked = await flightdeck(
      [
        'freeze',
        'tick',
        '--release',
        'cli-shop@3.0.0',
        '--item',
        'branch-protected',
        '--evidence',
        'https://github.com/acme/shop/settings/branches',
      ],
      { FLIGHTDECK_TOKEN: lead },
    );
    expect(ticked.stderr).toBe('');
    expect(ticked.code).toBe(0);
    expect(ticked.stdout).toContain('cli-shop 3.0.0 code-freeze checklist: 1 of 16 ticked');
    expect(ticked.stdout).toMatch(
      /\[x\] branch-protected: Branch protection rules enabled on the release branch — https:\/\/github\.com\/acme\/shop\/settings\/branches \(tom, \S+\)/,
    );

    const list = await flightdeck(['freeze', 'checklist', '--release', frozenId, '--json']);
    expect(list.code).toBe(0);
    const { items } = JSON.parse(list.stdout) as { items: { id: string; phase: string; ticked: boolean }[] };
    expect(items).toHaveLength(16);
    expect(items.filter((i) => i.ticked).map((i) => i.id)).toEqual(['branch-protected']);
    expect([...new Set(items.map((i) => i.phase))]).toEqual(['PRE_FREEZE', 'FREEZE', 'STABILISATION']);

    const text = (await flightdeck(['freeze', 'checklist', '--release', 'cli-shop@3.0.0'])).stdout;
    expect(text.split('\n').slice(0, 3)).toEqual([
      'cli-shop 3.0.0 code-freeze checklist: 1 of 16 ticked',
      'Pre-freeze (48 h before):',
      '  [ ] features-merged: All planned features merged to the main branch',
    ]);
  });

  it('exits 3 on an unknown item (listing the items), empty evidence, or the pipeline token', async () => {
    const lead = await stack.token(['TECHNICAL_LEAD'], 'tom');
    const unknown = await flightdeck(
      ['freeze', 'tick', '--release', 'cli-shop@3.0.0', '--item', 'nope', '--evidence', 'x'],
      { FLIGHTDECK_TOKEN: lead },
    );
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(
      /^flightdeck: itemId "nope" is not on the code-freeze checklist; it has: features-merged, feature-flags, /,
    );
    const empty = await flightdeck(
      ['freeze', 'tick', '--release', 'cli-shop@3.0.0', '--item', 'api-docs', '--evidence', ''],
      { FLIGHTDECK_TOKEN: lead },
    );
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('--evidence is empty');
    const pipeline = await flightdeck([
      'freeze',
      'tick',
      '--release',
      'cli-shop@3.0.0',
      '--item',
      'api-docs',
      '--evidence',
      'x',
    ]);
    expect(pipeline.code).toBe(3);
    const after = JSON.parse((await flightdeck(['freeze', 'checklist', '--release', frozenId, '--json'])).stdout) as {
      items: { ticked: boolean }[];
    };
    expect(after.items.filter((i) => i.ticked)).toHaveLength(1);
  });
});
