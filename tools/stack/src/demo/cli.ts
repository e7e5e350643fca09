import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliBin = fileURLToPath(new URL('../../../../apps/cli/bin/flightdeck.mjs', import.meta.url));

const FLAG = { JUNIT: '--junit', LCOV: '--coverage', SARIF: '--sarif' } as const;

/** Uploads a report the way a pipeline does: written to a file, then `flightdeck evidence submit`. */
export async function submitWithCli(
  env: { url: string; token: string },
  release: string,
  gate: string,
  kind: keyof typeof FLAG,
  name: string,
  content: string,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-demo-ci-'));
  await mkdir(join(dir, dirname(name)), { recursive: true });
  await writeFile(join(dir, name), content);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cliBin, 'evidence', 'submit', '--release', release, '--gate', gate, FLAG[kind], name],
      {
        cwd: dir,
        env: { ...process.env, FLIGHTDECK_URL: env.url, FLIGHTDECK_TOKEN: env.token },
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    // Exit 0: uploaded and passing; 2 (or another non-zero) may be a gate that does not pass yet, which the demo shows.
    child.on('close', () => resolve(output.trim()));
  });
}
