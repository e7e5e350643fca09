import { defineConfig } from 'vitest/config';

// Two projects: kube-sim's own tests (its options, CLI, metrics), and the differential conformance tests, which run
// each step on kube-sim and on a real API server (tools/kube-local, one for all their files, started by their
// global setup; its binaries come from npm run kube-local:build) and compare the answers.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'kube-sim', include: ['test/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['test/conformance/*.test.ts'],
          globalSetup: ['test/conformance/global-setup.ts'],
          // One file at a time on the shared control plane; a real one runs in real time.
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
