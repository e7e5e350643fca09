import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const stand_ins = ['@flightdeck/mongo-server', '@flightdeck/mongo-server/*', '@flightdeck/kube-sim', '@flightdeck/kube-sim/*', '@flightdeck/kube-local', '@flightdeck/kube-local/*', '@flightdeck/workload-sim', '@flightdeck/workload-sim/*', '@flightdeck/testing', '@flightdeck/testing/*'];
const services = ['@flightdeck/planning', '@flightdeck/gates', '@flightdeck/deployment', '@flightdeck/analytics', '@flightdeck/gateway'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.flightdeck/**', 'apps/console/src/gql/**', 'apps/console/test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The console's React components follow the rules of hooks.
  { files: ['apps/console/src/**/*.{ts,tsx}'], plugins: { 'react-hooks': reactHooks }, rules: reactHooks.configs.recommended.rules },
  {
    // Production code never imports the stand-ins in tools/ nor the test helpers, and services never import each other.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['libs/testing/**', '**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: stand_ins, message: 'Production code must not import test stand-ins (tools/, libs/testing).' },
          { group: ['**/tools/**'], message: 'Production code must not import from tools/.' },
          { group: services, message: 'Services never import each other: talk through events (libs/events).' },
        ],
      }],
    },
  },
);
