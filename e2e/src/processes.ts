import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess, type RunningProcess } from '@flightdeck/testing';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(repoRoot, 'node_modules/.bin/tsx');

export interface ServiceProcess {
  name: string;
  url: string;
  process: RunningProcess;
}

/**
 * Durable consumer names of this test file's services: test files run at once on the shared NATS, and two
 * processes on one durable would take each other's events. Stable within the file, so a restarted service resumes.
 */
const consumers = (() => {
  const suffix = `e2e-${randomUUID().slice(0, 8)}`;
  return {
    PLANNING_CONSUMER: `planning-${suffix}`,
    GATES_CONSUMER: `gates-${suffix}`,
    DEPLOYMENT_CONSUMER: `deployment-${suffix}`,
    ANALYTICS_CONSUMER: `analytics-${suffix}`,
  };
})();

/** Runs `apps/<name>/src/main.ts` as its own process, as production does, and waits for /readyz. */
export async function startServiceProcess(
  name: string,
  env: Record<string, string>,
  port?: number,
): Promise<ServiceProcess> {
  port ??= await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = await startProcess(tsx, [`apps/${name}/src/main.ts`], {
    name,
    cwd: repoRoot,
    timeoutMs: 90_000,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...consumers, ...env },
    isReady: async () => {
      try {
        return (await fetch(`${base}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
  });
  return { name, url: `${base}/graphql`, process: proc };
}
