import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './processes.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `flightdeck` CLI as a pipeline would, against the gateway at `url`. */
export function flightdeck(args: string[], env: { url: string; token: string }, cwd = repoRoot): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'apps/cli/bin/flightdeck.mjs'), ...args], {
      cwd,
      env: { ...process.env, FLIGHTDECK_URL: env.url, FLIGHTDECK_TOKEN: env.token },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
