import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  freePort,
  gql,
  hasBinary,
  startProcess,
  type GraphQLResult,
  type RunningProcess,
} from '@flightdeck/testing';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The embedded stack as `npm start` runs it (tools/stack/src/main.ts under tsx), or through npm itself. */
async function startEmbedded(
  dataDir: string,
  port: number,
  opts: { viaNpm?: boolean; logLevel?: string } = {},
): Promise<RunningProcess> {
  const [command, args] = opts.viaNpm
    ? ['npm', ['start']]
    : [join(repoRoot, 'node_modules/.bin/tsx'), ['tools/stack/src/main.ts']];
  return startProcess(command, args, {
    name: 'npm start',
    timeoutMs: 90_000,
    env: {
      ...process.env,
      PORT: String(port),
      FLIGHTDECK_DATA_DIR: dataDir,
      LOG_LEVEL: opts.logLevel ?? 'warn',
      MONGODB_URI: '',
      NATS_URL: '',
      AUTH_JWT_SECRET: '',
      KUBECONFIG: '',
      PROMETHEUS_URL: '',
    },
    isReady: (out) => /export TOKEN=\S+\n/.test(out),
    cwd: repoRoot,
  });
}

function tokenFrom(output: string): string {
  const match = /export TOKEN=(\S+)/.exec(output);
  if (!match?.[1]) throw new Error(`no token printed:\n${output}`);
  return match[1];
}

/** A signed GitHub push (a real payload) to planning's webhook for shop@1.0.0, with the stack's kept secret or another. */
async function pushToGitHubWebhook(
  url: string,
  dataDir: string,
  secret?: string,
): Promise<{ status: number; body: unknown }> {
  const body = await readFile(join(repoRoot, 'apps/planning/test/fixtures/git-webhooks/github-push.json'));
  const key =
    secret ??
    (JSON.parse(await readFile(join(dataDir, 'git-webhook-secrets.json'), 'utf8')) as { github: string }).github;
  const res = await fetch(`${url}?release=shop@1.0.0`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': `sha256=${createHmac('sha256', key).update(body).digest('hex')}`,
    },
    body,
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

/** The banner's line that starts with `start` (after its indentation). */
function bannerLine(output: string, start: string): string {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith(start));
  if (!line) throw new Error(`the banner has no line starting with "${start}":\n${output}`);
  return line;
}

