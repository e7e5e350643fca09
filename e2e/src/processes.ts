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

/** Runs `apps/<name>/src/main.ts` as its own process, as production does, and waits for /readyz. */
export async function startServiceProcess(name: string, env: Record<string, string>, port?: number): Promise<ServiceProcess> {
  port ??= await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = await startProcess(tsx, [`apps/${name}/src/main.ts`], {
    name,
    cwd: repoRoot,
    timeoutMs: 90_000,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
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
