// The GitHub Actions workflow cannot run here (no GitHub, no registry): actionlint, built from its Go module
// (deploy/actionlint), checks it, with shellcheck on its run: scripts; shellcheck also checks the image scripts.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireBinary } from '@flightdeck/testing';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { services } from './containers.js';
import { repoRoot } from './manifests.js';

const run = promisify(execFile);
const actionlint = join(repoRoot, 'deploy/actionlint/bin/actionlint');
const workflow = '.github/workflows/release.yaml';

interface Finding {
  message: string;
  filepath: string;
  line: number;
  kind: string;
}

async function lint(cwd: string, files: string[]): Promise<Finding[]> {
  if (!existsSync(actionlint))
    throw new Error(
      `actionlint is not built: build it with \`npx nx run @flightdeck/deploy:actionlint\` (deploy/actionlint/build.sh), then run the tests again.`,
    );
  const shellcheck = requireBinary('shellcheck');
  const args = ['-no-color', `-shellcheck=${shellcheck}`, '-format', '{{json .}}', ...files];
  const { stdout } = await run(actionlint, args, { cwd }).catch(
    (err: { code?: number; stdout?: string; stderr?: string }) => {
      if (err.code === 1 && err.stdout) return { stdout: err.stdout };
      throw new Error(`actionlint ${args.join(' ')} failed (exit ${err.code}): ${err.stderr}`);
    },
  );
  return JSON.parse(stdout || '[]') as Finding[];
}

describe('the release workflow', () => {
  it('passes actionlint, shellcheck included', async () => {
    const findings = await lint(repoRoot, [workflow]);
    expect(findings.map((f) => `${f.filepath}:${f.line}: ${f.message} [${f.kind}]`)).toEqual([]);
  });

  it('is a workflow actionlint finds fault with once broken (the linter really runs)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flightdeck-actionlint-'));
    try {
      await mkdir(join(dir, '.github/workflows'), { recursive: true });
      const text = await readFile(join(repoRoot, workflow), 'utf8');
      await writeFile(
        join(dir, workflow),
        text.replace('needs.version.outputs.tags', 'needs.version.outputs.tag_list'),
      );
      const findings = await lint(dir, [workflow]);
      expect(findings.map((f) => f.message).join('\n')).toMatch(/tag_list/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds every service image from deploy/Dockerfile and pushes the chart', async () => {
    const parsed = parse(await readFile(join(repoRoot, workflow), 'utf8')) as {
      env: { SERVICES: string };
      jobs: Record<string, { steps: { run?: string }[] }>;
    };
    expect(parsed.env.SERVICES.split(' ')).toEqual([...services]);
    const script = (job: string) => parsed.jobs[job]!.steps.map((s) => s.run ?? '').join('\n');
    expect(script('images')).toContain('--file deploy/Dockerfile');
    expect(script('chart')).toMatch(/package helm\/flightdeck/);
    expect(script('chart')).toMatch(/push "dist\/chart\/flightdeck-\$VERSION\.tgz" "oci:\/\/ghcr\.io/);
  });
});

describe('the image scripts', () => {
  it('pass shellcheck', async () => {
    const scripts = [
      'deploy/images/base.sh',
      'deploy/images/build.sh',
      'deploy/images/podman.sh',
      'deploy/actionlint/build.sh',
      '.ci/build-images.sh',
      '.ci/go-tool.sh',
      '.ci/build-helm.sh',
      '.ci/build-vegeta.sh',
    ];
    const result = await run(requireBinary('shellcheck'), scripts, { cwd: repoRoot }).then(
      () => '',
      (err: { stdout?: string; message: string }) => err.stdout || err.message,
    );
    expect(result).toBe('');
  });
});
