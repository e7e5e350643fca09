// Bundles the explorer page (explorer/page.js: GraphiQL and React from node_modules) into static files the gateway
// serves. Build-time code: it needs esbuild and GraphiQL (devDependencies), so a service's main never imports it;
// `npm start` runs it at start-up, and reuses the bundle while its inputs are unchanged.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';

const page = fileURLToPath(new URL('../../explorer/page.js', import.meta.url));
const require = createRequire(import.meta.url);

export interface ExplorerBundle {
  /** The folder holding index.html, page.js and page.css. */
  dir: string;
  /** False when an up-to-date bundle was already there. */
  built: boolean;
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Flightdeck GraphQL explorer</title>
    <link rel="stylesheet" href="/explorer/page.css">
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading the explorer…</div>
    <script type="module" src="/explorer/page.js"></script>
  </body>
</html>
`;

async function inputsStamp(): Promise<string> {
  const hash = createHash('sha256')
    .update(await readFile(page))
    .update(INDEX_HTML)
    .update(esbuildVersion);
  for (const pkg of ['graphiql', '@graphiql/react', '@graphiql/toolkit', 'react', 'react-dom']) {
    hash.update(
      `${pkg}@${(JSON.parse(await readFile(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version}`,
    );
  }
  return hash.digest('hex');
}

/** Writes the explorer into `outDir` unless the bundle there was made from the same inputs. */
export async function buildExplorer(outDir: string): Promise<ExplorerBundle> {
  const stamp = await inputsStamp();
  const stampFile = join(outDir, 'inputs.sha256');
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === stamp) return { dir: outDir, built: false };
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { page },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Subscriptions over websockets are not offered: the toolkit imports graphql-ws only for them.
    external: ['graphql-ws'],
    logLevel: 'warning',
  });
  await writeFile(join(outDir, 'index.html'), INDEX_HTML);
  await writeFile(stampFile, stamp);
  return { dir: outDir, built: true };
}
