import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateEvaluationCompleted, type CloudEvent, type Subscription } from '@flightdeck/events';
import { eventually, gql } from '@flightdeck/testing';
import { createRelease, startStack, type Stack } from './stack.js';

// The shapes of GraphQL answers are what the assertions below check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;

const GITHUB_SECRET = 'github-webhook-secret-of-the-test';
const GITLAB_TOKEN = 'gitlab-webhook-token-of-the-test';
const PUSH_COMMIT = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const DAY = 86_400_000;
const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/git-webhooks/${name}`, import.meta.url)));
const sign = (body: Buffer, secret = GITHUB_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

let stack: Stack;
let manager: string;
let lead: string;
let ci: string;
let frozenId: string;
let openId: string;
const seen: CloudEvent[] = [];
let watcher: Subscription;

const DECISION =
  'query($r: String!, $c: String!, $k: Boolean) { freezeDecision(release: $r, change: $c, critical: $k) { allowed frozen reason change critical approvers release { id status } exception { changeId reason by byName } } }';
const decide = (release: string, change: string, critical?: boolean, token?: string) =>
  gql<Answer>(
    stack.gatewayUrl,
    DECISION,
    { r: release, c: change, ...(critical === undefined ? {} : { k: critical }) },
    token,
  );
const approve = (releaseId: string, change: string, reason: string, token: string) =>
  gql<Answer>(
    stack.gatewayUrl,
    'mutation($r: ID!, $c: String!, $why: String!) { approveFreezeException(releaseId: $r, change: $c, reason: $why) { revision freezeExceptions { changeId reason by byName at } } }',
    { r: releaseId, c: change, why: reason },
    token,
  );

const created = (version: string) =>
  createRelease(stack.gatewayUrl, manager, {
    product: 'freeze-shop',
    version,
    theme: 'Freeze',
    targetDate: new Date(Date.now() + 60 * DAY).toISOString(),
  });

const transition = async (id: string, to: string) => {
  const res = await gql<Answer>(
    stack.gatewayUrl,
    'mutation($id: ID!, $to: ReleaseStatus!) { transitionRelease(id: $id, to: $to, reason: "on plan") { status } }',
    { id, to },
    manager,
  );
  expect(res.errors).toBeUndefined();
};

const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

function post(path: string, body: Buffer | string, headers: Record<string, string>) {
  return fetch(`${stack.planningBase}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

beforeAll(async () => {
  stack = await startStack('code-freeze', { gitWebhooks: { github: GITHUB_SECRET, gitlab: GITLAB_TOKEN } });
  [manager, lead, ci] = await Promise.all([
    stack.token(['RELEASE_MANAGER'], 'rita', { name: 'Rita Manager' }),
    stack.token(['TECHNICAL_LEAD'], 'tom'),
    stack.token(['CI'], 'pipeline', { machine: true }),
  ]);
  watcher = await stack.bus.subscribe({
    durable: `planning-freeze-watch-${Date.now()}`,
    filter: 'flightdeck.planning.>',
    handler: (e) => void seen.push(e),
  });
  openId = await created('1.0.0');
  await transition(openId, 'IN_DEVELOPMENT');
  frozenId = await created('2.0.0');
  await transition(frozenId, 'IN_DEVELOPMENT');
  await transition(frozenId, 'FEATURE_COMPLETE');
  // The FEATURE_COMPLETE gate passing moves the release into CODE_FREEZE on its own.
  await stack.bus.publish(
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
  await eventually('the release to enter CODE_FREEZE', async () =>
    (await decide(frozenId, 'probe')).data?.freezeDecision.release.status === 'CODE_FREEZE' ? true : undefined,
  );
});

afterAll(async () => {
  await watcher?.stop();
  await stack?.stop();
});

describe('freezeDecision through the gateway', () => {
  it('lets any change into a release that is not frozen, found by product@version', async () => {
    const res = await decide('freeze-shop@1.0.0', 'abc123', false, ci);
    expect(res.errors).toBeUndefined();
    expect(res.data!.freezeDecision).toMatchObject({
      allowed: true,
      frozen: false,
      change: 'abc123',
      critical: false,
      release: { id: openId, status: 'IN_DEVELOPMENT' },
      exception: null,
    });
    expect(res.data!.freezeDecision.reason).toBe('freeze-shop 1.0.0 is IN_DEVELOPMENT: the code is not frozen');
  });

  it('during the freeze refuses a change that is neither critical nor let in, naming who may approve; a critical one goes in', async () => {
    const refused = (await decide('freeze-shop@2.0.0', 'github:acme/shop#7', false, ci)).data!.freezeDecision;
    expect(refused).toMatchObject({
      allowed: false,
      frozen: true,
      approvers: ['a RELEASE_MANAGER', 'the release owner rita'],
    });
    expect(refused.reason).toBe(
      'freeze-shop 2.0.0 is frozen (CODE_FREEZE): github:acme/shop#7 is not critical and no release manager let it in (approveFreezeException)',
    );
    const critical = (await decide(frozenId, 'github:acme/shop#7', true)).data!.freezeDecision;
    expect(critical).toMatchObject({ allowed: true, frozen: true, critical: true });
  });

  it('refuses bad input naming what was wrong', async () => {
    const empty = await decide(frozenId, '  ');
    expect(empty.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'change' });
    expect(empty.errors![0]!.message).toContain(
      'change must name the change: a commit id, or a pull/merge request such as github:acme/shop#42',
    );
    const unknown = await decide('freeze-shop@9.9.9', 'abc');
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(unknown.errors![0]!.message).toBe(
      'release freeze-shop@9.9.9 does not exist (no release 9.9.9 of product freeze-shop)',
    );
  });
});

