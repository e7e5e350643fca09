import { BUILT_IN_TEMPLATES } from '../../src/domain/index.js';

// Shared by the release-wide rollout tests: fast analysis (one measurement a second, three per run, after 2 s for
// the new pods to be scraped) and patient with missing data, as the per-rollout tests are.
const metrics = [{ ...BUILT_IN_TEMPLATES['success-rate']!, intervalSeconds: 1, count: 3, inconclusiveLimit: 6 }];
const steps = [
  { kind: 'SET_WEIGHT', weight: 50 },
  { kind: 'ANALYSIS', templates: ['success-rate'], initialDelaySeconds: 2 },
];

/** One workload of a release: a canary of `image` on Deployment `name` in `default`, after `dependsOn`. */
export const workloadInput = (name: string, image: string, dependsOn: string[] = []) => ({
  name,
  dependsOn,
  target: { namespace: 'default', deployment: name, container: 'app' },
  image,
  steps,
  metrics,
  progressDeadlineSeconds: 20,
  rollbackWindowSeconds: 0,
});

export const RELEASE_ROLLOUT = `
  fragment RR on ReleaseRollout {
    id phase message mode waves wavesStarted progress attempt
    workloads { name wave phase rollout { id phase image stableImage startedAt completedAt
      steps { kind status }
      decisions(last: 300) { at action message } rollback { cause reason decidedAt appliedAt } } }
    failure { workload rolloutId cause reason rollbackOrder measurements { metric value phase detail } }
    decisions(last: 300) { at action message measurements { metric value } }
  }`;

export interface ReleaseRolloutView {
  id: string;
  phase: string;
  message: string;
  mode: string;
  waves: string[][];
  wavesStarted: number;
  progress: number;
  attempt: number;
  workloads: {
    name: string;
    wave: number;
    phase: string | null;
    rollout: {
      id: string;
      phase: string;
      image: string;
      stableImage: string;
      startedAt: string;
      completedAt: string | null;
      steps: { kind: string; status: string }[];
      decisions: { at: string; action: string; message: string }[];
      rollback: { cause: string; reason: string; decidedAt: string; appliedAt: string | null } | null;
    } | null;
  }[];
  failure: {
    workload: string | null;
    rolloutId: string | null;
    cause: string;
    reason: string;
    rollbackOrder: string[];
    measurements: { metric: string; value: number | null; phase: string; detail: string }[];
  } | null;
  decisions: {
    at: string;
    action: string;
    message: string;
    measurements: { metric: string; value: number | null }[];
  }[];
}
