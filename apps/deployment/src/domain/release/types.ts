import type { RolloutRequest } from '../rollout.js';
import type { Decision, MeasurementNote, Phase, RollbackCause } from '../types.js';

// A release-wide rollout: several workloads of one release (`<product>@<version>`), each rolled out by its own
// per-workload rollout (a child rollout), started wave by wave in dependency order or all together, promoted
// together, and rolled back together in reverse dependency order when any of them fails.

export type ReleaseRolloutPhase =
  'PROGRESSING' | 'PAUSED' | 'PROMOTING' | 'ROLLING_BACK' | 'PROMOTED' | 'ROLLED_BACK' | 'FAILED';

/** WAVES: a wave starts once every workload of the wave before is ready to promote; TOGETHER: all start at once. */
export type StartMode = 'WAVES' | 'TOGETHER';

/** What one workload's child rollout is made of: today's per-rollout request without what the release gives. */
export type WorkloadRollout = Omit<RolloutRequest, 'id' | 'releaseId' | 'environment' | 'createdBy'>;

export interface WorkloadSpec {
  /** Unique in the release; by default the Deployment's name. */
  name: string;
  /** Workloads that must be ready to promote before this one starts (a backend before its frontends). */
  dependsOn: string[];
  rollout: WorkloadRollout;
}

export interface WorkloadProgress {
  name: string;
  /** Index into `waves`. */
  wave: number;
  /** The child rollout's id once started (deterministic: release-rollout id, workload, attempt). */
  rolloutId?: string;
  startedAt?: string;
  /** The child's phase as last seen by the controller (for the read side and metrics). */
  phase?: Phase;
  /** Ready to promote (held at the release's hold) or promoted, as last seen. */
  ready?: boolean;
  /** Why the child could not be rolled back (e.g. promoted and its rollback window closed). */
  rollbackRefused?: string;
}

export interface ReleaseFailure {
  /** The workload whose rollout decided it; absent when a person aborted the whole release. */
  workload?: string;
  rolloutId?: string;
  cause: RollbackCause | 'START';
  reason: string;
  measurements: MeasurementNote[];
  decidedAt: string;
  /** The workloads that moved, in the order they are rolled back. */
  order: string[];
}

export interface ReleaseRollout {
  id: string;
  releaseId: string;
  environment: string;
  mode: StartMode;
  /** true: promoted together as soon as every workload is ready; false: waits for promote-all. */
  autoPromote: boolean;
  workloads: WorkloadSpec[];
  waves: string[][];
  progress: WorkloadProgress[];
  phase: ReleaseRolloutPhase;
  /** PERSON: pause-all; PROMOTION: every workload is ready and promote-all is awaited. */
  pauseReason?: 'PERSON' | 'PROMOTION';
  /** Waves started so far. */
  wavesStarted: number;
  promoteRequest?: { by: string; byName?: string; at: string };
  abortRequest?: { by: string; byName?: string; reason: string; at: string };
  failure?: ReleaseFailure;
  message: string;
  /** The last wait recorded: a wait is written again only when it changes. */
  waiting?: string;
  decisions: Decision[];
  attempt: number;
  createdBy: string;
  createdByName?: string;
  startedAt: string;
  updatedAt: string;
  completedAt?: string;
}