describe('approveFreezeException', () => {
  it('only a release manager (a person) may let a change in', async () => {
    for (const token of [lead, ci])
      expect(
        (await approve(frozenId, 'github:acme/shop#7', 'fixes checkout', token)).errors![0]!.extensions!.code,
      ).toBe('FORBIDDEN');
    expect((await approve(frozenId, 'github:acme/shop#7', 'fixes checkout', '')).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses an exception without a reason, or outside a freeze, and changes nothing', async () => {
    const noReason = await approve(frozenId, 'github:acme/shop#7', ' ', manager);
    expect(noReason.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const notFrozen = await approve(openId, 'abc', 'why not', manager);
    expect(notFrozen.errors![0]!.message).toBe(
      'freeze-shop 1.0.0 is IN_DEVELOPMENT: there is no freeze to make an exception to',
    );
    expect((await decide(frozenId, 'github:acme/shop#7')).data!.freezeDecision.allowed).toBe(false);
  });

  it('records who let the change in and why, publishes the event, and the change is then allowed', async () => {
    const res = await approve(frozenId, 'github:acme/shop#7', 'fixes the checkout crash seen in beta', manager);
    expect(res.errors).toBeUndefined();
    expect(res.data!.approveFreezeException.freezeExceptions).toEqual([
      {
        changeId: 'github:acme/shop#7',
        reason: 'fixes the checkout crash seen in beta',
        by: 'rita',
        byName: 'Rita Manager',
        at: expect.any(String),
      },
    ]);

    const allowed = (await decide('freeze-shop@2.0.0', 'github:acme/shop#7')).data!.freezeDecision;
    expect(allowed).toMatchObject({
      allowed: true,
      frozen: true,
      exception: { changeId: 'github:acme/shop#7', by: 'rita', byName: 'Rita Manager' },
    });
    expect(allowed.reason).toBe(
      'freeze-shop 2.0.0 is frozen (CODE_FREEZE); github:acme/shop#7 was let in by Rita Manager: fixes the checkout crash seen in beta',
    );

    const event = await eventually('the exception event', async () =>
      seen.find((e) => e.type === 'flightdeck.planning.freeze.exception_approved' && e.subject === frozenId),
    );
    expect(event.data).toMatchObject({
      releaseId: frozenId,
      product: 'freeze-shop',
      version: '2.0.0',
      status: 'CODE_FREEZE',
      changeId: 'github:acme/shop#7',
      reason: 'fixes the checkout crash seen in beta',
      by: 'rita',
    });
  });
});

describe('the code-freeze checklist', () => {
  const TICK =
    'mutation($r: ID!, $i: String!, $e: String!) { tickFreezeItem(releaseId: $r, item: $i, evidence: $e) { revision freezeChecklist { id phase ticked evidence by byName at } } }';
  const tick = (item: string, evidence: string, token: string) =>
    gql<Answer>(stack.gatewayUrl, TICK, { r: frozenId, i: item, e: evidence }, token);
  const checklist = async () =>
    (
      await gql<Answer>(
        stack.gatewayUrl,
        'query($id: ID!) { release(id: $id) { freezeChecklist { id phase title ticked evidence by byName } } }',
        { id: frozenId },
        ci,
      )
    ).data!.release.freezeChecklist as Answer[];

  it('lists every item of the process by phase, unticked at first', async () => {
    const items = await checklist();
    expect(items.map((i) => `${i.phase} ${i.id}`)).toEqual([
      'PRE_FREEZE features-merged',
      'PRE_FREEZE feature-flags',
      'PRE_FREEZE migrations-tested',
      'PRE_FREEZE api-docs',
      'PRE_FREEZE dependencies-scanned',
      'PRE_FREEZE benchmarks-baseline',
      'FREEZE branch-created',
      'FREEZE branch-protected',
      'FREEZE pipeline-configured',
      'FREEZE team-notified',
      'FREEZE exception-process',
      'STABILISATION bug-fixes-only',
      'STABILISATION changes-approved',
      'STABILISATION daily-builds',
      'STABILISATION regression-tests',
      'STABILISATION performance-tests',
    ]);
    expect(items.every((i) => !i.ticked && i.evidence === null && i.by === null)).toBe(true);
  });

  it('is ticked with evidence by a release manager or a technical lead, naming who', async () => {
    const protectedBranch = await tick(
      'branch-protected',
      'https://github.com/acme/shop/settings/branches (release/2.0 protected)',
      lead,
    );
    expect(protectedBranch.errors).toBeUndefined();
    const again = await tick('daily-builds', 'https://ci.example.com/shop/release-2.0/nightly', manager);
    expect(again.errors).toBeUndefined();
    const ticked = (await checklist()).filter((i) => i.ticked);
    expect(ticked).toEqual([
      {
        id: 'branch-protected',
        phase: 'FREEZE',
        title: 'Branch protection rules enabled on the release branch',
        ticked: true,
        evidence: 'https://github.com/acme/shop/settings/branches (release/2.0 protected)',
        by: 'tom',
        byName: 'tom',
      },
      {
        id: 'daily-builds',
        phase: 'STABILISATION',
        title: 'Daily build and test runs',
        ticked: true,
        evidence: 'https://ci.example.com/shop/release-2.0/nightly',
        by: 'rita',
        byName: 'Rita Manager',
      },
    ]);
  });

  it('refuses an unknown item, empty evidence, a pipeline and no token, naming what was wrong, and changes nothing', async () => {
    const before = await checklist();
    const unknown = await tick('nope', 'x', manager);
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'itemId' });
    expect(unknown.errors![0]!.message).toMatch(
      /^itemId "nope" is not on the code-freeze checklist; it has: features-merged, feature-flags, /,
    );
    const empty = await tick('api-docs', '  ', manager);
    expect(empty.errors![0]!.message).toBe('evidence: give a link or a sentence showing the item is done');
    expect((await tick('api-docs', 'done', ci)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await tick('api-docs', 'done', '')).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(await checklist()).toEqual(before);
  });
});

describe('Git webhooks (real payloads) answer the freeze decision', () => {
  const github = (body: Buffer, event = 'push', release = 'freeze-shop@2.0.0', signature = sign(body)) =>
    post(`/webhooks/git/github?release=${encodeURIComponent(release)}`, body, {
      'x-github-event': event,
      'x-hub-signature-256': signature,
    });

  it('a signed GitHub push into the frozen release is refused until a release manager lets the commit in', async () => {
    const body = fixture('github-push.json');
    const before = await github(body);
    expect(before.status).toBe(200);
    expect(await before.json()).toMatchObject({
      allowed: false,
      frozen: true,
      change: { id: PUSH_COMMIT, host: 'github', branch: 'master', critical: false },
      release: { id: frozenId, status: 'CODE_FREEZE' },
      approvers: ['a RELEASE_MANAGER', 'the release owner rita'],
    });

    expect((await approve(frozenId, PUSH_COMMIT, 'the release branch needs it', manager)).errors).toBeUndefined();
    const after = await github(body);
    expect(await after.json()).toMatchObject({ allowed: true, exception: { changeId: PUSH_COMMIT, by: 'rita' } });
  });

  it('a pull request labelled critical goes in; one into an open release always does', async () => {
    const pr = JSON.parse(fixture('github-pull_request-labeled.json').toString());
    pr.pull_request.labels.push({ name: 'critical' });
    const body = Buffer.from(JSON.stringify(pr));
    expect(await (await github(body, 'pull_request')).json()).toMatchObject({
      allowed: true,
      frozen: true,
      change: { id: 'github:Codertocat/Hello-World#2', critical: true },
    });
    expect(
      await (await github(fixture('github-pull_request-labeled.json'), 'pull_request', openId)).json(),
    ).toMatchObject({ allowed: true, frozen: false });
  });

  it('refuses a bad signature (401), a malformed payload (400) and a missing or unknown release, saying what was wrong', async () => {
    const body = fixture('github-push.json');
    const forged = await github(body, 'push', 'freeze-shop@2.0.0', sign(body, 'not-the-secret-of-the-webhook'));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({
      error: 'X-Hub-Signature-256 does not match the body and the webhook secret',
    });
    const unsigned = await post('/webhooks/git/github?release=freeze-shop@2.0.0', body, { 'x-github-event': 'push' });
    expect(unsigned.status).toBe(401);

    const notJson = Buffer.from('{"ref":');
    const broken = await github(notJson);
    expect(broken.status).toBe(400);
    expect(await errorOf(broken)).toMatch(/^the body is not JSON/);
    const partial = Buffer.from('{"ref":"refs/heads/main"}');
    const incomplete = await github(partial);
    expect(incomplete.status).toBe(400);
    expect(await errorOf(incomplete)).toMatch(/^not a GitHub push payload: after: /);
    const other = await github(body, 'issues');
    expect(await other.json()).toEqual({
      error: 'X-GitHub-Event "issues" is not one Flightdeck reads; send push or pull_request events',
    });

    const noRelease = await post('/webhooks/git/github', body, {
      'x-github-event': 'push',
      'x-hub-signature-256': sign(body),
    });
    expect(noRelease.status).toBe(400);
    expect(await errorOf(noRelease)).toContain('no ?release= in the webhook URL');
    const unknown = await github(body, 'push', 'freeze-shop@9.9.9');
    expect(unknown.status).toBe(404);
  });

  it('GitLab: the token is checked, a merge request during the freeze is refused, a malformed one named', async () => {
    const body = fixture('gitlab-merge_request.json');
    const ok = await post('/webhooks/git/gitlab?release=freeze-shop@2.0.0', body, {
      'x-gitlab-token': GITLAB_TOKEN,
      'x-gitlab-event': 'Merge Request Hook',
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      allowed: false,
      frozen: true,
      change: { id: 'gitlab:gitlabhq/gitlab-test!1', host: 'gitlab', critical: false },
    });
    const push = await post('/webhooks/git/gitlab?release=freeze-shop@1.0.0', fixture('gitlab-push.json'), {
      'x-gitlab-token': GITLAB_TOKEN,
    });
    expect(await push.json()).toMatchObject({
      allowed: true,
      frozen: false,
      change: { id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7' },
    });

    const wrong = await post('/webhooks/git/gitlab?release=freeze-shop@2.0.0', body, {
      'x-gitlab-token': 'guess-guess-guess',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'X-Gitlab-Token does not match the webhook secret' });
    const malformed = await post('/webhooks/git/gitlab?release=freeze-shop@2.0.0', '{"object_kind":"merge_request"}', {
      'x-gitlab-token': GITLAB_TOKEN,
    });
    expect(malformed.status).toBe(400);
    expect(await errorOf(malformed)).toMatch(/^not a GitLab merge request payload: /);
  });
});
