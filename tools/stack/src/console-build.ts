import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const consoleDir = join(repoRoot, 'apps/console/dist');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(
    s.mtimeMs,
    ...readdirSync(path)
      .filter((n) => n !== 'gql')
      .map((n) => newest(join(path, n))),
  );
}

/** The console's sources (and the supergraph its types come from) changed after its last build. */
export function consoleIsStale(): boolean {
  const built = join(consoleDir, 'index.html');
  if (!existsSync(built)) return true;
  const sources = [
    join(repoRoot, 'apps/console/src'),
    join(repoRoot, 'apps/console/index.html'),
    join(repoRoot, 'apps/gateway/supergraph.graphql'),
  ];
  return Math.max(...sources.filter((p) => existsSync(p)).map(newest)) > statSync(built).mtimeMs;
}

/**
 * The built console for the gateway to serve: built now (once, about half a minute) when apps/console/dist is
 * missing or older than its sources. Returns undefined, saying why, when the build fails: the API still runs.
 */
export function ensureConsoleBuilt(logger: Logger): string | undefined {
  if (!consoleIsStale()) return consoleDir;
  logger.info(
    'building the web console (apps/console) for the gateway to serve at /: npx nx run @flightdeck/console:build',
  );
  const build = spawnSync('npx', ['nx', 'run', '@flightdeck/console:build', '--outputStyle=stream'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  if (build.status === 0 && existsSync(join(consoleDir, 'index.html'))) return consoleDir;
  logger.error(
    { status: build.status, error: build.error?.message },
    'the web console did not build (run npx nx run @flightdeck/console:build to see why); serving the GraphQL API without it',
  );
  return undefined;
}
