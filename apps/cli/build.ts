// Bundles src/main.ts into dist/main.js: our own @flightdeck/* sources are bundled (they are TypeScript),
// every other package stays an import resolved from node_modules at run time.
import { build, type Plugin } from 'esbuild';

const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@flightdeck/') ? undefined : { path: args.path, external: true }));
  },
};

await build({
  entryPoints: ["src/main.ts"],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [externalPackages],
  logLevel: 'info',
});
