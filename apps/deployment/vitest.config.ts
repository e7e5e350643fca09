import { defineConfig } from 'vitest/config';

// The integration suite runs twice, one vitest project per cluster (test/integration/cluster.ts): the simulated
// one (tools/kube-sim) and a real control plane (tools/kube-local, built by npm run kube-local:build). The
// projects run one after the other (groupOrder), and each one file at a time: every file starts a cluster and a
// real Prometheus, and their timing (pod starts, scrapes, analysis intervals) must stay honest on a busy 2-core machine.
const integration = ['test/integration/**/*.test.ts'];
const withoutCluster = ['test/integration/commands-race.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['@flightdeck/testing/global-setup'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'without-cluster',
          include: ['test/domain/**/*.test.ts', 'test/adapters/**/*.test.ts', ...withoutCluster],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'kube-sim',
          include: integration,
          exclude: withoutCluster,
          provide: { cluster: 'kube-sim' },
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'kube-local',
          include: integration,
          exclude: withoutCluster,
          provide: { cluster: 'kube-local' },
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