/** Runs shell lines as a user pasting them would: one bash, the repository as the working directory. */
function shell(lines: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(AUTH_JWT_SECRET|FLIGHTDECK_|TOKEN$)/.test(k)),
    );
    execFile('bash', ['-euc', lines.join('\n')], { cwd: repoRoot, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('npm start (the embedded stack)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('serves the supergraph through the gateway and keeps data across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'flightdeck-stack-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;

    let stack = await startEmbedded(dataDir, port);
    cleanup.push(() => stack.stop());
    expect(stack.output()).toContain(`GraphQL API   ${url}`);
    const token = tokenFrom(stack.output());

    const anonymous = await gql(
      url,
      'mutation { createRelease(input: { product: "shop", version: "1.0.0", theme: "t", owner: "o", targetDate: "2027-03-01T00:00:00Z" }) { id } }',
      {},
    );
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const created = await gql(
      url,
      'mutation($input: CreateReleaseInput!) { createRelease(input: $input) { id version type status } }',
      {
        input: {
          product: 'shop',
          version: '1.0.0',
          theme: 'First release',
          owner: 'alice',
          targetDate: '2027-03-01T00:00:00Z',
        },
      },
      token,
    );
    expect(created.errors).toBeUndefined();
    const release = created.data?.createRelease as { id: string; version: string; type: string; status: string };
    expect(release).toMatchObject({ version: '1.0.0', type: 'MAJOR', status: 'PLANNING' });

    // The gates service learns the release from planning's event over the in-process bus.
    const gates = await eventually('gates learning the release', async () => {
      const res = await gql(url, 'query($id: ID!) { release(id: $id) { gates { name } } }', { id: release.id }, token);
      const found = (res.data?.release as { gates?: { name: string }[] } | undefined)?.gates ?? [];
      return found.length ? found : undefined;
    });
    expect(gates.map((g) => g.name)).toEqual(['FEATURE_COMPLETE', 'ALPHA', 'BETA', 'PRODUCTION']);

    // One query reads all four subgraphs: planning owns the release, the others extend it.
    const whole = await gql(
      url,
      'query($id: ID!) { release(id: $id) { version gates { name } rollouts { id } metrics { productionRollouts } } }',
      { id: release.id },
      token,
    );
    expect(whole.errors).toBeUndefined();
    expect(whole.data?.release).toMatchObject({ version: '1.0.0', rollouts: [] });

    const health = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(health.status).toBe(200);

    // Planning's GitHub webhook answers from the first run, with the secret generated into the data directory.
    const github = bannerLine(stack.output(), 'GitHub webhook').split(' ').at(-1)!;
    const push = await pushToGitHubWebhook(github, dataDir);
    expect(push).toMatchObject({ status: 200, body: { allowed: true, frozen: false } });

    // The banner names the web console (built by `npm start` when missing; the test target builds it first).
    expect(stack.output()).toContain(`Web console   http://127.0.0.1:${port}/`);

    await stack.stop();
    stack = await startEmbedded(dataDir, port);
    // The signing secret is kept in the data directory, so the first token still works after a restart.
    const again = await gql(
      url,
      'query($id: ID!) { release(id: $id) { id version theme } }',
      { id: release.id },
      token,
    );
    expect(again.errors).toBeUndefined();
    expect(again.data?.release).toEqual({ id: release.id, version: '1.0.0', theme: 'First release' });
    // The webhook secret is kept too (the webhook's port changes with the restart, its secret does not).
    const githubAgain = bannerLine(stack.output(), 'GitHub webhook').split(' ').at(-1)!;
    expect((await pushToGitHubWebhook(githubAgain, dataDir)).status).toBe(200);
    const forged = await pushToGitHubWebhook(githubAgain, dataDir, 'not-the-secret-of-this-stack');
    expect(forged.status).toBe(401);
  }, 240_000);

  it('stops when the npm process is sent SIGTERM (the script execs tsx: no shell is left holding the stack), its logs in the file the banner names', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'flightdeck-stack-npm-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const stack = await startEmbedded(dataDir, port, { viaNpm: true, logLevel: 'info' });
    cleanup.push(() => stack.stop('SIGKILL'));
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => stack.child.once('exit', (code) => resolve(code)));
    stack.child.kill('SIGTERM'); // the npm process, as `kill <pid of npm start>` does
    const code = await exited;
    // Every line at LOG_LEVEL goes to the log file the banner names; the terminal keeps the banner and warnings.
    const logFile = join(dataDir, 'flightdeck.log');
    expect(bannerLine(stack.output(), 'logs')).toContain(logFile);
    const log = await readFile(logFile, 'utf8');
    expect({ code, shutdown: /"msg":"shutdown finished/.test(log) }).toEqual({ code: 0, shutdown: true });
    expect(log).toMatch(/"level":"info".*"service":"flightdeck".*embedded MongoDB-wire server at/);
    expect(stack.output()).not.toMatch(/"level":"info"/);
    // Nothing answers on the port any more: the gateway and the services went with npm.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 120_000);

  describe('a new user, following the banner and the README', () => {
    let stack: RunningProcess;
    let base: string;
    let url: string;
    let token: string;

    beforeAll(async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'flightdeck-first-run-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const port = await freePort();
      stack = await startEmbedded(dataDir, port);
      cleanup.push(() => stack.stop());
      base = `http://127.0.0.1:${port}`;
      url = `${base}/graphql`;
      token = tokenFrom(stack.output());
    }, 120_000);

    it("runs the banner's lines as printed: the curl after the export, the CLI, and mint-token with the stack's secret", async () => {
      const out = stack.output();
      expect(out).toContain('holding the roles RELEASE_MANAGER, TECHNICAL_LEAD, QA_LEAD, PRODUCT_OWNER and SRE');

      const curl = await shell([bannerLine(out, 'export TOKEN='), bannerLine(out, 'curl ')]);
      expect(curl.stderr).toBe('');
      expect(JSON.parse(curl.stdout)).toEqual({ data: { releases: { totalCount: 0 } } });

      const cli = await shell([bannerLine(out, 'export TOKEN='), bannerLine(out, 'FLIGHTDECK_URL=')]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(/^Usage: flightdeck \[options\] \[command\]/);

      const mint = await shell([
        bannerLine(out, 'FLIGHTDECK_DATA_DIR=').replace(
          '--user bob --roles QA_LEAD',
          '--user bob --roles RELEASE_MANAGER',
        ),
      ]);
      expect(mint.code, mint.stderr).toBe(0);
      expect(mint.stderr).toMatch(
        /^mint-token: signed with the secret of the embedded stack in \S+\/jwt-secret \(AUTH_JWT_SECRET is not set\)$/m,
      );
      const bobs = await gql(
        url,
        'mutation { createRelease(input: { product: "bobs", version: "0.1.0", theme: "t", owner: "bob", targetDate: "2030-01-01T00:00:00Z" }) { id } }',
        {},
        mint.stdout.trim(),
      );
      expect(bobs.errors).toBeUndefined();
    }, 120_000);

    it('shows the web console at / and keeps the explorer, which the gateway serves itself, at the GraphQL URL', async () => {
      const root = await fetch(`${base}/`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(root.url).toBe(`${base}/`);
      expect(await root.text()).toContain('<div id="root"></div>');
      const explorer = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(explorer.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await explorer.text();
      expect(html).toContain('<title>Flightdeck GraphQL explorer</title>');
      expect(html).not.toMatch(/(https?:)?\/\/[a-z]/i);
      expect((await fetch(`${base}/explorer/page.js`)).status).toBe(200);
    });

    it("rolls a bad image back on its own, and promotes a good one, with the README's operations", async () => {
      // Analysis needs a Prometheus; .ci/run installs one.
      expect(hasBinary('prometheus'), 'prometheus on PATH').toBe(true);
      const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
      const demo = /<!-- demo:start -->\n```graphql\n([\s\S]*?)```\n<!-- demo:end -->/.exec(readme)?.[1];
      if (!demo) throw new Error('README.md has no demo block');
      const run = async (operationName: string, document = demo) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: document, operationName }),
        });
        return (await res.json()) as Omit<GraphQLResult, 'status'>;
      };
      const planned = await run('PlanRelease');
      expect(planned.errors).toBeUndefined();
      const releaseId = (planned.data?.createRelease as { id: string }).id;
      // Gates learns the release from planning's event: until then the override is refused.
      await eventually('the Production gate overridden', async () => {
        const res = await run('ClearForProduction');
        return res.errors ? undefined : res.data;
      });

      type Rollout = {
        image: string;
        phase: string;
        message: string;
        rollback: { cause: string; reason: string } | null;
      };
      const rollOut = async (image: string) => {
        const document = demo.replace('RELEASE_ID', releaseId).replace('demo/web:1.1.0-bad', image);
        // Deployment learns that Production passed from gates' event: until then it refuses, saying so.
        return eventually(`a rollout of ${image} started`, async () => {
          const res = await run('RollOutBadBuild', document);
          if (res.errors?.[0]?.message.includes('no PRODUCTION (or HOTFIX) gate has passed')) return undefined;
          expect(res.errors).toBeUndefined();
          return res.data?.startRollout as { id: string; phase: string };
        });
      };
      // A rollout takes about half a minute (15 s, then two measurements 10 s apart); a loaded machine slows it down.
      const finished = async (image: string) => {
        let last: Rollout | undefined;
        try {
          return await eventually(
            `the rollout of ${image} finished`,
            async () => {
              const res = await run('WatchRollouts');
              last = (res.data?.rollouts as { edges: { node: Rollout }[] }).edges
                .map((e) => e.node)
                .find((r) => r.image === image);
              return last && ['PROMOTED', 'ROLLED_BACK', 'PAUSED', 'FAILED', 'STUCK'].includes(last.phase)
                ? last
                : undefined;
            },
            180_000,
          );
        } catch (err) {
          throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`);
        }
      };

      expect((await rollOut('demo/web:1.1.0-bad')).phase).toBe('PROGRESSING');
      const bad = await finished('demo/web:1.1.0-bad');
      expect(bad.phase, bad.message).toBe('ROLLED_BACK');
      expect(bad.rollback?.cause).toBe('ANALYSIS');
      expect(bad.message).toMatch(/rolled back: 4 replicas of demo\/web:1\.0\.0 are serving/);

      await rollOut('demo/web:1.1.0');
      const good = await finished('demo/web:1.1.0');
      expect(good.phase, good.message).toBe('PROMOTED');
    }, 420_000);
  });
});
