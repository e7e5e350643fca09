import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gql } from '@flightdeck/testing';

const bin = fileURLToPath(new URL('../bin/flightdeck.mjs', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `flightdeck` as a pipeline would: bin/flightdeck.mjs in its own process, with `env` (FLIGHTDECK_URL,
 * FLIGHTDECK_TOKEN …) over this process's environment; killed after `timeoutMs`.
 */
export function runCli(
  args: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      env: { ...process.env, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A GraphQL request through the gateway as `token`; its errors thrown, for the setup a test needs. */
export async function ask<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
  const res = await gql<T>(url, query, variables, token);
  if (res.errors?.length) throw new Error(res.errors.map((e) => e.message).join('; '));
  return res.data!;
}
