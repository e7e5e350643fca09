// Builds one app: run from the app's folder (`npx nx run @flightdeck/<app>:build`), it bundles the entry
// points (default src/main.ts) into dist/ with every package they import, so dist/ runs with plain `node` and
// no node_modules (that is what keeps each container image small: see deploy/README.md). A service's
// schema.graphql is read from the project folder, one level above dist/.
//
// Nothing has to stay outside the bundle today: no dependency is a native addon (esbuild refuses to bundle a
// .node file, so a new one fails this build), and the requires left in the output are optional packages that
// are not installed (mongodb's kerberos, snappy, zstd, client-side encryption and cloud credential helpers,
// ws's bufferutil and utf-8-validate, node-fetch's encoding), which their callers load inside try/catch.
import { build } from 'esbuild';

const entryPoints = process.argv.slice(2);

await build({
  entryPoints: entryPoints.length ? entryPoints : ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // jsonc-parser's main build is a UMD wrapper whose require('./impl/format') esbuild cannot follow (the bundled
  // gates service died at start with "Cannot find module './impl/format'"); its ES module build bundles plainly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // Bundled CommonJS packages call require() (for node: built-ins and their optional packages); an ES module
  // has none, so the output makes one.
  banner: {
    js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
  },
  // Stack traces map back to file and line (node --enable-source-maps); the sources themselves stay out of the
  // map, which keeps it a third of the size.
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'info',
});
