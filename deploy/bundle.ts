// Builds one app: run from the app's folder (`npx nx run @flightdeck/<app>:build`), it bundles the entry
// points (default src/main.ts) into dist/. Our own @flightdeck/* sources are bundled (they are TypeScript);
// every other package stays an import resolved from node_modules at run time. A service's schema.graphql
// is read from the project folder, one level above dist/.
import { build, type Plugin } from 'esbuild';

const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@flightdeck/') ? undefined : { path: args.path, external: true }));
  },
};

const entryPoints = process.argv.slice(2);

await build({
  entryPoints: entryPoints.length ? entryPoints : ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [externalPackages],
  logLevel: 'info',
});
