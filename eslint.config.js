import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const stand_ins = [
  '@flightdeck/mongo-server',
  '@flightdeck/mongo-server/*',
  '@flightdeck/kube-sim',
  '@flightdeck/kube-sim/*',
  '@flightdeck/kube-local',
  '@flightdeck/kube-local/*',
  '@flightdeck/workload-sim',
  '@flightdeck/workload-sim/*',
  '@flightdeck/testing',
  '@flightdeck/testing/*',
];
const services = [
  '@flightdeck/planning',
  '@flightdeck/gates',
  '@flightdeck/deployment',
  '@flightdeck/analytics',
  '@flightdeck/gateway',
];

const productionRules = [
  { group: stand_ins, message: 'Production code must not import test stand-ins (tools/, libs/testing).' },
  { group: ['**/tools/**'], message: 'Production code must not import from tools/.' },
  { group: services, message: 'Services never import each other: talk through events (libs/events).' },
];
const layerRules = {
  application: [
    {
      group: [
        'mongoose',
        'mongodb',
        '@flightdeck/persistence',
        'prom-client',
        '@kubernetes/*',
        '@nats-io/*',
        'express',
        'graphql',
        '@apollo/*',
        '@flightdeck/subgraph',
        '@flightdeck/telemetry',
      ],
      message:
        'Application code reaches storage, metrics, clusters and transports through its ports (application/ports.ts); errors and retries come from @flightdeck/kernel.',
    },
    {
      group: ['../adapters/*', '../../adapters/*'],
      message: 'Application code never imports an adapter: declare a port and let service.ts wire the adapter in.',
    },
  ],
  domain: [
    {
      group: ['@flightdeck/*', '!@flightdeck/kernel', 'pino', 'openai', '../application/*', '../adapters/*'],
      message: 'Domain code is pure: no I/O, no framework; only @flightdeck/kernel of the shared code.',
    },
  ],
  adapters: {
    group: [
      '../mongo/*',
      '../nats/*',
      '../prometheus/*',
      '../kubernetes/*',
      '../graphql/*',
      '../http/*',
      '../memory/*',
      '../parsers/*',
    ],
    message: 'One adapter never reaches into another: depend on the port (application/ports.ts).',
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.flightdeck/**',
      'apps/console/src/gql/**',
      'apps/console/test-results/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The console's React components follow the rules of hooks.
  {
    files: ['apps/console/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Production code never imports the stand-ins in tools/ nor the test helpers, and services never import each other.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['libs/testing/**', '**/*.test.ts', '**/test/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: productionRules }] },
  },
  {
    // The layers of a service (README, "Architecture"): domain/ is pure; application/ reaches the world only
    // through its ports; one adapter never reaches into another.
    files: ['apps/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...productionRules, ...layerRules.application, ...layerRules.domain] },
      ],
    },
  },
  {
    files: ['apps/*/src/application/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...productionRules, ...layerRules.application] }] },
  },
  {
    files: ['apps/*/src/adapters/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...productionRules, layerRules.adapters] }] },
  },
);
